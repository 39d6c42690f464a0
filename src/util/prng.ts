/**
 * mulberry32: a tiny seedable PRNG (`Math.random` cannot be seeded). Integer
 * arithmetic only, so the sequence is identical on every platform — the tiny
 * test model's bytes and the synthetic benchmark corpus depend on that.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

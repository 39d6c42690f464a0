/** Stable sort by first appearance of `outer`, then of `inner` within it: each group's items adjacent, the order otherwise kept. */
export function groupedBy<T>(items: readonly T[], outer: (x: T) => string, inner: (x: T) => string): T[] {
  const first = new Map<string, number>();
  const rank = (key: string) => (first.has(key) ? first.get(key)! : (first.set(key, first.size), first.size - 1));
  return items
    .map((x, i) => ({ x, i, o: rank(`o\u0000${outer(x)}`), n: rank(`n\u0000${outer(x)}\u0000${inner(x)}`) }))
    .sort((a, b) => a.o - b.o || a.n - b.n || a.i - b.i)
    .map((y) => y.x);
}

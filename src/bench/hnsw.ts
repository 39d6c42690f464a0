/**
 * `npm run bench -- hnsw`: recall@10 of the HNSW index against exact search,
 * per `ef`, with its latency, at the scale and width that matter (default
 * 100,000 vectors of 512 dimensions, the bench model's width).
 *
 * The index is built as dafu builds it (hnswlib-node through LangChain's
 * HNSWLib: cosine space, M 16, efConstruction 200). Embedding 100,000 chunks
 * with a 512-wide model takes more than an hour on a small machine, so the
 * vectors are synthetic but shaped like sentence embeddings: a hierarchy of
 * topics and subtopics plus noise, unit length, so that neighbours are
 * clearly closer than strangers without being near-duplicates. Uniform random
 * vectors would be harder (no structure at all); real embeddings, clustered
 * by department and subject, are nearer to this. Deterministic (seeded).
 */
import { cpus, loadavg } from 'node:os';
import hnswlib from 'hnswlib-node';
import { mulberry32 } from '../util/prng.ts';
import { latencySummary, maxRssBytes, mb, round } from './measure.ts';

const { HierarchicalNSW } = hnswlib;

export interface HnswBenchOptions {
  vectors?: number;
  dims?: number;
  queries?: number;
  /** `ef` values to measure; default 10 (hnswlib's own default), 32, 64 (dafu's HNSW_EF default), 128, 256. */
  efs?: number[];
  efConstruction?: number;
  /** Weight of the per-vector noise (default 0.7); higher makes neighbours less distinct and the search harder. */
  noise?: number;
  seed?: number;
  onProgress?: (message: string) => void;
}

export interface HnswBenchReport {
  vectors: number;
  dims: number;
  queries: number;
  noise: number;
  M: number;
  efConstruction: number;
  buildSeconds: number;
  /** Per ef: mean recall@10 against exact search and the search latency in ms. */
  results: Array<{ ef: number; recallAt10: number; minRecallAt10: number; latencyMs: { p50: number; p95: number; max: number } }>;
  /** Exact (brute-force) search latency over all vectors, for comparison. */
  exactMs: { p50: number; p95: number; max: number };
  processPeakRssMB: number;
  machine: { cpus: number; loadavg1m: number };
}

/** Standard normal variates from a seeded PRNG (Box–Muller). */
function gaussian(seed: number): () => number {
  const next = mulberry32(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = Math.max(next(), 1e-12);
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** `count` unit vectors: topic + 0.8 · subtopic + `noise` · noise, 100 topics × 10 subtopics. */
function clusteredVectors(count: number, dims: number, seed: number, noise: number): Float32Array[] {
  const g = gaussian(seed);
  const table = (n: number) => Array.from({ length: n }, () => Float32Array.from({ length: dims }, g));
  const topics = table(100);
  const subtopics = table(1000);
  const pick = mulberry32(seed ^ 0x9e3779b9);
  const out: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    const sub = Math.floor(pick() * subtopics.length);
    const topic = topics[Math.floor(sub / 10)] as Float32Array;
    const s = subtopics[sub] as Float32Array;
    const v = new Float32Array(dims);
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      const x = (topic[d] as number) + 0.8 * (s[d] as number) + noise * g();
      v[d] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < dims; d++) v[d] = (v[d] as number) / norm;
    out.push(v);
  }
  return out;
}

/** The 10 nearest by cosine (vectors are unit length: largest dot product), brute force. */
function exactTop10(data: readonly Float32Array[], q: Float32Array): number[] {
  const best: Array<{ i: number; s: number }> = [];
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as Float32Array;
    let s = 0;
    for (let d = 0; d < q.length; d++) s += (v[d] as number) * (q[d] as number);
    if (best.length < 10 || s > (best[best.length - 1] as { s: number }).s) {
      best.push({ i, s });
      best.sort((a, b) => b.s - a.s);
      if (best.length > 10) best.pop();
    }
  }
  return best.map((b) => b.i);
}

export async function benchHnsw(options: HnswBenchOptions = {}): Promise<HnswBenchReport> {
  const n = options.vectors ?? 100_000;
  const dims = options.dims ?? 512;
  const nq = options.queries ?? 200;
  const efs = options.efs ?? [10, 32, 64, 128, 256];
  const efConstruction = options.efConstruction ?? 200;
  const M = 16;
  const seed = options.seed ?? 1;
  const noise = options.noise ?? 0.7;
  const say = options.onProgress ?? (() => undefined);

  say(`generating ${n} + ${nq} clustered unit vectors of ${dims} dimensions`);
  const all = clusteredVectors(n + nq, dims, seed, noise);
  const data = all.slice(0, n);
  const queries = all.slice(n);

  say(`building the index (cosine, M ${M}, efConstruction ${efConstruction})`);
  const index = new HierarchicalNSW('cosine', dims);
  index.initIndex(n, M, efConstruction, 100);
  let t = performance.now();
  for (let i = 0; i < n; i++) {
    index.addPoint(Array.from(data[i] as Float32Array), i);
    if ((i + 1) % 20_000 === 0) say(`  ${i + 1}/${n} added`);
  }
  const buildSeconds = round((performance.now() - t) / 1000, 1);

  say(`exact search for ${nq} queries`);
  const exactTimes: number[] = [];
  const truth = queries.map((q) => {
    const t0 = performance.now();
    const top = exactTop10(data, q);
    exactTimes.push(performance.now() - t0);
    return new Set(top);
  });

  const results: HnswBenchReport['results'] = [];
  for (const ef of efs) {
    index.setEf(ef);
    const times: number[] = [];
    const recalls: number[] = [];
    queries.forEach((q, i) => {
      const arr = Array.from(q);
      t = performance.now();
      const { neighbors } = index.searchKnn(arr, 10);
      times.push(performance.now() - t);
      const want = truth[i] as Set<number>;
      recalls.push(neighbors.filter((x) => want.has(x)).length / 10);
    });
    const recall = recalls.reduce((a, b) => a + b, 0) / recalls.length;
    results.push({ ef, recallAt10: round(recall, 4), minRecallAt10: Math.min(...recalls), latencyMs: latencySummary(times) });
    say(`  ef ${ef}: recall@10 ${recall.toFixed(4)}`);
  }
  return {
    vectors: n,
    dims,
    queries: nq,
    noise,
    M,
    efConstruction,
    buildSeconds,
    results,
    exactMs: latencySummary(exactTimes),
    processPeakRssMB: mb(maxRssBytes()),
    machine: { cpus: cpus().length, loadavg1m: round(loadavg()[0] ?? 0, 2) },
  };
}

export function formatHnswReport(r: HnswBenchReport): string {
  return [
    `HNSW benchmark: ${r.vectors} clustered unit vectors of ${r.dims} dimensions (noise ${r.noise}), ${r.queries} queries, M ${r.M}, efConstruction ${r.efConstruction}; built in ${r.buildSeconds} s`,
    '',
    `${'ef'.padStart(6)}${'recall@10'.padStart(12)}${'min'.padStart(8)}${'p50 ms'.padStart(10)}${'p95 ms'.padStart(10)}`,
    ...r.results.map((x) => `${String(x.ef).padStart(6)}${x.recallAt10.toFixed(4).padStart(12)}${x.minRecallAt10.toFixed(1).padStart(8)}${x.latencyMs.p50.toFixed(3).padStart(10)}${x.latencyMs.p95.toFixed(3).padStart(10)}`),
    '',
    `exact search (brute force, JavaScript): p50 ${r.exactMs.p50} ms, p95 ${r.exactMs.p95} ms per query`,
    `process peak RSS ${r.processPeakRssMB} MB; machine: ${r.machine.cpus} CPUs, load ${r.machine.loadavg1m} at the end`,
  ].join('\n');
}

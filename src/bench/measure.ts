/**
 * Small measuring tools shared by the ingest and query benchmarks: an RSS
 * sampler, percentiles, folder size, a best-effort garbage collection
 * between phases, and the temp tiny-model settings.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig, type Config } from '../config.ts';
import { writeTestModel } from '../embeddings/index.ts';

/** Which model a benchmark uses: the tiny test model, the benchmark model (bge-small-zh's architecture, random weights) or EMBEDDING_MODEL. */
export type BenchModel = 'tiny' | 'bench' | 'real';
export const BENCH_MODELS: readonly BenchModel[] = ['tiny', 'bench', 'real'];

const MB = 1024 * 1024;

/** Bytes → MB with one decimal. */
export const mb = (bytes: number): number => Math.round((bytes / MB) * 10) / 10;

/** Rounds to `digits` decimals (for report fields). */
export const round = (x: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/**
 * Samples `process.memoryUsage().rss` every `intervalMs` (default 50 ms)
 * until stopped and keeps the highest value. Synchronous stretches (JSON
 * writing, BM25 building) delay samples, so a short spike can be missed;
 * `process.resourceUsage().maxRSS` is the exact process-wide peak.
 */
export class RssSampler {
  #peak = process.memoryUsage().rss;
  #timer: NodeJS.Timeout;

  constructor(intervalMs = 50) {
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  sample(): number {
    const rss = process.memoryUsage().rss;
    if (rss > this.#peak) this.#peak = rss;
    return rss;
  }

  /** Stops sampling and returns the peak RSS in bytes. */
  stop(): number {
    clearInterval(this.#timer);
    this.sample();
    return this.#peak;
  }
}

/** Process-wide peak RSS so far, in bytes (`maxRSS` is in kilobytes). */
export function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

let gcFn: (() => void) | null | undefined;

/**
 * Collects garbage if V8 lets us (it does, through `--expose-gc` set at run
 * time), so each phase's peak RSS starts from the live data, not the
 * previous phase's garbage. A no-op when unavailable.
 */
export function collectGarbage(): void {
  if (gcFn === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gcFn = runInNewContext('gc') as () => void;
    } catch {
      gcFn = null;
    }
  }
  gcFn?.();
}

/** Nearest-rank percentile of an ascending array; 0 for an empty one. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** p50 / p95 / max of `values` in ms, rounded to 0.01 ms. */
export function latencySummary(values: readonly number[]): { p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50), 2), p95: round(percentile(sorted, 95), 2), max: round(sorted.at(-1) ?? 0, 2) };
}

/** Total size in bytes of the regular files under `dir`. */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(p);
    else if (entry.isFile()) total += (await stat(p)).size;
  }
  return total;
}

/**
 * Settings for a benchmark: with `model: 'tiny'` (default) the tiny offline
 * test model is written into `tmpDir/model` and used fully offline; with
 * `'bench'` the benchmark model (bge-small-zh-v1.5's architecture with random
 * weights, EMBEDDING_DTYPE picking its fp32 or q8 file), also generated, no
 * download; with `'real'`, the configured EMBEDDING_MODEL. Other settings
 * (threads, batch size, chunking, ef) come from `env`. The label names the
 * model and, for the bench model, its dtype.
 */
export async function benchConfig(model: BenchModel, tmpDir: string, overrides: Record<string, string>, env: Record<string, string | undefined> = process.env): Promise<{ config: Config; label: string }> {
  if (model === 'real') {
    const config = loadConfig({ ...env, ...overrides });
    return { config, label: config.EMBEDDING_MODEL };
  }
  const dir = join(tmpDir, 'model');
  if (model === 'bench') {
    const { writeBenchModel } = await import('../embeddings/bench-model.ts');
    await writeBenchModel(dir);
    const config = loadConfig({ ...env, EMBEDDING_MODEL: dir, EMBEDDING_OFFLINE: '1', ...overrides });
    const dtype = config.EMBEDDING_DTYPE === 'fp32' ? 'fp32' : 'q8';
    return { config: dtype === config.EMBEDDING_DTYPE ? config : loadConfig({ ...env, EMBEDDING_MODEL: dir, EMBEDDING_OFFLINE: '1', ...overrides, EMBEDDING_DTYPE: dtype }), label: `bench model (bge-small-zh-v1.5 architecture, random weights, ${dtype}, ${config.EMBEDDING_THREADS} threads)` };
  }
  await writeTestModel(dir);
  return { config: loadConfig({ ...env, EMBEDDING_MODEL: dir, EMBEDDING_OFFLINE: '1', ...overrides }), label: 'tiny test model' };
}

/**
 * A LangChain `Embeddings` over transformers.js v3 `feature-extraction`,
 * running the model locally with onnxruntime. Differences from LangChain's
 * stock `HuggingFaceTransformersEmbeddings`, each measured or required:
 * - pooling per model (CLS for bge, which the stock class gets wrong by
 *   always mean-pooling) and the e5 / bge query prefixes;
 * - small batches (default 12) sorted by length, run one after another, so
 *   padding is minimal and memory stays flat (the stock batch of 512 needs
 *   tens of GB on long texts);
 * - onnxruntime's thread count set explicitly (its default spawns a thread
 *   per core, and this usually shares a small machine);
 * - a load error that tells the user what to do (see `modelLoadError`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Embeddings } from '@langchain/core/embeddings';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { DafuModelError } from '../errors.ts';
import type { Config } from '../config.ts';
import { declaredPooling, modelProfile, resolveModelSource, sourceNames, type Dtype, type ModelProfile, type ModelSource, type Pooling } from './model-source.ts';

/** Called after every batch with texts embedded so far and the total of the current call. */
export type ProgressCallback = (done: number, total: number) => void;

export interface LocalEmbeddingsOptions {
  /** From `EMBEDDING_MODEL` etc.; see `resolveModelSource`. */
  source: ModelSource;
  /** `EMBEDDING_POOLING`: `auto` (default) decides per model; see `modelProfile`. */
  pooling?: Config['EMBEDDING_POOLING'];
  /** Texts per model call; `EMBEDDING_BATCH_SIZE`, default 12 (bigger is slower per text on CPU). */
  batchSize?: number;
  /** onnxruntime intra-op threads; `EMBEDDING_THREADS`, default 2. */
  threads?: number;
  /** Overrides the model's default query instruction (bge); `''` disables it. */
  queryInstruction?: string;
  onProgress?: ProgressCallback;
}

// transformers.js keeps its settings in one global `env`; loads are serialised
// so two instances with different sources never see each other's settings.
let loadQueue: Promise<unknown> = Promise.resolve();

export class LocalEmbeddings extends Embeddings {
  /** Hub id as configured, or the absolute path of a local model folder. */
  readonly modelId: string;
  readonly source: ModelSource;
  readonly batchSize: number;
  readonly threads: number;
  /** Pooling, query and document prefixes in effect for this model. */
  readonly profile: ModelProfile;
  /** Set or replace at any time, e.g. per ingest run. */
  onProgress?: ProgressCallback;

  #pipe?: FeatureExtractionPipeline;
  #loading?: Promise<number>;
  #dimensions?: number;
  #modelMs = 0;

  constructor(options: LocalEmbeddingsOptions) {
    super({});
    this.source = options.source;
    this.modelId = options.source.kind === 'hub' ? options.source.id : options.source.dir;
    this.batchSize = options.batchSize ?? 12;
    this.threads = options.threads ?? 2;
    this.onProgress = options.onProgress;
    this.profile = modelProfile(sourceNames(options.source), options.pooling ?? 'auto', declaredPooling(options.source), options.queryInstruction);
  }

  get pooling(): Pooling {
    return this.profile.pooling;
  }

  get dtype(): Dtype {
    return this.source.dtype;
  }

  /** Vector length; available after `load()` (or any embed call), throws before. */
  get dimensions(): number {
    if (this.#dimensions === undefined) throw new Error('LocalEmbeddings.dimensions read before load(); await load() first');
    return this.#dimensions;
  }

  /** Cumulative milliseconds spent inside the model (tokenizer + onnxruntime), for the benchmark. */
  get modelMs(): number {
    return this.#modelMs;
  }

  /** Loads the model once (later calls share the same promise) and resolves to its dimension. */
  load(): Promise<number> {
    this.#loading ??= this.#load();
    return this.#loading;
  }

  async #load(): Promise<number> {
    const run = loadQueue.then(() => this.#loadNow());
    loadQueue = run.catch(() => undefined);
    return run;
  }

  async #loadNow(): Promise<number> {
    const source = this.source;
    if (source.kind === 'hub' && source.offline && !existsSync(path.join(source.cacheDir, source.id, 'config.json'))) {
      throw modelLoadError(source, `not in the cache folder (${path.join(source.cacheDir, source.id)} has no config.json)`);
    }
    configureEnv(source);
    try {
      // Hub ids go through the cache folder, local folders by absolute path (transformers.js
      // treats a value that is not a valid hub id as a path and reads it directly).
      const pipe = await pipeline('feature-extraction', source.kind === 'hub' ? source.id : source.dir, {
        dtype: source.dtype,
        device: 'cpu',
        // intra: threads per operator (the real work); inter: only used by the parallel executor.
        session_options: { intraOpNumThreads: this.threads, interOpNumThreads: 1 },
      });
      const probe = await pipe(['probe'], { pooling: this.profile.pooling, normalize: true });
      this.#dimensions = probe.dims[1] ?? 0;
      probe.dispose();
      this.#pipe = pipe;
      return this.#dimensions;
    } catch (err) {
      throw modelLoadError(source, describeCause(err));
    }
  }

  /** Embeds documents (with the model's document prefix); vectors are L2-normalised, in input order. */
  override async embedDocuments(texts: string[]): Promise<number[][]> {
    return this.#embed(texts, this.profile.documentPrefix);
  }

  /** Embeds one query (with the model's query prefix or instruction); L2-normalised. */
  override async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.#embed([text], this.profile.queryPrefix, false);
    if (!vector) throw new Error('LocalEmbeddings: the model returned no vector');
    return vector;
  }

  /** Releases the onnxruntime session. */
  async dispose(): Promise<void> {
    const pipe = this.#pipe;
    this.#pipe = undefined;
    this.#loading = undefined;
    if (pipe) await pipe.dispose();
  }

  async #embed(texts: string[], prefix: string, report = true): Promise<number[][]> {
    if (texts.length === 0) return [];
    await this.load();
    const pipe = this.#pipe;
    if (!pipe) throw new Error('LocalEmbeddings: disposed');
    // Longest first: similar lengths share a batch (little padding), and the
    // peak memory is reached in the first batch, so an overload shows at once.
    const order = texts.map((_, i) => i).sort((a, b) => (texts[b]?.length ?? 0) - (texts[a]?.length ?? 0) || a - b);
    const vectors: number[][] = new Array<number[]>(texts.length);
    let done = 0;
    // One batch at a time: at most `batchSize` texts are in the model at once.
    for (let start = 0; start < order.length; start += this.batchSize) {
      const ids = order.slice(start, start + this.batchSize);
      const batch = ids.map((i) => prefix + (texts[i] ?? ''));
      const t0 = performance.now();
      const out = await pipe(batch, { pooling: this.profile.pooling, normalize: true });
      this.#modelMs += performance.now() - t0;
      const width = out.dims[1] ?? 0;
      const data = out.data as Float32Array;
      ids.forEach((original, k) => {
        vectors[original] = Array.from(data.subarray(k * width, (k + 1) * width));
      });
      out.dispose();
      done += ids.length;
      if (report) this.onProgress?.(done, texts.length);
    }
    return vectors;
  }
}

/** Points transformers.js' global settings at `source`; called just before loading it. */
function configureEnv(source: ModelSource): void {
  if (source.kind === 'local') {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    return;
  }
  env.cacheDir = source.cacheDir;
  env.remoteHost = source.host;
  if (source.offline) {
    // Read the cache layout (<cacheDir>/<org>/<name>/...) as local models; never touch the network.
    env.allowLocalModels = true;
    env.localModelPath = source.cacheDir;
    env.allowRemoteModels = false;
  } else {
    // Cache first, then the host. No "local model" lookup: it only adds a warning per file.
    env.allowLocalModels = false;
    env.allowRemoteModels = true;
  }
}

/** One line about why loading failed, with the network error under fetch's generic "fetch failed". */
function describeCause(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const inner = err.cause;
  if (inner instanceof Error) {
    const code = (inner as Error & { code?: unknown }).code;
    return `${err.message} (${typeof code === 'string' ? `${code}: ` : ''}${inner.message})`;
  }
  return err.message;
}

/**
 * The error shown when a model cannot be loaded: names the model, where we
 * looked (host or offline mode), the cause in one line, and the two ways out.
 */
export function modelLoadError(source: ModelSource, cause: string): DafuModelError {
  const shortCause = (cause.split('\n').find((l) => l.trim()) ?? cause).trim().slice(0, 300);
  const where =
    source.kind === 'local'
      ? `from the local folder ${source.dir} (dtype ${source.dtype}; remote downloads disabled for folders)`
      : source.offline
        ? `in offline mode (EMBEDDING_OFFLINE is set, so nothing is downloaded; cache folder ${source.cacheDir})`
        : `from ${source.host} (cache folder ${source.cacheDir})`;
  const name = source.kind === 'hub' ? source.id : source.dir;
  const mirror =
    source.kind === 'hub' && source.offline
      ? 'unset EMBEDDING_OFFLINE and, if huggingface.co is unreachable, set EMBEDDING_REMOTE_HOST to a mirror, e.g. EMBEDDING_REMOTE_HOST=https://hf-mirror.com/'
      : 'set EMBEDDING_REMOTE_HOST to a mirror you can reach, e.g. EMBEDDING_REMOTE_HOST=https://hf-mirror.com/ (with EMBEDDING_MODEL set to a hub id)';
  return new DafuModelError(
    [
      `dafu embeddings: cannot load the embedding model "${name}" ${where}.`,
      `Cause: ${shortCause}`,
      'Two ways out:',
      `  1. ${mirror};`,
      '  2. or copy the model folder (config.json, tokenizer.json, tokenizer_config.json, onnx/model*.onnx) from a machine that has it and set EMBEDDING_MODEL=/path/to/that/folder' +
        (source.kind === 'hub' ? ` (or put it at ${path.join(source.cacheDir, source.id)}).` : '.'),
      'To try dafu right away without any download, use the tiny TEST model (not a language model: answers rest on exact lookup and',
      'keyword search only and are not meaningful for real use; the store is rebuilt when you switch back):',
      '  npm run -s test-model -- .cache/tiny-test-model && EMBEDDING_MODEL=.cache/tiny-test-model npm start',
    ].join('\n'),
  );
}

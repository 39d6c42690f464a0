/**
 * Entry point for embeddings: `createEmbeddings(config)` builds the local
 * model from the settings. Loading is lazy (first embed call or `load()`).
 */
import type { Config } from '../config.ts';
import { LocalEmbeddings, type ProgressCallback } from './local.ts';
import { resolveModelSource } from './model-source.ts';

export { LocalEmbeddings, modelLoadError, type LocalEmbeddingsOptions, type ProgressCallback } from './local.ts';
export {
  BGE_EN_QUERY_INSTRUCTION,
  BGE_ZH_QUERY_INSTRUCTION,
  DEFAULT_REMOTE_HOST,
  modelProfile,
  pickLocalDtype,
  resolveModelSource,
  type Dtype,
  type ModelProfile,
  type ModelSource,
  type Pooling,
} from './model-source.ts';
export { TEST_MODEL_DIMENSIONS, TEST_MODEL_VERSION, writeTestModel } from './test-model.ts';

export interface CreateEmbeddingsOptions {
  onProgress?: ProgressCallback;
  /** Overrides the model's default query instruction (bge zh/en); `''` turns it off. */
  queryInstruction?: string;
}

/**
 * Builds the embeddings from `EMBEDDING_MODEL`, `EMBEDDING_CACHE_DIR`,
 * `EMBEDDING_REMOTE_HOST`, `EMBEDDING_OFFLINE`, `EMBEDDING_DTYPE`,
 * `EMBEDDING_POOLING`, `EMBEDDING_BATCH_SIZE` and `EMBEDDING_THREADS`.
 * Throws `DafuModelError` at once when `EMBEDDING_MODEL` names a folder that
 * does not exist; other load problems surface from `load()` / the first embed.
 */
export function createEmbeddings(config: Config, opts: CreateEmbeddingsOptions = {}): LocalEmbeddings {
  const source = resolveModelSource(config);
  return new LocalEmbeddings({
    source,
    pooling: config.EMBEDDING_POOLING,
    batchSize: config.EMBEDDING_BATCH_SIZE,
    threads: config.EMBEDDING_THREADS,
    onProgress: opts.onProgress,
    queryInstruction: opts.queryInstruction,
  });
}

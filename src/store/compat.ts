/**
 * What every store backend (the file store, Postgres) shares when it is
 * opened: the options, the opened-store contract and the compatibility check
 * of a manifest against the model. Its own module so that the file-store
 * opener and the Postgres store both depend on it instead of on each other.
 */
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { STORE_FORMAT_VERSION, type Manifest, type Store } from './types.ts';

/** Default HNSW search breadth; matches the HNSW_EF setting's default. */
export const DEFAULT_EF = 64;

/** The embeddings a store is opened with; `modelId`/`dimensions` are checked against the manifest when present. */
export type StoreEmbeddings = EmbeddingsInterface & { modelId?: string; dimensions?: number };

export interface OpenStoreOptions {
  embeddings: StoreEmbeddings;
  /**
   * HNSW search breadth (hnswlib's `ef`). LangChain never sets it, which
   * leaves hnswlib's default of 10 (recall@10 ≈ 0.78 at 100k vectors);
   * default {@link DEFAULT_EF} gives ≈ 0.9–1.0 for well under a millisecond.
   */
  ef?: number;
}

/** A store as opened from either backend: the {@link Store} plus which generation it is and a way to let go of it. */
export interface OpenedStore extends Store {
  /** The published version this reader loaded (file store: the version folder's name; Postgres: the generation number). */
  readonly generation: string;
  /** Releases what the store holds outside memory (the Postgres pool); the file store holds nothing. */
  close(): Promise<void>;
}

/** How to fix an incompatible store, as its error messages say. */
export const REBUILD_HINT = 're-run `npm run ingest -- --rebuild`';

/**
 * Why `manifest` cannot be used with the given model, or null if it can.
 * Shared with the writer, which rebuilds instead of reusing vectors in that case.
 */
export function incompatibility(manifest: Manifest, dir: string, modelId: string | undefined, dimensions: number | undefined): string | null {
  if (manifest.formatVersion !== STORE_FORMAT_VERSION) {
    return `The store in ${dir} has format version ${manifest.formatVersion} (built with model "${manifest.model}"), but this version of dafu reads format ${STORE_FORMAT_VERSION}${modelId ? ` (model "${modelId}")` : ''}: ${REBUILD_HINT}.`;
  }
  if (modelId !== undefined && modelId !== manifest.model) {
    return `The store in ${dir} was built with embedding model "${manifest.model}", but EMBEDDING_MODEL is now "${modelId}"; vectors from different models cannot be compared: ${REBUILD_HINT}, or set EMBEDDING_MODEL back to "${manifest.model}".`;
  }
  if (dimensions !== undefined && dimensions !== manifest.dimensions) {
    return `The store in ${dir} holds ${manifest.dimensions}-dimensional vectors (model "${manifest.model}"), but the model "${modelId ?? '?'}" now produces ${dimensions}: ${REBUILD_HINT}.`;
  }
  return null;
}

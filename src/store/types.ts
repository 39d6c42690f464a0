/**
 * Contract of the on-disk store: written by `ingest/` and read by `src/`.
 * See `src/store/open.ts` for reading and `ingest/store/` for writing.
 */
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { ChunkMetadata, ParsedReply } from '../types.ts';

/**
 * Bump when the layout or the meaning of a stored field changes; old stores then ask for a re-ingest.
 * 2: compact records.json (chunks as slices of their sections), binary bm25.bin, HNSW docstore holding ids only.
 */
export const STORE_FORMAT_VERSION = 4;

/** A parsed reply as kept in the store. */
export interface StoredReply extends ParsedReply {
  /** Stable id derived from the file's content hash. */
  id: string;
  /** sha256 of the source file's bytes. */
  hash: string;
  /** Ids of this reply's chunks, in reading order. */
  chunkIds: string[];
}

/** A chunk as kept in the store (the LangChain Document plus its id). */
export interface StoredChunk {
  id: string;
  replyId: string;
  /** The embedded text: context header + body. */
  pageContent: string;
  metadata: ChunkMetadata;
}

export interface ManifestFile {
  hash: string;
  replyId: string;
  chunkIds: string[];
}

export interface Manifest {
  formatVersion: number;
  model: string;
  dimensions: number;
  createdAt: string;
  updatedAt: string;
  /** Keyed by the file path relative to the corpus root. */
  files: Record<string, ManifestFile>;
  counts: { documents: number; chunks: number; commitments: number };
  /** Chunking settings the chunks were made with; when they change, ingest re-chunks every file. Optional: added after format 1 shipped. */
  chunking?: { chunkSize: number; chunkOverlap: number };
  /** Absolute path of the corpus folder the store was built from, so eval finds it without --corpus. */
  corpusDir?: string;
}

/** Dense hit: cosine distance as LangChain's HNSWLib reports it (lower is closer, 0..2). */
export interface DenseHit {
  id: string;
  distance: number;
}

/** Lexical (BM25) hit: higher is better. */
export interface LexicalHit {
  id: string;
  score: number;
}

/** A loaded store, ready to answer from. */
export interface Store {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly replies: readonly StoredReply[];
  readonly embeddings: EmbeddingsInterface;
  chunk(id: string): StoredChunk | undefined;
  /** All chunks of a reply in reading order. */
  chunksOf(replyId: string): StoredChunk[];
  /** Embeds `query` with the store's model and searches the HNSW index. */
  denseSearch(query: string, k: number): Promise<DenseHit[]>;
  /** BM25 over Chinese tokens; with `inReplies`, the best k chunks of those replies (by id). */
  lexicalSearch(query: string, k: number, inReplies?: ReadonlySet<string>): LexicalHit[];
  /** Optional: work the first searches would do, done ahead in steps (`pause` between them), e.g. BM25 term bounds. */
  warm?(pause: () => Promise<void>): Promise<void>;
}

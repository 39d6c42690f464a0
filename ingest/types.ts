/**
 * What an ingest run takes and reports, whichever store it writes (the file
 * store in run.ts, Postgres in run-postgres.ts): its options, its progress
 * and its summary, and the embeddings it needs.
 */
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Config } from '../src/config.ts';

/** What `npm run ingest -- --json` prints. */
export interface IngestSummary {
  documents: number;
  chunks: number;
  commitments: number;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /** Texts that went through the model: the new chunks, less those whose text was already embedded (in this run or the store). */
  embedded: number;
  skipped: { file: string; reason: string }[];
  model: string;
  dimensions: number;
  seconds: number;
}

/** Progress of a run; `phase` moves read → embed → write → done. */
export interface IngestProgress {
  phase: 'read' | 'embed' | 'write' | 'done';
  filesDone: number;
  filesTotal: number;
  chunksEmbedded: number;
  chunksToEmbed: number;
}

/** The embeddings an ingest needs: LocalEmbeddings or anything with the same identity fields. */
export type IngestEmbeddings = EmbeddingsInterface & { readonly modelId: string };

export interface IngestOptions {
  corpusDir: string;
  storeDir: string;
  /** postgres://… : write the Postgres store there instead (default: STORE_URL from `config`; storeDir is then unused). */
  storeUrl?: string;
  /** Test hook (Postgres store only): runs inside a reply's transaction, its rows written, before COMMIT; throwing must leave that reply (and the store) as it was. */
  faultDuringReply?: (file: string) => Promise<void> | void;
  /** Chunking and embedding settings (CHUNK_SIZE, CHUNK_OVERLAP, EMBEDDING_*). */
  config: Config;
  /** Ignore the live store's vectors and embed everything again (the live store stays readable until the swap). */
  rebuild?: boolean;
  onProgress?: (p: IngestProgress) => void;
  /** Things the user should know that are not errors, e.g. "model changed: rebuilding". */
  onNotice?: (message: string) => void;
  /** Reuse an already loaded model (tests, benchmark); default: created from `config` and disposed at the end. */
  embeddings?: IngestEmbeddings;
  /** Test hook: called after all embedding, before the indexes and the manifest are written (the records are). Throwing here must leave the old store intact. */
  faultAfterEmbed?: () => Promise<void> | void;
  /** Test hook: called when the new version folder is half written. */
  faultDuringWrite?: () => Promise<void> | void;
}

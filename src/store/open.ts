/**
 * Opens the store that `npm run ingest` wrote: the HNSW index (dense), the
 * BM25 index (lexical), the records (replies and chunks) and the manifest.
 * Everything is loaded into memory once; searches never touch the disk.
 */
import { readFile } from 'node:fs/promises';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Bm25Index } from '../search/bm25.ts';
import { DafuStoreError } from '../errors.ts';
import type { Config } from '../config.ts';
import { readCurrentVersion, versionPaths, type RecordsFile } from './layout.ts';
import { decodeRecords } from './records.ts';
import { DEFAULT_EF, REBUILD_HINT, incompatibility, type OpenStoreOptions, type OpenedStore, type StoreEmbeddings } from './compat.ts';

// Re-exported: callers open stores from here, whichever backend holds them.
export { DEFAULT_EF, incompatibility, type OpenStoreOptions, type OpenedStore, type StoreEmbeddings };
import { type DenseHit, type LexicalHit, type Manifest, type Store, type StoredChunk, type StoredReply } from './types.ts';

/** A {@link Store} that also exposes the LangChain vector store, for callers that want LangChain's retriever API. */
export interface LoadedStore extends OpenedStore {
  readonly vectorStore: HNSWLib;
  readonly lexical: Bm25Index;
}

/** The model's dimension if it is already known; LocalEmbeddings only knows it after loading, and opening must not force a load. */
function knownDimensions(embeddings: StoreEmbeddings): number | undefined {
  try {
    return embeddings.dimensions;
  } catch {
    return undefined;
  }
}

async function readJson<T>(dir: string, path: string): Promise<T> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new DafuStoreError(`The store in ${dir} is damaged (${path} is not valid JSON: ${(err as Error).message}); ${REBUILD_HINT}.`);
  }
}

/** Reads the live version's manifest, or null when there is no store yet. */
export async function readManifest(dir: string): Promise<{ version: string; manifest: Manifest } | null> {
  const version = await readCurrentVersion(dir);
  if (!version) return null;
  return { version, manifest: await readJson<Manifest>(dir, versionPaths(dir, version).manifest) };
}

async function loadVersion(dir: string, version: string, opts: OpenStoreOptions): Promise<LoadedStore> {
  const paths = versionPaths(dir, version);
  const manifest = await readJson<Manifest>(dir, paths.manifest);
  const problem = incompatibility(manifest, dir, opts.embeddings.modelId, knownDimensions(opts.embeddings));
  if (problem) throw new DafuStoreError(problem);

  const [recordsJson, bm25Bytes, vectorStore] = await Promise.all([
    readJson<unknown>(dir, paths.records),
    readFile(paths.bm25),
    HNSWLib.load(paths.hnsw, opts.embeddings),
  ]);
  let records: RecordsFile;
  let lexical: Bm25Index;
  try {
    records = decodeRecords(recordsJson);
  } catch (err) {
    throw new DafuStoreError(`The store in ${dir} is damaged (${paths.records}: ${(err as Error).message}); ${REBUILD_HINT}.`);
  }
  try {
    lexical = Bm25Index.fromBuffer(bm25Bytes);
  } catch (err) {
    throw new DafuStoreError(`The store in ${dir} is damaged (${paths.bm25}: ${(err as Error).message}); ${REBUILD_HINT}.`);
  }
  vectorStore.index.setEf(opts.ef ?? DEFAULT_EF);
  return makeStore(dir, version, manifest, records, vectorStore, lexical, opts.embeddings);
}

function makeStore(dir: string, generation: string, manifest: Manifest, records: RecordsFile, vectorStore: HNSWLib, lexical: Bm25Index, embeddings: EmbeddingsInterface): LoadedStore {
  const chunks = new Map<string, StoredChunk>(records.chunks.map((c) => [c.id, c]));
  const replies: readonly StoredReply[] = records.replies;
  const byReply = new Map<string, StoredChunk[]>();
  for (const r of replies) byReply.set(r.id, r.chunkIds.flatMap((id) => chunks.get(id) ?? []));
  const count = (): number => vectorStore.index.getCurrentCount();
  // The BM25 documents of each reply, found when the store is opened (one pass over the chunks:
  // on the first restricted search it cost a question ~60 ms at 10^5 chunks).
  const docsOfReply = new Map<string, number[]>();
  for (const [doc, id] of lexical.documentIds().entries()) {
    const replyId = chunks.get(id)?.replyId;
    if (replyId === undefined) continue;
    const list = docsOfReply.get(replyId);
    if (list) list.push(doc);
    else docsOfReply.set(replyId, [doc]);
  }
  // The docstore on disk holds only chunk ids (the text is in the records);
  // give its Documents their text back, for callers using LangChain's API.
  for (const doc of vectorStore.docstore._docs.values()) {
    const c = chunks.get(String(doc.metadata['id']));
    if (c) {
      doc.pageContent = c.pageContent;
      doc.metadata = { id: c.id, replyId: c.replyId, file: c.metadata.file };
    }
  }

  return {
    dir,
    generation,
    close: async () => undefined,
    manifest,
    replies,
    embeddings,
    vectorStore,
    lexical,
    chunk: (id) => chunks.get(id),
    chunksOf: (replyId) => [...(byReply.get(replyId) ?? [])],
    async denseSearch(query: string, k: number): Promise<DenseHit[]> {
      // LangChain warns on stdout-adjacent console when k exceeds the count; clamp ourselves.
      const n = Math.min(k, count());
      if (n <= 0) return [];
      const vector = await embeddings.embedQuery(query);
      if (vector.length !== manifest.dimensions) {
        throw new DafuStoreError(incompatibility(manifest, dir, undefined, vector.length) ?? `query vector has ${vector.length} dimensions, the store ${manifest.dimensions}`);
      }
      const results = await vectorStore.similaritySearchVectorWithScore(vector, n);
      // float rounding gives tiny negatives for identical vectors; the contract says 0..2
      return results.map(([doc, distance]) => ({ id: String(doc.metadata['id']), distance: Math.max(0, distance) }));
    },
    warm: (pause: () => Promise<void>) => lexical.warm(pause),
    lexicalSearch(query: string, k: number, inReplies?: ReadonlySet<string>): LexicalHit[] {
      if (!inReplies) return lexical.search(query, k);
      // The search is given the replies' documents as sorted indices and skips through its postings
      // to them instead of testing every posting (a body named by a fifth of the replies touches
      // most of the corpus). In store order the replies' documents usually come out sorted already (ingest writes a reply's chunks together).
      const docs: number[] = [];
      for (const id of inReplies) for (const doc of docsOfReply.get(id) ?? []) docs.push(doc);
      const sorted = Int32Array.from(docs);
      for (let i = 1; i < sorted.length; i++) {
        if ((sorted[i] as number) < (sorted[i - 1] as number)) {
          sorted.sort();
          break;
        }
      }
      return lexical.search(query, k, sorted);
    },
  };
}

/**
 * Opens the live store in `dir` (STORE_DIR).
 *
 * Throws {@link DafuStoreError} when there is no store yet ("run npm run
 * ingest"), when it was built with another embedding model or store format
 * (naming both, and saying to re-run ingest with --rebuild), or when its
 * files are damaged.
 */
export async function openStore(dir: string, opts: OpenStoreOptions): Promise<LoadedStore> {
  // An ingest may swap CURRENT and delete the old version between our reading
  // the pointer and reading the files; then the pointer has moved: follow it once.
  for (let attempt = 0; ; attempt++) {
    let version: string | null;
    try {
      version = await readCurrentVersion(dir);
    } catch (err) {
      throw new DafuStoreError(`The store in ${dir} is damaged (${(err as Error).message}); ${REBUILD_HINT}.`);
    }
    if (!version) throw new DafuStoreError(`No store in ${dir} yet: run \`npm run ingest\` first (or set STORE_DIR to where the store is).`);
    try {
      return await loadVersion(dir, version, opts);
    } catch (err) {
      if (err instanceof DafuStoreError) throw err;
      const moved = attempt === 0 && (await readCurrentVersion(dir).catch(() => null)) !== version;
      if (moved) continue;
      const code = (err as NodeJS.ErrnoException).code;
      const what = code === 'ENOENT' ? 'a file is missing' : (err as Error).message;
      throw new DafuStoreError(`The store in ${dir} is damaged (${what}); ${REBUILD_HINT}.`);
    }
  }
}

/**
 * The configured store, from either backend: Postgres when STORE_URL is set,
 * else the files in STORE_DIR. Every caller that opens "the store" goes
 * through here, so a setting picks the backend for all of them.
 */
export async function openConfiguredStore(config: Pick<Config, 'STORE_DIR' | 'STORE_URL' | 'HNSW_EF'>, embeddings: StoreEmbeddings): Promise<OpenedStore> {
  if (config.STORE_URL) {
    const { openPgStore } = await import('./postgres.ts');
    return openPgStore(config.STORE_URL, { embeddings, ef: config.HNSW_EF });
  }
  return openStore(config.STORE_DIR, { embeddings, ef: config.HNSW_EF });
}

/**
 * The settings with a `--store` argument applied: a postgres:// URL selects
 * that Postgres store, a folder the file store there; none keeps STORE_URL /
 * STORE_DIR as configured.
 */
export function withStoreArg<C extends Pick<Config, 'STORE_DIR' | 'STORE_URL'>>(config: C, store: string | undefined): C {
  if (store === undefined) return config;
  if (/^postgres(ql)?:\/\//.test(store)) return { ...config, STORE_URL: store };
  return { ...config, STORE_DIR: store, STORE_URL: undefined };
}

/** The configured store's published manifest (Postgres: chunk id lists left empty), or null when there is none. */
export async function readConfiguredManifest(config: Pick<Config, 'STORE_DIR' | 'STORE_URL'>): Promise<{ version: string; manifest: Manifest } | null> {
  if (config.STORE_URL) {
    const { readPgManifest } = await import('./postgres.ts');
    return readPgManifest(config.STORE_URL);
  }
  return readManifest(config.STORE_DIR);
}

/** Where the configured store is, for messages (a Postgres URL without its password). */
export async function describeConfiguredStore(config: Pick<Config, 'STORE_DIR' | 'STORE_URL'>): Promise<string> {
  if (!config.STORE_URL) return config.STORE_DIR;
  const { redactUrl } = await import('./pg-schema.ts');
  return redactUrl(config.STORE_URL);
}

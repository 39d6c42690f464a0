/**
 * The store an ingest starts from: its manifest, records and vectors, so
 * unchanged files keep their chunks and vectors without re-embedding.
 */
import { readFile } from 'node:fs/promises';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { readCurrentVersion, versionPaths } from '../../src/store/layout.ts';
import { decodeRecords } from '../../src/store/records.ts';
import type { Manifest, StoredChunk, StoredReply } from '../../src/store/types.ts';

export interface PreviousStore {
  version: string;
  manifest: Manifest;
  /** Keyed by corpus-relative file path. */
  replies: Map<string, StoredReply>;
  chunks: Map<string, StoredChunk>;
  /** The stored vector of a chunk, or undefined if the index lacks it. */
  vectorOf(chunkId: string): number[] | undefined;
}

/** Just the live manifest (null when there is no store). Cheap: used to decide whether the old vectors are usable at all. */
export async function readPreviousManifest(storeDir: string): Promise<{ version: string; manifest: Manifest } | null> {
  const version = await readCurrentVersion(storeDir);
  if (!version) return null;
  const manifest = JSON.parse(await readFile(versionPaths(storeDir, version).manifest, 'utf8')) as Manifest;
  return { version, manifest };
}

/** Loads the live version in full. Throws if any part is unreadable; the caller then rebuilds from scratch. */
export async function readPrevious(storeDir: string, version: string, manifest: Manifest, embeddings: EmbeddingsInterface): Promise<PreviousStore> {
  const paths = versionPaths(storeDir, version);
  const [records, vectorStore] = await Promise.all([
    readFile(paths.records, 'utf8').then((t) => decodeRecords(JSON.parse(t))),
    HNSWLib.load(paths.hnsw, embeddings),
  ]);
  const labelOf = new Map<string, number>();
  for (const [label, doc] of vectorStore.docstore._docs) labelOf.set(String(doc.metadata['id']), Number(label));
  const index = vectorStore.index;
  return {
    version,
    manifest,
    replies: new Map(records.replies.map((r) => [r.file, r])),
    chunks: new Map(records.chunks.map((c) => [c.id, c])),
    vectorOf(chunkId) {
      const label = labelOf.get(chunkId);
      return label === undefined ? undefined : index.getPoint(label);
    },
  };
}

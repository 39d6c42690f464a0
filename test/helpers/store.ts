/**
 * Helpers for store and ingest tests: a temp copy of the sample corpus, a
 * temp store folder, and a consistency check across every index of a store.
 */
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { LoadedStore } from '../../src/store/open.ts';
import { runIngest } from '../../ingest/run.ts';
import { tinyModelConfig } from './tiny-model.ts';

/** The five sample replies, in name order. */
export const SAMPLE_CORPUS = join(import.meta.dirname, '..', '..', 'corpus');

/** Ingests the sample corpus with the tiny model into a new temp folder and returns it; the caller removes it. */
export async function ingestSampleStore(prefix = 'dafu-sample-store-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await runIngest({ corpusDir: SAMPLE_CORPUS, storeDir: dir, config: tinyModelConfig({ STORE_DIR: dir }) });
  return dir;
}

/** A temp folder removed after the test (or suite) `t`. */
export async function tempDir(t: { after(fn: () => Promise<void>): void }, prefix = 'dafu-store-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Copies the sample corpus (or only the files whose names pass `keep`) into a fresh temp folder. */
export async function copyCorpus(t: { after(fn: () => Promise<void>): void }, keep: (name: string) => boolean = () => true): Promise<string> {
  const dir = await tempDir(t, 'dafu-corpus-');
  for (const name of (await readdir(SAMPLE_CORPUS)).sort()) {
    if (keep(name)) await cp(join(SAMPLE_CORPUS, name), join(dir, name));
  }
  return dir;
}

export async function sampleFiles(): Promise<string[]> {
  return (await readdir(SAMPLE_CORPUS)).filter((f) => f.endsWith('.txt')).sort();
}

/**
 * Asserts that the HNSW index, its docstore, the BM25 index, the records and
 * the manifest all hold exactly the same chunks, once each.
 */
export function assertConsistent(store: LoadedStore): Set<string> {
  const records = store.replies.flatMap((r) => r.chunkIds);
  const recordSet = new Set(records);
  assert.equal(recordSet.size, records.length, 'a chunk id appears twice in the records');
  const dense = [...store.vectorStore.docstore._docs.values()].map((d) => String(d.metadata['id']));
  assert.equal(store.vectorStore.index.getCurrentCount(), records.length, 'HNSW vector count');
  assert.deepEqual(new Set(dense), recordSet, 'HNSW docstore ids');
  assert.equal(dense.length, records.length);
  assert.deepEqual(new Set(store.lexical.documentIds()), recordSet, 'BM25 ids');
  assert.equal(store.lexical.size, records.length);
  const manifestIds = Object.values(store.manifest.files).flatMap((f) => f.chunkIds);
  assert.deepEqual(new Set(manifestIds), recordSet, 'manifest chunk ids');
  assert.equal(store.manifest.counts.chunks, records.length);
  assert.equal(store.manifest.counts.documents, store.replies.length);
  for (const id of records) assert.ok(store.chunk(id), `record of chunk ${id}`);
  return recordSet;
}

/** The store's CURRENT pointer and the live manifest text, to check that a failed ingest changed nothing. */
export async function snapshot(storeDir: string): Promise<{ current: string; manifest: string; records: string }> {
  const current = (await readFile(join(storeDir, 'CURRENT'), 'utf8')).trim();
  return {
    current,
    manifest: await readFile(join(storeDir, current, 'manifest.json'), 'utf8'),
    records: await readFile(join(storeDir, current, 'records.json'), 'utf8'),
  };
}

/**
 * Where things live inside STORE_DIR. Shared by the reader (`open.ts`) and
 * the writer (`ingest/store/`), so the two can never disagree.
 *
 *   STORE_DIR/
 *     CURRENT            name of the live version, replaced atomically (temp file + rename)
 *     ingest.lock        pid of the ingest that is writing, while one is
 *     v-<time>-<pid>/    one complete store version
 *       manifest.json    written last: a version without it is unfinished
 *       hnsw/            LangChain HNSWLib.save() output
 *       bm25.bin         BM25 index, binary (see Bm25Index.toBuffer)
 *       records.json     replies (with sections and commitments) and chunks, compact (see records.ts)
 *
 * Readers only ever follow CURRENT, so a version being built aside (or left
 * half-built by a crash) is invisible until the pointer moves to it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredChunk, StoredReply } from './types.ts';

export const CURRENT_FILE = 'CURRENT';
export const LOCK_FILE = 'ingest.lock';
export const VERSION_PREFIX = 'v-';

/** Paths of the files inside one version directory. */
export interface VersionPaths {
  dir: string;
  manifest: string;
  hnsw: string;
  bm25: string;
  records: string;
}

export function currentPointerPath(storeDir: string): string {
  return join(storeDir, CURRENT_FILE);
}

export function lockPath(storeDir: string): string {
  return join(storeDir, LOCK_FILE);
}

/** A fresh, unique version name; time first so names sort by age. */
export function newVersionName(now: Date = new Date()): string {
  return `${VERSION_PREFIX}${now.getTime().toString().padStart(14, '0')}-${process.pid}`;
}

export function isVersionName(name: string): boolean {
  return /^v-\d+-\d+$/.test(name);
}

export function versionPaths(storeDir: string, name: string): VersionPaths {
  const dir = join(storeDir, name);
  return {
    dir,
    manifest: join(dir, 'manifest.json'),
    hnsw: join(dir, 'hnsw'),
    bm25: join(dir, 'bm25.bin'),
    records: join(dir, 'records.json'),
  };
}

/**
 * The live version's name, or null when the store has never been written
 * (no STORE_DIR or no CURRENT). A CURRENT naming something that is not a
 * version is treated as corrupt and throws, rather than silently reading
 * an arbitrary folder.
 */
export async function readCurrentVersion(storeDir: string): Promise<string | null> {
  let name: string;
  try {
    name = (await readFile(currentPointerPath(storeDir), 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (!isVersionName(name)) throw new Error(`${currentPointerPath(storeDir)} does not name a store version (found ${JSON.stringify(name.slice(0, 60))})`);
  return name;
}

/** The records in memory; `records.json` holds them compactly (see `records.ts`). */
export interface RecordsFile {
  replies: StoredReply[];
  chunks: StoredChunk[];
}

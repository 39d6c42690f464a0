/**
 * Writes a store version aside and publishes it atomically.
 *
 * Order matters for crash safety: every file of the new version is written
 * and flushed to disk (records.json while the ingest runs), manifest.json last; only then is CURRENT replaced
 * (temp file + rename, atomic on POSIX). A crash before the rename leaves
 * CURRENT naming the old, untouched version; the half-built folder is
 * removed by the next ingest ({@link removeOtherVersions}).
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { open, readdir, rename, rm, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import type { Bm25Index } from '../../src/search/bm25.ts';
import { currentPointerPath, isVersionName, newVersionName, versionPaths, CURRENT_FILE, type VersionPaths } from '../../src/store/layout.ts';
import type { Manifest } from '../../src/store/types.ts';

/** What is written into a version after the records (which are streamed into it while the ingest runs). */
export interface VersionContent {
  manifest: Manifest;
  bm25: Bm25Index;
  vectorStore: HNSWLib;
}

/** A version folder being built: its name and paths. */
export interface VersionInProgress {
  name: string;
  paths: VersionPaths;
}

/** Writes `data` to `path` and flushes it to disk before resolving. */
async function writeDurable(path: string, data: string | Uint8Array): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function syncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } catch (err) {
    // Some file systems refuse fsync on directories; durability there is best effort.
    if (!['EINVAL', 'EISDIR', 'EPERM'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await fh.close();
  }
}

/** Flushes every file under `dir` (HNSWLib.save does not) and the folders themselves. */
async function syncTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) await syncTree(p);
    else await syncPath(p);
  }
  await syncPath(dir);
}

/**
 * Creates a new version folder next to the live one; nothing readers see
 * changes. The ingest streams `records.json` into it (see
 * `records-stream.ts`), then calls {@link completeVersion}. Until then it is
 * an unfinished version: removed by the next ingest, or at once by
 * {@link abandonUnpublished} when this one fails.
 */
export async function startVersion(storeDir: string): Promise<VersionInProgress> {
  const name = newVersionName();
  const paths = versionPaths(storeDir, name);
  await mkdir(paths.dir, { recursive: true });
  return { name, paths };
}

/**
 * Writes the rest of a version whose records are written and flushed: the
 * HNSW index, BM25, then the manifest last, everything flushed to disk.
 * `afterPartialWrite` is a test hook called when the folder is half written
 * (index saved, manifest not yet).
 */
export async function completeVersion(version: VersionInProgress, content: VersionContent, afterPartialWrite?: () => Promise<void> | void): Promise<string> {
  const { paths } = version;
  await content.vectorStore.save(paths.hnsw);
  await writeDurable(paths.bm25, content.bm25.toBuffer());
  await afterPartialWrite?.();
  await syncTree(paths.hnsw);
  // Last: a version folder without a manifest is by definition unfinished.
  await writeDurable(paths.manifest, JSON.stringify(content.manifest, null, 1));
  await syncPath(paths.dir);
  return version.name;
}

/** Points CURRENT at `name` atomically. */
export async function publishVersion(storeDir: string, name: string): Promise<void> {
  const tmp = `${currentPointerPath(storeDir)}.${process.pid}.tmp`;
  await writeDurable(tmp, `${name}\n`);
  await rename(tmp, currentPointerPath(storeDir));
  await syncPath(storeDir);
}

/**
 * Deletes every version folder except `keep` (the live one), and leftover
 * temp pointers. Only called while holding the ingest lock, so anything else
 * is either a superseded version or the remains of a crashed ingest.
 */
export async function removeOtherVersions(storeDir: string, keep: string | null): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(storeDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const removed: string[] = [];
  for (const name of entries) {
    const stale = (isVersionName(name) && name !== keep) || (name.startsWith(`${CURRENT_FILE}.`) && name.endsWith('.tmp'));
    if (!stale) continue;
    await rm(join(storeDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Synchronous cleanup for an interrupted ingest (a signal handler about to
 * exit): removes every version folder that CURRENT does not name, and temp
 * pointers. CURRENT is read here, not taken from the caller's state, so a
 * version published a moment before the signal is never deleted. Returns
 * the live version's name (null when there is none). Never throws.
 */
export function abandonUnpublished(storeDir: string): string | null {
  let live: string | null = null;
  try {
    live = readFileSync(currentPointerPath(storeDir), 'utf8').trim() || null;
  } catch {
    live = null;
  }
  try {
    for (const name of readdirSync(storeDir)) {
      const stale = (isVersionName(name) && name !== live) || (name.startsWith(`${CURRENT_FILE}.`) && name.endsWith('.tmp'));
      if (stale) rmSync(join(storeDir, name), { recursive: true, force: true });
    }
  } catch {
    // Best effort: the next ingest removes whatever is left (removeOtherVersions).
  }
  return live;
}

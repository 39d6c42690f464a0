/**
 * One ingest at a time per store. The lock is a file holding the owner's pid;
 * it is created atomically (hard link of a complete temp file, which fails if
 * the lock exists), so a reader of the lock never sees it half-written.
 * A lock whose pid is no longer running on this host (a killed ingest) is
 * stale and taken over; a live one makes the second ingest refuse.
 */
import { hostname } from 'node:os';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { lockPath } from '../../src/store/layout.ts';
import { DafuStoreBusyError, DafuStoreError } from '../../src/errors.ts';

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

/** A held lock; `release()` and `releaseSync()` are idempotent. */
export interface StoreLock {
  readonly path: string;
  release(): Promise<void>;
  /** Synchronous release, for a signal handler that exits right after. */
  releaseSync(): void;
}

/** True when process `pid` exists (EPERM: it exists but belongs to someone else). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A user-facing reason for a file-system error on the store folder. */
function storeFsReason(err: unknown): string {
  switch ((err as NodeJS.ErrnoException | undefined)?.code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return 'it (or a folder above it) is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

async function readLock(path: string): Promise<LockInfo | null> {
  try {
    const info = JSON.parse(await readFile(path, 'utf8')) as Partial<LockInfo>;
    return typeof info.pid === 'number' ? { pid: info.pid, host: String(info.host ?? ''), startedAt: String(info.startedAt ?? '?') } : null;
  } catch {
    return null;
  }
}

/**
 * Takes the ingest lock of `storeDir` (creating the folder if needed).
 * Throws {@link DafuStoreError} naming the other ingest's pid when it is still running.
 */
export async function acquireLock(storeDir: string): Promise<StoreLock> {
  const path = lockPath(storeDir);
  const mine: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const tmp = `${path}.${process.pid}.tmp`;
  // The first writes into the store folder: a folder that cannot be written
  // is reported here, before any work, as a store error naming the folder.
  try {
    await mkdir(storeDir, { recursive: true });
    await writeFile(tmp, JSON.stringify(mine));
  } catch (err) {
    throw new DafuStoreError(`cannot write the store folder ${storeDir}: ${storeFsReason(err)} (pass --store DIR or set STORE_DIR)`, { cause: err });
  }
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(tmp, path);
        await removeDeadTemps(path);
        return makeLock(path, mine);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const other = await readLock(path);
      // A lock from another machine (shared folder) cannot be checked, so it counts as held.
      if (other && (other.host !== mine.host || alive(other.pid))) {
        throw new DafuStoreBusyError(
          `Another ingest (pid ${other.pid}${other.host !== mine.host ? ` on ${other.host}` : ''}, started ${other.startedAt}) is writing the store in ${storeDir}; wait for it to finish. If no ingest is running, delete ${path}.`,
        );
      }
      // Stale (dead pid) or unreadable: move it out of the way by renaming,
      // so that of two ingests taking over at once only one wins the link.
      await rename(path, `${path}.stale.${process.pid}`).catch(() => undefined);
      await unlink(`${path}.stale.${process.pid}`).catch(() => undefined);
    }
    throw new DafuStoreError(`Could not take the ingest lock ${path}; another ingest keeps taking it. Try again.`);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/**
 * Removes `ingest.lock.<pid>.tmp` and `ingest.lock.stale.<pid>` files left by
 * ingests killed between writing and removing them (their pid no longer
 * runs). Called while holding the lock, so no live ingest of this host is
 * using them; a live pid's file is left alone.
 */
async function removeDeadTemps(path: string): Promise<void> {
  const folder = dirname(path);
  const prefix = `${basename(path)}.`;
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(?:(\d+)\.tmp|stale\.(\d+))$/.exec(name.slice(prefix.length));
    const pid = Number(m?.[1] ?? m?.[2] ?? NaN);
    if (!m || pid === process.pid || alive(pid)) continue;
    await unlink(join(folder, name)).catch(() => undefined);
  }
}

function makeLock(path: string, mine: LockInfo): StoreLock {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      // Only remove the lock if it is still ours (never someone else's after a takeover).
      const current = await readLock(path);
      if (current && current.pid === mine.pid && current.startedAt === mine.startedAt) await unlink(path).catch(() => undefined);
    },
    releaseSync() {
      if (released) return;
      released = true;
      try {
        const current = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
        if (current.pid === mine.pid && current.startedAt === mine.startedAt) unlinkSync(path);
      } catch {
        // Gone or unreadable: nothing of ours to remove.
      }
    },
  };
}

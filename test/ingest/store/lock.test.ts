import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock } from '../../../ingest/store/lock.ts';
import { lockPath } from '../../../src/store/layout.ts';
import { DafuStoreError } from '../../../src/errors.ts';

async function tempStore(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dafu-lock-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('a second ingest on the same store refuses with a clear message while the first holds the lock', async (t) => {
  const dir = await tempStore(t);
  const lock = await acquireLock(dir);
  const info = JSON.parse(await readFile(lockPath(dir), 'utf8')) as { pid: number };
  assert.equal(info.pid, process.pid);
  await assert.rejects(acquireLock(dir), (err: Error) => err instanceof DafuStoreError && err.message.includes(`pid ${process.pid}`) && err.message.includes('Another ingest'));
  await lock.release();
  assert.equal(existsSync(lockPath(dir)), false);
  const again = await acquireLock(dir);
  await again.release();
});

test('a lock held by another live process is respected', async (t) => {
  const dir = await tempStore(t);
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  t.after(() => {
    child.kill('SIGKILL');
  });
  await writeFile(lockPath(dir), JSON.stringify({ pid: child.pid, host: hostname(), startedAt: new Date().toISOString() }));
  await assert.rejects(acquireLock(dir), new RegExp(`pid ${child.pid}`));
});

test('a stale lock from a dead process is taken over', async (t) => {
  const dir = await tempStore(t);
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  await writeFile(lockPath(dir), JSON.stringify({ pid: Number(dead.stdout), host: hostname(), startedAt: '2020-01-01T00:00:00Z' }));
  const lock = await acquireLock(dir);
  const info = JSON.parse(await readFile(lockPath(dir), 'utf8')) as { pid: number };
  assert.equal(info.pid, process.pid);
  await lock.release();
});

test('a garbage lock file (e.g. a truncated one) does not block ingest forever', async (t) => {
  const dir = await tempStore(t);
  await writeFile(lockPath(dir), '');
  const lock = await acquireLock(dir);
  await lock.release();
});

test('a store path that is a file is a clear store error naming it, not a raw EEXIST', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dafu-lock-file-'));
  try {
    const file = join(dir, 'store');
    await writeFile(file, 'not a folder');
    for (const target of [file, join(file, 'sub')]) {
      await assert.rejects(acquireLock(target), (err: unknown) => {
        assert.ok(err instanceof DafuStoreError);
        assert.match(err.message, new RegExp(`cannot write the store folder ${target.replace(/[/\\]/g, '.')}: it \\(or a folder above it\\) is a file`));
        return true;
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

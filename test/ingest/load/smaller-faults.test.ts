/**
 * Issue 10, item 10, the smaller faults: UTF-16 without a BOM is named as
 * such (not "binary (NUL byte)"); lock temp files of killed ingests are
 * removed; a self-referencing symlink is a loop, not "broken"; 10,000-deep
 * HTML gets a reason, not "Maximum call stack size exceeded"; GB18030 is
 * listed once among the encodings tried. All inputs are generated here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { loadFile, LoadError, walkCorpus } from '../../../ingest/load/index.ts';
import { detectLegacy } from '../../../ingest/load/encoding.ts';
import { acquireLock } from '../../../ingest/store/lock.ts';
import { tempDir } from './helpers.ts';

async function reasonOf(path: string): Promise<string> {
  try {
    await loadFile(path);
  } catch (err) {
    assert.ok(err instanceof LoadError, String(err));
    return err.reason;
  }
  assert.fail(`${path} loaded`);
}

const REPLY = '关于对省十四届人大四次会议第0147号代表建议的答复\n吉工信议案〔2025〕6号\n徐凤娟代表：\n一、2025年省商务厅积极推动企业开拓海外市场。\n';

test('UTF-16 LE and BE without a BOM: "UTF-16 without a byte order mark; re-save it as UTF-8"', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'le.txt'), iconv.encode(REPLY, 'utf-16le'));
    await writeFile(join(dir, 'be.txt'), iconv.encode(REPLY, 'utf-16be'));
    assert.equal(await reasonOf(join(dir, 'le.txt')), 'UTF-16 (LE) without a byte order mark; re-save it as UTF-8');
    assert.equal(await reasonOf(join(dir, 'be.txt')), 'UTF-16 (BE) without a byte order mark; re-save it as UTF-8');
    // Real binary data (NULs on both sides of the byte pairs) is still binary.
    await writeFile(join(dir, 'bin.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0, 0x44, 0, 0, 0x52, 0, 0]));
    assert.match(await reasonOf(join(dir, 'bin.txt')), /^looks like binary data/);
  } finally {
    await cleanup();
  }
});

test('lock temp files of killed ingests are removed by the next ingest; a live process’s are kept', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    // A pid that ran and is gone: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    await writeFile(join(dir, `ingest.lock.${dead}.tmp`), '{}');
    await writeFile(join(dir, `ingest.lock.stale.${dead}`), '{}');
    await writeFile(join(dir, 'ingest.lock.1.tmp'), '{}'); // pid 1 is alive
    const lock = await acquireLock(dir);
    await lock.release();
    const left = (await readdir(dir)).sort();
    assert.deepEqual(left, ['ingest.lock.1.tmp']);
  } finally {
    await cleanup();
  }
});

test('a symbolic link to itself is reported as a loop, not as broken', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'good.txt'), REPLY);
    await symlink('self.txt', join(dir, 'self.txt'));
    await symlink('b.txt', join(dir, 'a.txt'));
    await symlink('a.txt', join(dir, 'b.txt'));
    await symlink('gone.txt', join(dir, 'broken.txt'));
    const listing = await walkCorpus(dir);
    assert.deepEqual(listing.files, ['good.txt']);
    const reasons = Object.fromEntries(listing.skipped.map((s) => [s.file, s.reason]));
    assert.match(reasons['self.txt']!, /^symbolic link loop/);
    assert.match(reasons['a.txt']!, /^symbolic link loop/);
    assert.match(reasons['broken.txt']!, /^broken symbolic link/);
    assert.match(await reasonOf(join(dir, 'self.txt')), /^symbolic link loop/);
  } finally {
    await cleanup();
  }
});

test('HTML nested 10,000 levels deep is refused as nested too deeply', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const depth = 10_000;
    await writeFile(join(dir, 'deep.html'), `<html><body>${'<div>'.repeat(depth)}一、正文。${'</div>'.repeat(depth)}</body></html>`);
    const reason = await reasonOf(join(dir, 'deep.html'));
    assert.match(reason, /^refused: the page is nested too deeply to read/);
    assert.doesNotMatch(reason, /Maximum call stack/);
  } finally {
    await cleanup();
  }
});

test('an undecodable file lists GB18030 once among the encodings tried', () => {
  // Bytes chardet reads as GB18030 but that do not decode cleanly as it: valid lead bytes, then an invalid trail.
  const gbk = iconv.encode('关于对省十四届人大四次会议第0147号代表建议的答复。省商务厅积极推动企业开拓海外市场。'.repeat(20), 'gb18030');
  const broken = Buffer.concat([gbk, Buffer.from([0x81, 0x20, 0xfe, 0x7f, 0x81, 0x20])]);
  assert.throws(() => detectLegacy(broken), (err: Error) => {
    const tried = /\(tried ([^)]*)\)/.exec(err.message)?.[1] ?? '';
    assert.ok(tried, err.message);
    const names = tried.split(', ');
    assert.equal(names.length, new Set(names).size, `each once: ${tried}`);
    assert.ok(names.includes('GB18030'));
    return true;
  });
});

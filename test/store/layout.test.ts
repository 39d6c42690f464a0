import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentPointerPath, isVersionName, newVersionName, readCurrentVersion, versionPaths } from '../../src/store/layout.ts';

test('version names are unique per process and time, recognisable, and sort by age', () => {
  const a = newVersionName(new Date(1_000));
  const b = newVersionName(new Date(2_000_000_000_000));
  assert.ok(isVersionName(a) && isVersionName(b));
  assert.ok(a < b);
  assert.ok(!isVersionName('CURRENT') && !isVersionName('../etc'));
  assert.equal(versionPaths('/s', a).manifest, join('/s', a, 'manifest.json'));
});

test('CURRENT: missing means no store; a bogus pointer is an error, never followed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'dafu-layout-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  assert.equal(await readCurrentVersion(dir), null);
  assert.equal(await readCurrentVersion(join(dir, 'nope')), null);
  await writeFile(currentPointerPath(dir), 'v-00000000001000-42\n');
  assert.equal(await readCurrentVersion(dir), 'v-00000000001000-42');
  await writeFile(currentPointerPath(dir), '../../etc');
  await assert.rejects(readCurrentVersion(dir), /does not name a store version/);
});

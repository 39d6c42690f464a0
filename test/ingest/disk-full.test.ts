/**
 * Issue 10, item 8: a full disk while the new version is written. Writing to
 * /dev/full gives a real ENOSPC from the kernel, half-way through the version
 * (index and BM25 written, records and manifest not): ingest must say what
 * happened in one line, remove the partial version folder at once (it is what
 * keeps the disk full), and leave the previous store as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { appendFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runIngest } from '../../ingest/run.ts';
import { DafuStoreError } from '../../src/errors.ts';
import { openStore } from '../../src/store/open.ts';
import { createEmbeddings } from '../../src/embeddings/index.ts';
import { copyCorpus, sampleFiles, snapshot, tempDir } from '../helpers/store.ts';
import { tinyModelConfig } from '../helpers/tiny-model.ts';
import { cli } from '../commands/cli-helper.ts';

const versions = async (dir: string) => (await readdir(dir)).filter((n) => n.startsWith('v-'));

test('ENOSPC half-way through writing: one-line error, partial version removed, previous store intact', { skip: !existsSync('/dev/full') && 'needs /dev/full' }, async (t) => {
  const corpus = await copyCorpus(t);
  const storeDir = await tempDir(t);
  const config = tinyModelConfig({ STORE_DIR: storeDir });
  const embeddings = createEmbeddings(config);
  t.after(() => embeddings.dispose());
  await runIngest({ corpusDir: corpus, storeDir, config, embeddings });
  const good = await snapshot(storeDir);
  const [f0] = (await sampleFiles()) as [string];
  await appendFile(join(corpus, f0), '\n\n七、新增内容\n磁盘写满时不应出现的修改。\n');

  let partial: string[] = [];
  let caught: unknown;
  try {
    await runIngest({
      corpusDir: corpus, storeDir, config, embeddings,
      faultDuringWrite: async () => {
        partial = (await versions(storeDir)).filter((n) => n !== good.current);
        await writeFile('/dev/full', 'the disk is full');
      },
    });
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof DafuStoreError, `a store error, got ${String(caught)}`);
  assert.match(caught.message, /^dafu ingest: no space left on the device while writing the store in .+; the partial new version was removed and the previous store \(version v-[^)]+\) is unchanged and still answers\. Free some space and run ingest again\.$/);
  assert.ok(!caught.message.includes('\n'), 'one line');
  assert.equal(partial.length, 1, 'a new version was being written');
  assert.deepEqual(await versions(storeDir), [good.current], 'the partial version is gone right away');
  assert.ok(!existsSync(join(storeDir, 'ingest.lock')), 'the lock is released');
  assert.deepEqual(await snapshot(storeDir), good);
  const store = await openStore(storeDir, { embeddings });
  assert.deepEqual(store.lexicalSearch('磁盘写满时不应出现', 5), []);
});

test('npm run ingest on a full disk prints one line without a stack and exits 1', { skip: !existsSync('/dev/full') && 'needs /dev/full' }, async (t) => {
  const corpus = await copyCorpus(t);
  const storeDir = await tempDir(t);
  const run = await cli(['ingest', '--corpus', corpus, '--store', storeDir], { env: { DAFU_FAULT_INJECT: 'enospc:write' } });
  assert.equal(run.code, 1);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0]!, /^dafu ingest: no space left on the device while writing the store in .+; the partial new version was removed and there was no previous store\. Free some space/);
  assert.deepEqual(await versions(storeDir), []);
});

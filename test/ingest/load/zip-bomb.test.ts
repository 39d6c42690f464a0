/**
 * Issue 10, item 1: a .docx ZIP bomb must be refused by its declared sizes or
 * its actual inflation, before mammoth inflates it, with a reason naming the
 * entry, and an ingest must take the good files beside it. The bombs here
 * are generated (see makeDocxBomb) and sized to stay fast: 64 MiB is enough
 * to cross the caps, and before the fix mammoth expanded it in full.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, cp } from 'node:fs/promises';
import { join } from 'node:path';
import { loadFile, LoadError } from '../../../ingest/load/index.ts';
import { checkZip, ZipRefused, DEFAULT_ZIP_LIMITS } from '../../../ingest/load/zip-guard.ts';
import { runIngest } from '../../../ingest/run.ts';
import { SAMPLE_CORPUS, sampleFiles, tempDir as storeTemp } from '../../helpers/store.ts';
import { tinyModelConfig } from '../../helpers/tiny-model.ts';
import { makeDocx, makeDocxBomb, makeDocxFromBody, tempDir, zip } from './helpers.ts';

async function reasonOf(path: string): Promise<string> {
  try {
    await loadFile(path);
  } catch (err) {
    assert.ok(err instanceof LoadError, String(err));
    return err.reason;
  }
  assert.fail(`${path} loaded`);
}

test('a .docx whose document.xml declares 64 MB is refused from its directory, fast and without inflating it', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const bomb = makeDocxBomb(64);
    assert.ok(bomb.length < 200 * 1024, `the bomb is small on disk (${bomb.length} bytes)`);
    await writeFile(join(dir, 'bomb.docx'), bomb);
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const reason = await reasonOf(join(dir, 'bomb.docx'));
    assert.match(reason, /^refused as a ZIP bomb: word\/document\.xml would expand to 64\.0 MB \(limit 32\.0 MB\)/);
    assert.match(reason, /Re-save/);
    assert.ok(performance.now() - started < 2000, 'refused in well under 2 s');
    assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'the bomb was not expanded');
  } finally {
    await cleanup();
  }
});

test('a bomb below the size cap is refused for its ratio; one that lies about its size, by its actual inflation', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    // 20 MiB from about 20 KB: under the 32 MiB entry cap, far over the ratio cap.
    await writeFile(join(dir, 'dense.docx'), makeDocxBomb(20));
    assert.match(await reasonOf(join(dir, 'dense.docx')), /^refused as a ZIP bomb: word\/document\.xml would expand \d+ times \(20\.0 MB from \d+\.\d KB; limit 200 times\)/);

    // Declares an empty body (its head and tail, a few hundred bytes), inflates to 64 MiB: caught after one byte past the declared size.
    await writeFile(join(dir, 'liar.docx'), makeDocxBomb(64, 0));
    const started = performance.now();
    assert.match(await reasonOf(join(dir, 'liar.docx')), /^refused as a ZIP bomb: word\/document\.xml expands beyond the \d+ bytes it declares/);
    assert.ok(performance.now() - started < 2000);

    // Too many entries.
    const many = Object.fromEntries(Array.from({ length: DEFAULT_ZIP_LIMITS.maxEntries + 1 }, (_, i) => [`f${i}.xml`, 'x']));
    assert.throws(() => checkZip(zip(many)), (err: unknown) => err instanceof ZipRefused && /lists 5001 entries/.test(err.message));

    // A real-sized document still loads.
    await writeFile(join(dir, 'good.docx'), makeDocx(['关于省人大代表建议的答复', '一、正文。']));
    assert.match((await loadFile(join(dir, 'good.docx'))).text, /一、正文。/);
  } finally {
    await cleanup();
  }
});

test('a .docx nested 10,000 levels deep is refused as nested too deeply, not "Maximum call stack size exceeded"', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const depth = 10_000;
    const body = '<w:sdt><w:sdtContent>'.repeat(depth) + '<w:p><w:r><w:t>正文</w:t></w:r></w:p>' + '</w:sdtContent></w:sdt>'.repeat(depth);
    await writeFile(join(dir, 'deep.docx'), makeDocxFromBody(body));
    assert.match(await reasonOf(join(dir, 'deep.docx')), /^refused: the document XML is nested too deeply/);
  } finally {
    await cleanup();
  }
});

test('ingest skips the bomb with its reason and ingests the replies beside it', async (t) => {
  const corpus = await storeTemp(t, 'dafu-bomb-corpus-');
  const store = await storeTemp(t);
  const [first, second] = await sampleFiles();
  await cp(join(SAMPLE_CORPUS, first!), join(corpus, first!));
  await cp(join(SAMPLE_CORPUS, second!), join(corpus, second!));
  await writeFile(join(corpus, 'bomb.docx'), makeDocxBomb(64));
  await writeFile(join(corpus, 'liar.docx'), makeDocxBomb(64, 0));
  const summary = await runIngest({ corpusDir: corpus, storeDir: store, config: tinyModelConfig({ STORE_DIR: store }) });
  assert.equal(summary.documents, 2);
  assert.deepEqual(summary.skipped.map((s) => s.file), ['bomb.docx', 'liar.docx']);
  for (const s of summary.skipped) assert.match(s.reason, /ZIP bomb/);
});

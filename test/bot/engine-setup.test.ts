/**
 * storeStaleness decides whether `npm start` re-ingests before serving. A
 * corpus file that ingest skips never enters the manifest, so it must not
 * make the store look stale, or every start would re-ingest.
 */
import assert from 'node:assert/strict';
import { cp, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runIngest } from '../../ingest/run.ts';
import { storeStaleness } from '../../src/bot/engine-setup.ts';
import { createEmbeddings } from '../../src/embeddings/index.ts';
import { readManifest } from '../../src/store/open.ts';
import { SAMPLE_CORPUS, copyCorpus, sampleFiles, tempDir } from '../helpers/store.ts';
import { tinyModelConfig } from '../helpers/tiny-model.ts';

describe('storeStaleness', () => {
  it('ignores files ingest skips (empty, corrupt, duplicate content) but sees new, changed and removed replies', async (t) => {
    const [first, second] = await sampleFiles();
    const corpus = await copyCorpus(t, (name) => name === first);
    const store = await tempDir(t);
    const config = tinyModelConfig({ STORE_DIR: store, CORPUS_DIR: corpus });
    const embeddings = createEmbeddings(config);
    t.after(() => embeddings.dispose());
    const model = embeddings.modelId;

    assert.match((await storeStaleness(config, model)) ?? '', /no store/);
    await runIngest({ corpusDir: corpus, storeDir: store, config, embeddings });
    assert.equal(await storeStaleness(config, model), null, 'fresh store is current');
    assert.match((await storeStaleness(config, 'another/model')) ?? '', /another\/model/);

    // Files ingest leaves out: an empty reply, a corrupt PDF, a copy of an ingested reply.
    await writeFile(join(corpus, 'empty.txt'), '');
    await writeFile(join(corpus, 'scan.pdf'), Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x13, 0x37]));
    await cp(join(SAMPLE_CORPUS, first!), join(corpus, 'copy-of-first.txt'));
    const summary = await runIngest({ corpusDir: corpus, storeDir: store, config, embeddings });
    assert.deepEqual(summary.skipped.map((s) => s.file).sort(), ['copy-of-first.txt', 'empty.txt', 'scan.pdf']);
    assert.deepEqual(Object.keys((await readManifest(store))!.manifest.files), [first], 'skipped files are not in the manifest');
    assert.equal(await storeStaleness(config, model), null, 'skipped files do not make the store stale');

    await cp(join(SAMPLE_CORPUS, second!), join(corpus, second!));
    assert.equal(await storeStaleness(config, model), `${second} is new`);
    await runIngest({ corpusDir: corpus, storeDir: store, config, embeddings });
    assert.equal(await storeStaleness(config, model), null);

    await writeFile(join(corpus, second!), '\n附：补充说明。', { flag: 'a' });
    assert.equal(await storeStaleness(config, model), `${second} changed`);
    await runIngest({ corpusDir: corpus, storeDir: store, config, embeddings });
    assert.equal(await storeStaleness(config, model), null);

    await rm(join(corpus, second!));
    assert.equal(await storeStaleness(config, model), `${second} was removed from the corpus`);
    assert.ok((await readdir(corpus)).includes(first!));
  });
});

/**
 * Issue 10, items 1 and 16: /reload re-ingests in a child process with a heap
 * limit. A file that exhausts memory kills the child, not the bot: the admin
 * is told why, questions are still answered from the old store, and the store
 * on disk is unchanged. A ZIP bomb in the corpus is skipped with its reason
 * and the rest reloaded; the reply says what was added, changed and removed.
 */
import assert from 'node:assert/strict';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { prepareEngine } from '../../src/bot/engine-setup.ts';
import { MSG } from '../../src/bot/messages.ts';
import { createLogger } from '../../src/log.ts';
import { SAMPLE_CORPUS, sampleFiles, snapshot, tempDir } from '../helpers/store.ts';
import { tinyModelConfig } from '../helpers/tiny-model.ts';
import { startHarness } from '../helpers/bot-harness.ts';
import { makeDocxBomb } from '../ingest/load/helpers.ts';

const text = (c: { params: Record<string, unknown> }) => String(c.params.text);

describe('/reload in a child process', () => {
  it('survives an ingest that runs out of memory, skips a ZIP bomb, and reports what changed', async (t) => {
    const [f0, f1, f2, f3] = await sampleFiles();
    const corpus = await tempDir(t, 'dafu-reload-corpus-');
    const store = await tempDir(t, 'dafu-reload-store-');
    for (const f of [f0!, f1!]) await cp(join(SAMPLE_CORPUS, f), join(corpus, f));
    // A small heap for the child: the ingest of a few replies needs far less, an exhausted one dies quickly.
    const config = tinyModelConfig({ STORE_DIR: store, CORPUS_DIR: corpus, INGEST_MEMORY_MB: '256' });
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (l) => void lines.push(l) });
    const setup = await prepareEngine(config, logger);
    t.after(() => setup.embeddings.dispose());
    const h = await startHarness(setup.engine, { RATE_LIMIT_PER_MINUTE: '100' }, { reload: setup.reload });
    t.after(() => h.close());

    // A new reply and a bomb: the bomb is skipped, the reply added, and the admin told both.
    await cp(join(SAMPLE_CORPUS, f2!), join(corpus, f2!));
    await writeFile(join(corpus, 'bomb.docx'), makeDocxBomb(64));
    const reloaded = await h.say({ userId: 1001, text: '/reload' });
    assert.equal(text(reloaded.at(-1)!), MSG.reloadDone(3, h.bot.services.engine.stats().chunks, { added: 1, changed: 0, removed: 0, skipped: 1 }));
    assert.match(text(reloaded.at(-1)!), /新增 1 份，更新 0 份，删除 0 份；1 个文件无法导入/);
    assert.ok(lines.some((l) => l.includes('"msg":"ingest done"') && l.includes('ZIP bomb')), 'the skipped bomb and its reason are logged');
    const before = await snapshot(store);

    // The next ingest fills its heap (as the bomb did before the ZIP checks): the child dies, the bot does not.
    await cp(join(SAMPLE_CORPUS, f3!), join(corpus, f3!));
    process.env['DAFU_FAULT_INJECT'] = 'oom:embed';
    let failed;
    try {
      failed = await h.say({ userId: 1001, text: '/reload' });
    } finally {
      delete process.env['DAFU_FAULT_INJECT'];
    }
    assert.match(text(failed.at(-1)!), /^重新加载失败，仍在使用原有资料库。原因：the ingest ran out of memory \(INGEST_MEMORY_MB=256\)/);
    assert.deepEqual(await snapshot(store), before, 'the store on disk is unchanged');
    assert.equal(h.bot.services.engine.stats().replies, 3, 'the bot still serves the last good store');
    const [answer] = await h.say({ userId: 1002, text: '省科技厅下一步打算做什么？' });
    assert.notEqual(text(answer!), MSG.apology);

    // Removing files is reported too.
    await rm(join(corpus, f3!));
    await rm(join(corpus, f2!));
    const removed = await h.say({ userId: 1001, text: '/reload' });
    assert.match(text(removed.at(-1)!), /共 2 份答复.*新增 0 份，更新 0 份，删除 1 份；1 个文件无法导入/);
    assert.ok(!(await readFile(join(store, 'CURRENT'), 'utf8')).includes(before.current));
  });
});

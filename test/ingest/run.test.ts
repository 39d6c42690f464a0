import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runIngest, type IngestProgress } from '../../ingest/run.ts';
import { acquireLock } from '../../ingest/store/lock.ts';
import { createEmbeddings, type LocalEmbeddings } from '../../src/embeddings/index.ts';
import { openStore } from '../../src/store/open.ts';
import { DafuStoreError } from '../../src/errors.ts';
import { tinyModelConfig, tinyModelDirSync } from '../helpers/tiny-model.ts';
import { assertConsistent, copyCorpus, sampleFiles, snapshot, tempDir } from '../helpers/store.ts';

const config = tinyModelConfig();
let embeddings: LocalEmbeddings;

before(async () => {
  embeddings = createEmbeddings(config);
  await embeddings.load();
});
after(() => embeddings.dispose());

/** Runs an ingest and records how many chunks it had to embed. */
async function ingest(corpusDir: string, storeDir: string, extra: Partial<Parameters<typeof runIngest>[0]> = {}) {
  let toEmbed = 0;
  let embedded = 0;
  const summary = await runIngest({
    corpusDir,
    storeDir,
    config,
    embeddings,
    onProgress: (p: IngestProgress) => {
      toEmbed = Math.max(toEmbed, p.chunksToEmbed);
      embedded = Math.max(embedded, p.chunksEmbedded);
    },
    ...extra,
  });
  return { summary, toEmbed, embedded };
}

describe('incremental ingest', () => {
  test('add, change and remove files: no stale or duplicate chunks, unchanged files not re-embedded', async (t) => {
    const files = await sampleFiles();
    const [f0, f1, f2, , f4] = files as [string, string, string, string, string];
    const corpus = await copyCorpus(t, (name) => name !== f4);
    const storeDir = await tempDir(t);

    const first = await ingest(corpus, storeDir);
    assert.equal(first.summary.documents, 4);
    assert.equal(first.summary.added, 4);
    assert.equal(first.toEmbed, first.summary.chunks, 'a new store embeds every chunk');
    assert.equal(first.embedded, first.summary.chunks);
    const before = await openStore(storeDir, { embeddings });
    assertConsistent(before);
    const removedReply = before.replies.find((r) => r.file === f2);
    assert.ok(removedReply?.docNumber, 'the file to remove has a document number');
    assert.equal(before.chunk(before.lexicalSearch(removedReply.docNumber, 1)[0]?.id ?? '')?.replyId, removedReply.id);
    const unchangedChunks = before.replies.filter((r) => r.file === f0).flatMap((r) => r.chunkIds);

    // add f4, change f1, remove f2
    await cp(join(import.meta.dirname, '..', '..', 'corpus', f4), join(corpus, f4));
    await appendFile(join(corpus, f1), '\n\n六、补充说明\n我们将会同省量子隧穿研究院开展专项调研，形成报告。\n');
    await rm(join(corpus, f2));
    const second = await ingest(corpus, storeDir);
    assert.deepEqual(
      { added: second.summary.added, changed: second.summary.changed, removed: second.summary.removed, unchanged: second.summary.unchanged, documents: second.summary.documents },
      { added: 1, changed: 1, removed: 1, unchanged: 2, documents: 4 },
    );
    const store = await openStore(storeDir, { embeddings });
    const ids = assertConsistent(store);
    const embeddedNow = store.replies.filter((r) => r.file === f4 || r.file === f1).flatMap((r) => r.chunkIds).length;
    assert.equal(second.toEmbed, embeddedNow, 'only the chunks of the added and the changed file are embedded');
    for (const id of unchangedChunks) assert.ok(ids.has(id), 'an unchanged file keeps its chunks');
    // the removed file is gone from every index
    assert.equal(store.replies.some((r) => r.file === f2), false);
    assert.equal(Object.keys(store.manifest.files).includes(f2), false);
    for (const id of removedReply.chunkIds) assert.equal(ids.has(id), false);
    assert.ok(store.lexicalSearch(removedReply.docNumber, 10).every((h) => store.chunk(h.id)?.replyId !== removedReply.id));
    // the changed file's new text is searchable, and its old version's chunks are gone
    const hit = store.chunk(store.lexicalSearch('量子隧穿研究院', 1)[0]?.id ?? '');
    assert.equal(hit?.metadata.file, f1);
    const oldF1 = before.replies.find((r) => r.file === f1);
    assert.ok(oldF1);
    for (const id of oldF1.chunkIds) assert.equal(ids.has(id), false, 'a changed file leaves no old chunk behind');
    // a dense search can only return live chunks
    for (const h of await store.denseSearch('人工智能产业发展', 20)) assert.ok(ids.has(h.id));

    // nothing changed: nothing embedded, store identical in content
    const third = await ingest(corpus, storeDir);
    assert.equal(third.toEmbed, 0);
    assert.equal(third.summary.unchanged, 4);
    assert.deepEqual(assertConsistent(await openStore(storeDir, { embeddings })), ids);
    // only the live version remains on disk
    assert.equal((await readdir(storeDir)).filter((n) => n.startsWith('v-')).length, 1);
  });

  test('--rebuild embeds everything again; a bad file is skipped with its reason and the rest ingested', async (t) => {
    const corpus = await copyCorpus(t);
    await writeFile(join(corpus, 'empty.txt'), '');
    await writeFile(join(corpus, 'notes.xyz'), 'hello');
    const dupe = (await sampleFiles())[0] as string;
    await cp(join(corpus, dupe), join(corpus, `copy-of-${dupe}`));
    const storeDir = await tempDir(t);
    const first = await ingest(corpus, storeDir);
    assert.equal(first.summary.documents, 5);
    const reasons = new Map(first.summary.skipped.map((s) => [s.file, s.reason]));
    assert.deepEqual([...reasons.keys()].sort(), [`copy-of-${dupe}`, 'empty.txt', 'notes.xyz'].sort());
    assert.match(reasons.get(`copy-of-${dupe}`) ?? '', /same content/);
    assert.ok(reasons.get('empty.txt'));
    assertConsistent(await openStore(storeDir, { embeddings }));

    const rebuilt = await ingest(corpus, storeDir, { rebuild: true });
    assert.equal(rebuilt.toEmbed, rebuilt.summary.chunks);
    const store = await openStore(storeDir, { embeddings, ef: 200 });
    assertConsistent(store);
    assert.equal(store.vectorStore.index.getEf(), 200, 'HNSW_EF reaches hnswlib');
    // The docstore on disk holds ids only; LangChain's own search still returns the chunk text.
    const [doc] = await store.vectorStore.similaritySearch('人工智能产业发展', 1);
    assert.ok(doc && doc.pageContent.length > 0);
    assert.equal(doc.pageContent, store.chunk(String(doc.metadata['id']))?.pageContent);
  });

  test('nothing ingestable: the summary says so and the previous store is kept', async (t) => {
    const corpus = await copyCorpus(t, (n) => n === 'none');
    await writeFile(join(corpus, 'empty.txt'), '');
    const storeDir = await tempDir(t);
    const { summary } = await ingest(corpus, storeDir);
    assert.equal(summary.documents, 0);
    assert.equal(summary.skipped.length, 1);
    assert.equal(existsSync(join(storeDir, 'CURRENT')), false);
  });
});

describe('crash safety', () => {
  test('a failure after embedding or while writing leaves the old store readable and unchanged', async (t) => {
    const corpus = await copyCorpus(t);
    const storeDir = await tempDir(t);
    await ingest(corpus, storeDir);
    const good = await snapshot(storeDir);
    const [f0] = (await sampleFiles()) as [string];
    await appendFile(join(corpus, f0), '\n\n七、新增内容\n这是一次不应出现在仓库中的修改。\n');

    await assert.rejects(
      ingest(corpus, storeDir, {
        faultAfterEmbed: () => {
          throw new Error('boom after embed');
        },
      }),
      /boom after embed/,
    );
    assert.deepEqual(await snapshot(storeDir), good);

    let halfWritten = '';
    await assert.rejects(
      ingest(corpus, storeDir, {
        faultDuringWrite: async () => {
          halfWritten = (await readdir(storeDir)).filter((n) => n.startsWith('v-') && n !== good.current).join();
          throw new Error('boom while writing');
        },
      }),
      /boom while writing/,
    );
    assert.ok(halfWritten, 'the new version was being built aside');
    assert.deepEqual(await snapshot(storeDir), good);
    const store = await openStore(storeDir, { embeddings });
    assertConsistent(store);
    assert.deepEqual(store.lexicalSearch('不应出现在仓库中', 5), []);

    // the lock was released and the next ingest cleans up the half-built folder
    const next = await ingest(corpus, storeDir);
    assert.equal(next.summary.changed, 1);
    assert.equal(existsSync(join(storeDir, halfWritten)), false);
    const updated = await openStore(storeDir, { embeddings });
    assertConsistent(updated);
    assert.equal(updated.chunk(updated.lexicalSearch('不应出现在仓库中', 1)[0]?.id ?? '')?.metadata.file, f0);
  });

  test('a second ingest while one holds the lock refuses and changes nothing', async (t) => {
    const corpus = await copyCorpus(t);
    const storeDir = await tempDir(t);
    await ingest(corpus, storeDir);
    const good = await snapshot(storeDir);
    const lock = await acquireLock(storeDir);
    t.after(() => lock.release());
    await assert.rejects(ingest(corpus, storeDir, { rebuild: true }), (err: Error) => err instanceof DafuStoreError && /Another ingest/.test(err.message));
    assert.deepEqual(await snapshot(storeDir), good);
  });
});

describe('model changes', () => {
  test('opening with another model names both and says to re-run ingest; ingest then rebuilds by itself', async (t) => {
    const corpus = await copyCorpus(t, (n) => n.startsWith('000') || n.startsWith('003'));
    const storeDir = await tempDir(t);
    const first = await ingest(corpus, storeDir);
    // The same tiny model under another path is, as far as the store can tell, another model.
    const otherDir = join(await tempDir(t, 'dafu-other-model-'), 'model');
    await cp(tinyModelDirSync(), otherDir, { recursive: true });
    const other = createEmbeddings(tinyModelConfig({ EMBEDDING_MODEL: otherDir }));
    t.after(() => other.dispose());
    await assert.rejects(openStore(storeDir, { embeddings: other }), (err: Error) => {
      assert.ok(err instanceof DafuStoreError);
      assert.ok(err.message.includes(first.summary.model) && err.message.includes(otherDir), err.message);
      assert.match(err.message, /npm run ingest -- --rebuild/);
      return true;
    });
    const notices: string[] = [];
    const again = await runIngest({ corpusDir: corpus, storeDir, config, embeddings: other, onNotice: (m) => notices.push(m) });
    assert.equal(again.model, otherDir);
    assert.match(notices.join('\n'), /rebuilding/);
    const manifest = JSON.parse(await readFile(join(storeDir, (await snapshot(storeDir)).current, 'manifest.json'), 'utf8')) as { model: string };
    assert.equal(manifest.model, otherDir);
    assertConsistent(await openStore(storeDir, { embeddings: other }));
  });

  test('no store yet: the error says to run npm run ingest', async (t) => {
    const storeDir = await tempDir(t);
    await assert.rejects(openStore(storeDir, { embeddings }), (err: Error) => err instanceof DafuStoreError && /run `npm run ingest`/.test(err.message));
  });
});

/**
 * The Postgres store with the real engine: devdb (PGlite + pgvector over the
 * wire protocol, reached with the `pg` client like a server), the real
 * tiny-model embedding pipeline, real files. One devdb for the whole file
 * (WebAssembly start-up is seconds); each test starts from an empty database.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { runIngest, type IngestProgress } from '../../ingest/run.ts';
import { migrateToPostgres } from '../../ingest/store/migrate.ts';
import { writeSyntheticCorpus } from '../../src/bench/synthetic-corpus.ts';
import { createEngine } from '../../src/answer/engine.ts';
import { prepareEngine } from '../../src/bot/engine-setup.ts';
import type { Engine } from '../../src/answer/types.ts';
import { createEmbeddings, type LocalEmbeddings } from '../../src/embeddings/index.ts';
import { DafuStoreBusyError, DafuStoreError } from '../../src/errors.ts';
import { createLogger } from '../../src/log.ts';
import { ConfigError, loadConfig, storeUrlPassword } from '../../src/config.ts';
import { openConfiguredStore, openStore, type OpenedStore } from '../../src/store/open.ts';
import { watchStore } from '../../src/store/watch.ts';
import { pgQuery, resetPgStore, startTestDevDb, type DevDb } from '../helpers/devdb.ts';
import { ROOT } from '../commands/cli-helper.ts';
import { SAMPLE_CORPUS, copyCorpus, tempDir } from '../helpers/store.ts';
import { tinyModelConfig, tinyModelDirSync } from '../helpers/tiny-model.ts';

const DEV = (await readFile(join(import.meta.dirname, '..', 'fixtures', 'questions.jsonl'), 'utf8'))
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { id: string; question: string });

let db: DevDb;
let embeddings: LocalEmbeddings;
const opened: OpenedStore[] = [];

function pgConfig(overrides: Record<string, string> = {}) {
  return tinyModelConfig({ STORE_URL: db.url, STORE_POLL_MS: '100', ...overrides });
}

async function ingest(corpusDir: string, extra: Partial<Parameters<typeof runIngest>[0]> = {}) {
  const progress: IngestProgress[] = [];
  const summary = await runIngest({ corpusDir, storeDir: '/nonexistent-file-store', config: pgConfig(), embeddings, onProgress: (p) => progress.push(p), ...extra });
  return { summary, embedded: progress.at(-1)?.chunksEmbedded ?? 0 };
}

async function open(emb = embeddings): Promise<OpenedStore> {
  const s = await openConfiguredStore(pgConfig(), emb);
  opened.push(s);
  return s;
}

async function generation(): Promise<number> {
  const rows = await pgQuery<{ generation: string }>(db.url, 'SELECT generation FROM dafu_state');
  return Number(rows[0]?.generation);
}

before(async () => {
  db = await startTestDevDb();
  embeddings = createEmbeddings(tinyModelConfig());
});
after(async () => {
  for (const s of opened) await s.close();
  await embeddings?.dispose();
  await db?.stop();
});
describe('the answer engine on both stores', () => {
  let fileEngine: Engine;
  let pgEngine: Engine;
  let pgStore: OpenedStore;
  before(async () => {
    await resetPgStore(db.url);
    const dir = await tempDir({ after }, 'dafu-both-');
    const config = tinyModelConfig({ STORE_DIR: dir });
    await runIngest({ corpusDir: SAMPLE_CORPUS, storeDir: dir, config, embeddings });
    fileEngine = createEngine(await openStore(dir, { embeddings }), config, { llm: null });
    await runIngest({ corpusDir: SAMPLE_CORPUS, storeDir: dir, config: pgConfig(), embeddings });
    pgStore = await open();
    pgEngine = createEngine(pgStore, pgConfig(), { llm: null });
  });

  test('every dev question gets the same answer and the same citations from both', async () => {
    assert.ok(DEV.length >= 20);
    for (const q of DEV) {
      const [a, b] = [await fileEngine.ask(q.question), await pgEngine.ask(q.question)];
      assert.equal(b.answer, a.answer, q.id);
      assert.deepEqual(b.citations.map((c) => c.chunkId), a.citations.map((c) => c.chunkId), q.id);
      assert.equal(b.found, a.found, q.id);
    }
  });

  test('looks a reply up by its 发文字号 and by its proposal number', async () => {
    const a = await pgEngine.ask('吉科发高〔2024〕74号是回哪个提案的？');
    assert.equal(a.found, true);
    assert.equal(a.kind, 'lookup');
    assert.match(a.answer, /2024W298/);
    assert.equal(a.citations[0]?.docNumber, '吉科发高〔2024〕74号');
    const b = await pgEngine.ask('2024W298号提案是怎么答复的？');
    assert.equal(b.found, true);
    assert.ok(b.citations.every((c) => c.file === '002_0bd37d7d743fadf3.txt'), JSON.stringify(b.citations.map((c) => c.file)));
  });

  test('commitments, stats and dense hits agree', async () => {
    assert.deepEqual(pgEngine.commitments(), fileEngine.commitments());
    assert.deepEqual(pgEngine.commitments('科技厅'), fileEngine.commitments('科技厅'));
    const [fs, ps] = [fileEngine.stats(), pgEngine.stats()];
    assert.equal(ps.replies, fs.replies);
    assert.equal(ps.chunks, fs.chunks);
    const hits = await pgStore.denseSearch('人工智能产业发展', 5);
    assert.equal(hits.length, 5);
    for (let i = 1; i < hits.length; i++) assert.ok(hits[i]!.distance >= hits[i - 1]!.distance, 'ordered by cosine distance');
    // The exact lookup columns hold what the records say.
    const rows = await pgQuery<{ doc_number: string | null; proposal_number: string | null }>(db.url, "SELECT doc_number, proposal_number FROM dafu_replies WHERE file = '002_0bd37d7d743fadf3.txt'");
    assert.equal(rows[0]?.doc_number, '吉科发高〔2024〕74号');
  });
});

describe('ingest into Postgres', () => {
  beforeEach(async () => {
    await resetPgStore(db.url);
  });

  test('a second run skips every file and publishes nothing new', async (t) => {
    const corpus = await copyCorpus(t);
    const first = await ingest(corpus);
    assert.equal(first.summary.added, 5);
    const g = await generation();
    const again = await ingest(corpus);
    assert.equal(again.summary.unchanged, 5);
    assert.equal(again.summary.added + again.summary.changed + again.summary.removed, 0);
    assert.equal(again.embedded, 0, 'nothing embedded');
    assert.equal(await generation(), g, 'no new generation');
    assert.equal((await open()).manifest.counts.chunks, first.summary.chunks);
  });

  test('a changed file is replaced (old chunks gone, unchanged texts keep their vectors), a removed file is deleted', async (t) => {
    const corpus = await copyCorpus(t);
    const first = await ingest(corpus);
    const before = await open();
    const file = '003_e8697536acab98ae.txt';
    const text = await readFile(join(corpus, file), 'utf8');
    const oldChunks = before.replies.find((r) => r.file === file)!.chunkIds;
    await writeFile(join(corpus, file), text.replace(/。/, '。特此补充一句新的内容。'));
    await rm(join(corpus, '004_d9c7c73d928775f5.txt'));
    const second = await ingest(corpus);
    assert.equal(second.summary.changed, 1);
    assert.equal(second.summary.removed, 1);
    assert.ok(second.embedded > 0 && second.embedded < oldChunks.length, `only changed chunks embedded (${second.embedded} of ${oldChunks.length})`);
    const after = await open();
    assert.equal(Number(after.generation), Number(before.generation) + 1);
    assert.deepEqual(after.replies.map((r) => r.file).sort(), before.replies.map((r) => r.file).filter((f) => !f.startsWith('004')).sort());
    for (const id of oldChunks) assert.equal(after.chunk(id), undefined, 'old chunk not visible');
    assert.equal(after.manifest.counts.documents, first.summary.documents - 1);
    // The reader opened before still answers from its own generation.
    assert.ok(before.replies.some((r) => r.file.startsWith('004')));
    assert.ok((await before.denseSearch('人工智能', 3)).length === 3);
    // After one more publish, rows retired two generations ago are gone from the tables.
    await writeFile(join(corpus, file), text);
    await ingest(corpus);
    const retired = await pgQuery<{ n: string }>(db.url, "SELECT count(*) AS n FROM dafu_replies WHERE file LIKE '004%'");
    assert.equal(Number(retired[0]?.n), 0);
  });

  test('a failure in the middle of a reply leaves the store as it was', async (t) => {
    const corpus = await copyCorpus(t);
    await ingest(corpus);
    const g = await generation();
    const before = await open();
    for (const f of ['001_df39bc2c45c1e4b7.txt', '003_e8697536acab98ae.txt']) {
      await writeFile(join(corpus, f), (await readFile(join(corpus, f), 'utf8')).replace(/。/, '。新增一句。'));
    }
    await assert.rejects(
      ingest(corpus, {
        faultDuringReply: (f) => {
          if (f.startsWith('003')) throw new Error('injected fault mid-reply');
        },
      }),
      /injected fault mid-reply/,
    );
    assert.equal(await generation(), g, 'nothing published');
    const now = await open();
    assert.deepEqual(now.replies.map((r) => r.hash), before.replies.map((r) => r.hash), 'every reply as it was, the one written before the failure too');
    const pending = await pgQuery<{ n: string }>(db.url, 'SELECT count(*) AS n FROM dafu_replies WHERE gen_from > $1 OR gen_to IS NOT NULL', [g]);
    assert.equal(Number(pending[0]?.n), 0, 'the pending generation was undone');
    const retry = await ingest(corpus);
    assert.equal(retry.summary.changed, 2);
  });

  test('a second ingest at the same time is refused with a clear message, and the first completes', async (t) => {
    const corpus = await copyCorpus(t);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inEmbed = new Promise<void>((r) => (entered = r));
    // The real model, held at its first batch (outside any transaction) until the second ingest has been refused.
    const held = Object.assign(Object.create(embeddings) as LocalEmbeddings, {
      embedDocuments: async (texts: string[]) => {
        entered();
        await gate;
        return embeddings.embedDocuments(texts);
      },
    });
    const first = ingest(corpus, { embeddings: held });
    await inEmbed;
    await assert.rejects(ingest(corpus), (err: Error) => {
      assert.ok(err instanceof DafuStoreBusyError, String(err));
      assert.match(err.message, new RegExp(`Another ingest \\(pid ${process.pid}`));
      assert.match(err.message, /wait for it to finish/);
      assert.ok(!err.message.includes('password'));
      return true;
    });
    release();
    assert.equal((await first).summary.added, 5);
    assert.equal((await ingest(corpus)).summary.unchanged, 5, 'the lock was released');
  });

  test('an ingest in another process holds the lock; killed (kill -9) before publishing, it changes nothing and the next ingest takes over', async (t) => {
    const corpus = await copyCorpus(t);
    await ingest(corpus);
    const g = await generation();
    const before = await open();
    const file = '001_df39bc2c45c1e4b7.txt';
    await writeFile(join(corpus, file), (await readFile(join(corpus, file), 'utf8')).replace(/。/, '。另一个进程写的一句。'));
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), 'ingest', '--json', '--corpus', corpus], {
      cwd: ROOT,
      env: { ...process.env, STORE_URL: db.url, EMBEDDING_MODEL: tinyModelDirSync(), EMBEDDING_OFFLINE: '1', EMBEDDING_THREADS: '1', DAFU_FAULT_INJECT: 'pause:write' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    t.after(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    await new Promise<void>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('DAFU_PAUSED write')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`ingest child exited (${code}) before pausing: ${err}`)));
    });
    await assert.rejects(ingest(corpus), (err: Error) => err instanceof DafuStoreBusyError && err.message.includes(`pid ${child.pid}`));
    const pending = await pgQuery<{ n: string }>(db.url, 'SELECT count(*) AS n FROM dafu_replies WHERE gen_from > $1', [g]);
    assert.equal(Number(pending[0]?.n), 1, 'the child wrote its reply, unpublished');
    assert.deepEqual((await open()).replies.map((r) => r.hash), before.replies.map((r) => r.hash), 'readers do not see it');
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const next = await ingest(corpus);
    assert.equal(next.summary.changed, 1, 'the next ingest took the lock at once (the holder is dead) and redid the change');
    assert.equal(await generation(), g + 1);
    const left = await pgQuery<{ n: string }>(db.url, 'SELECT count(*) AS n FROM dafu_replies WHERE gen_from > $1', [g + 1]);
    assert.equal(Number(left[0]?.n), 0, 'no leftovers of the killed ingest');
  });

  test('a reader notices a new generation without reopening by hand (watchStore and the bot engine)', async (t) => {
    const corpus = await copyCorpus(t, (n) => !n.startsWith('004'));
    await ingest(corpus);
    const seen: string[] = [];
    const watch = watchStore(pgConfig(), String(await generation()), (g) => {
      seen.push(g);
    });
    t.after(() => watch.stop());
    const bot = await prepareEngine(pgConfig({ CORPUS_DIR: corpus }), createLogger({ level: 'silent' }));
    t.after(() => bot.embeddings.dispose());
    assert.equal(bot.engine.stats().replies, 4);
    let swapped: Engine | undefined;
    const stop = bot.watch((e) => {
      swapped = e;
    });
    t.after(stop);
    await cp(join(SAMPLE_CORPUS, '004_d9c7c73d928775f5.txt'), join(corpus, '004_d9c7c73d928775f5.txt'));
    await ingest(corpus);
    const deadline = Date.now() + 10_000;
    while ((!swapped || seen.length === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(seen, [String(await generation())]);
    assert.equal(swapped?.stats().replies, 5, 'the bot serves the new generation');
  });

  test("the bot's /reload ingests the Postgres store in a child process", async (t) => {
    const corpus = await copyCorpus(t, (n) => !n.startsWith('004'));
    const bot = await prepareEngine(pgConfig({ CORPUS_DIR: corpus }), createLogger({ level: 'silent' }));
    t.after(() => bot.embeddings.dispose());
    assert.equal(bot.engine.stats().replies, 4, 'the start-up ingest went to Postgres');
    await cp(join(SAMPLE_CORPUS, '004_d9c7c73d928775f5.txt'), join(corpus, '004_d9c7c73d928775f5.txt'));
    const g = await generation();
    const result = await bot.reload();
    assert.equal(result.changes?.added, 1);
    assert.equal(result.engine.stats().replies, 5);
    assert.equal(await generation(), g + 1);
  });

  test('changing the model builds a new generation and switches to it in one step', async (t) => {
    const corpus = await copyCorpus(t, (n) => n.startsWith('000') || n.startsWith('003'));
    const first = await ingest(corpus);
    const oldReader = await open();
    const otherDir = join(await tempDir(t, 'dafu-other-model-'), 'model');
    await cp(tinyModelDirSync(), otherDir, { recursive: true });
    const other = createEmbeddings(tinyModelConfig({ EMBEDDING_MODEL: otherDir }));
    t.after(() => other.dispose());
    await assert.rejects(open(other), (err: Error) => err instanceof DafuStoreError && err.message.includes(otherDir) && /--rebuild/.test(err.message));
    const notices: string[] = [];
    const again = await ingest(corpus, { embeddings: other, onNotice: (m) => notices.push(m) });
    assert.match(notices.join('\n'), /rebuilding with/);
    assert.equal(again.summary.documents, first.summary.documents);
    assert.equal(again.embedded, first.summary.chunks, 'every chunk embedded with the new model');
    const state = await pgQuery<{ model: string; epoch: number }>(db.url, 'SELECT model, epoch FROM dafu_state');
    assert.deepEqual(state[0], { model: otherDir, epoch: 1 });
    const reader = await open(other);
    assert.equal(reader.manifest.counts.chunks, first.summary.chunks);
    await assert.rejects(open(), (err: Error) => err instanceof DafuStoreError && /EMBEDDING_MODEL/.test(err.message), 'the old model no longer opens it');
    // A reader of the old generation keeps answering until it reopens.
    assert.equal((await oldReader.denseSearch('人工智能', 2)).length, 2);
  });

  test('migrate moves a file store into Postgres with its vectors (nothing embedded)', async (t) => {
    const dir = await tempDir(t);
    await runIngest({ corpusDir: SAMPLE_CORPUS, storeDir: dir, config: tinyModelConfig({ STORE_DIR: dir }), embeddings });
    const fileStore = await openStore(dir, { embeddings });
    const summary = await migrateToPostgres(dir, db.url);
    assert.equal(summary.documents, 5);
    const pgStore = await open();
    assert.deepEqual(pgStore.replies.map((r) => r.id), fileStore.replies.map((r) => r.id));
    const [a, b] = [await fileStore.denseSearch('科技创新平台建设', 5), await pgStore.denseSearch('科技创新平台建设', 5)];
    assert.deepEqual(b.map((h) => h.id), a.map((h) => h.id));
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]!.distance - b[i]!.distance) < 1e-4, 'the same vectors');
    // An ingest afterwards finds every file unchanged.
    assert.equal((await ingest(SAMPLE_CORPUS)).summary.unchanged, 5);
  });

  test('a dense search for more hits than HNSW_EF gets them all, on the HNSW index, like hnswlib', async (t) => {
    // ~1,200 chunks: enough for Postgres to search through the index rather than sort the table.
    const corpus = (await writeSyntheticCorpus(SAMPLE_CORPUS, join(await tempDir(t, 'dafu-synth-'), 'c'), 100, 1)).dir;
    const dir = await tempDir(t);
    await runIngest({ corpusDir: corpus, storeDir: dir, config: tinyModelConfig({ STORE_DIR: dir }), embeddings });
    const fileStore = await openStore(dir, { embeddings, ef: 64 });
    await migrateToPostgres(dir, db.url);
    const plan = await pgQuery<{ 'QUERY PLAN': string }>(db.url, `EXPLAIN SELECT id FROM dafu_chunks_0 ORDER BY embedding <=> (SELECT embedding FROM dafu_chunks_0 LIMIT 1) LIMIT 150`);
    assert.match(plan.map((r) => r['QUERY PLAN']).join('\n'), /Index Scan using dafu_chunks_0_embedding/);
    const pgStore = await openConfiguredStore(pgConfig({ HNSW_EF: '64' }), embeddings);
    opened.push(pgStore);
    const [a, b] = [await fileStore.denseSearch('人工智能产业发展', 150), await pgStore.denseSearch('人工智能产业发展', 150)];
    assert.equal(b.length, 150, 'not cut at ef_search (64)');
    const same = b.filter((h) => a.some((x) => x.id === h.id)).length;
    assert.ok(same >= 140, `${same} of 150 hits shared with hnswlib`);
  });

  test('no store yet, or a database that is not there: errors say what to do and never show the password', async () => {
    assert.throws(() => loadConfig({ STORE_URL: 'mysql://dafu:s3cret-pw@127.0.0.1/dafu' }), (err: Error) => err instanceof ConfigError && /STORE_URL=\(hidden\)/.test(err.message) && !err.message.includes('s3cret-pw'));
    assert.equal(storeUrlPassword(loadConfig({ STORE_URL: 'postgres://dafu:s3cret%2Fpw@127.0.0.1/dafu' })), 's3cret/pw', 'the password, decoded, for the log redaction');
    await assert.rejects(open(), (err: Error) => err instanceof DafuStoreError && /npm run ingest/.test(err.message));
    const url = `postgres://dafu:s3cret-pw@127.0.0.1:1/dafu`;
    await assert.rejects(openConfiguredStore(tinyModelConfig({ STORE_URL: url }), embeddings), (err: Error) => {
      assert.ok(err instanceof DafuStoreError);
      assert.ok(!err.message.includes('s3cret-pw'), err.message);
      assert.match(err.message, /devdb/);
      return true;
    });
  });
});

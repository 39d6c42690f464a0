/**
 * `npm run -s devdb` as a user (or the multi-instance test) runs it: a child
 * process printing its STORE_URL first, shared by several processes at once,
 * stopped by SIGTERM.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { runIngest } from '../../ingest/run.ts';
import { cli } from '../commands/cli-helper.ts';
import { spawnDevDb, type SpawnedDevDb } from '../helpers/devdb.ts';
import { SAMPLE_CORPUS } from '../helpers/store.ts';
import { tinyModelConfig } from '../helpers/tiny-model.ts';

let db: SpawnedDevDb;
before(async () => {
  db = await spawnDevDb();
});
after(async () => {
  await db?.stop();
});

test('prints a loopback postgres:// URL as its first line', () => {
  assert.match(db.url, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
});

test('a second connection waits while another holds a transaction, then gets its answer (not refused)', async () => {
  const a = new pg.Client({ connectionString: db.url });
  const b = new pg.Client({ connectionString: db.url });
  await a.connect();
  await b.connect();
  try {
    await a.query('BEGIN');
    await a.query('CREATE TEMP TABLE t_wait (x int)');
    let answered = false;
    const second = b.query<{ one: number }>('SELECT 1 AS one').then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(answered, false, 'served only after the transaction ends');
    await a.query('COMMIT');
    assert.equal((await second).rows[0]?.one, 1);
  } finally {
    await a.end();
    await b.end();
  }
});

test('several processes share one devdb: two `ask` processes answer at once from the store an ingest wrote', async () => {
  await runIngest({ corpusDir: SAMPLE_CORPUS, storeDir: '/nonexistent-file-store', config: tinyModelConfig({ STORE_URL: db.url }) });
  const env = { STORE_URL: db.url };
  const [x, y] = await Promise.all([
    cli(['ask', '--json', '吉科发高〔2024〕74号是回哪个提案的？'], { env }),
    cli(['ask', '--json', '省科技厅下一步打算做什么？'], { env }),
  ]);
  for (const r of [x, y]) {
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { found: boolean }).found, true, r.stdout);
  }
  assert.match(x.stdout, /2024W298/);
});

test('stops on SIGTERM (last: it stops the shared one)', async () => {
  const started = Date.now();
  await db.stop();
  assert.equal(db.child.exitCode, 0);
  assert.ok(Date.now() - started < 10_000);
});

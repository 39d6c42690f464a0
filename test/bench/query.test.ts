/**
 * `bench query` at a tiny size: a temp store built from the sample corpus
 * (by `npm run ingest` in a child process), three questions, and a report
 * with every stage, cold and warm, and memory. No timing is asserted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runIngest } from '../../ingest/run.ts';
import { benchQuery, formatQueryReport, STAGES } from '../../src/bench/query.ts';
import { createEmbeddings } from '../../src/embeddings/index.ts';
import { SAMPLE_CORPUS, tempDir } from '../helpers/store.ts';
import { tinyModelConfig, tinyModelDirSync } from '../helpers/tiny-model.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'questions.jsonl');

/** The first `n` lines of the dev questions, in a temp file. */
async function someQuestions(t: { after(fn: () => Promise<void>): void }, n: number): Promise<string> {
  const dir = await tempDir(t, 'dafu-bench-q-');
  const file = join(dir, 'questions.jsonl');
  const lines = (await readFile(FIXTURE, 'utf8')).split('\n').filter((l) => l.trim());
  await writeFile(file, lines.slice(0, n).join('\n') + '\n');
  return file;
}

test('3 questions × 2 passes on a temp store: every stage cold and warm, memory, and a readable table', async (t) => {
  const questionsFile = await someQuestions(t, 3);
  const r = await benchQuery({ questionsFile, repeat: 2, env: { ...process.env, CORPUS_DIR: SAMPLE_CORPUS, EMBEDDING_THREADS: '1' } });
  assert.equal(r.questions, 3);
  assert.equal(r.repeat, 2);
  assert.equal(r.warm.asks, 6);
  assert.equal(r.store.temporary, true);
  assert.equal(r.store.documents, 5);
  assert.ok(r.foundPerPass > 0, 'the engine answered something');
  for (const stage of STAGES) {
    const w = r.warm.stages[stage];
    assert.ok(w, `warm ${stage}`);
    assert.ok(w.p50 <= w.p95 && w.p95 <= w.max, `${stage}: p50 ≤ p95 ≤ max`);
    assert.equal(typeof r.cold.stages[stage], 'number', `cold ${stage}`);
  }
  assert.ok(r.cold.askMs > 0 && r.cold.openMs > 0 && r.cold.asks >= 1);
  assert.equal(r.slowest.length, 3);
  assert.ok(r.slowest.every((q) => typeof q.stages.total === "number"));
  assert.ok(r.memory.rssAfterOpenMB > 0 && r.memory.peakRssMB >= r.memory.rssAfterOpenMB);
  const table = formatQueryReport(r);
  for (const label of ['embedding (model)', 'dense search (HNSW)', 'lexical (BM25)', 'fusion', 'composing', 'warm p95', 'RSS after open']) assert.ok(table.includes(label), label);
});

test('--store opens an existing store with the configured model', async (t) => {
  const dir = await tempDir(t, 'dafu-bench-store-');
  const config = tinyModelConfig();
  const embeddings = createEmbeddings(config);
  await runIngest({ corpusDir: SAMPLE_CORPUS, storeDir: dir, config, embeddings });
  await embeddings.dispose();
  const r = await benchQuery({
    questionsFile: await someQuestions(t, 2),
    repeat: 1,
    storeDir: dir,
    env: { ...process.env, EMBEDDING_MODEL: tinyModelDirSync(), EMBEDDING_OFFLINE: '1', EMBEDDING_THREADS: '1' },
  });
  assert.equal(r.store.temporary, false);
  assert.equal(r.store.dir, dir);
  assert.equal(r.model, tinyModelDirSync());
  assert.equal(r.warm.asks, 2);
});

test('a missing questions file is named', async () => {
  await assert.rejects(benchQuery({ questionsFile: '/nonexistent/q.jsonl' }), /\/nonexistent\/q\.jsonl/);
});

test('--store-url devdb measures the Postgres store beside the file store in the same run, with ratios', async (t) => {
  const r = await benchQuery({ questionsFile: await someQuestions(t, 3), repeat: 1, storeUrl: 'devdb', env: { ...process.env, CORPUS_DIR: SAMPLE_CORPUS, EMBEDDING_THREADS: '1' } });
  const p = r.postgres;
  assert.ok(p, 'a Postgres section');
  assert.equal(p.store.documents, r.store.documents);
  assert.equal(p.store.chunks, r.store.chunks);
  assert.equal(p.foundPerPass, r.foundPerPass, 'the same answers found');
  assert.equal(typeof p.ratioP50.denseSearch, 'number');
  assert.ok(p.warm.stages.total && p.cold.openMs > 0);
  const table = formatQueryReport(r);
  for (const label of ['Postgres store', 'dense search (pgvector)', 'p50 ÷ file']) assert.ok(table.includes(label), label);
});

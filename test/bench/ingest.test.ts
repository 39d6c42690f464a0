/**
 * `bench ingest` at a tiny size: the report has every figure, for ours and
 * for the naive LangChain run, and the CLI prints it as one JSON object.
 * No timing is asserted (the machine is shared); only that figures exist and add up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchIngest, formatIngestReport, type IngestRunFigures } from '../../src/bench/ingest.ts';
import { SAMPLE_CORPUS } from '../helpers/store.ts';
import { cli as runCli } from '../commands/cli-helper.ts';

const env = { ...process.env, EMBEDDING_THREADS: '1' };
const cli = (args: string[]) => runCli(args, { env: { CORPUS_DIR: SAMPLE_CORPUS } });

function assertFigures(f: IngestRunFigures, documents: number): void {
  assert.equal(f.documents, documents);
  assert.ok(f.chunks > documents, `chunks: ${f.chunks}`);
  assert.ok(f.seconds > 0 && f.documentsPerSecond > 0 && f.chunksPerSecond > 0);
  assert.ok(f.modelShare > 0 && f.modelShare <= 1, `model share ${f.modelShare}`);
  assert.ok(Math.abs(f.modelSeconds + f.otherSeconds - f.seconds) < 0.05, 'model + other = total');
  assert.ok(f.storeMB > 0, 'a store was written');
  assert.ok(f.peakRssMB > 0);
}

test('20 synthetic documents through ours and the naive LangChain ingest give a complete report', async () => {
  const messages: string[] = [];
  const r = await benchIngest({ docs: 20, sampleDir: SAMPLE_CORPUS, env, onProgress: (m) => messages.push(m) });
  assert.equal(r.corpus.documents, 20);
  assert.equal(r.model, 'tiny test model');
  assert.ok(r.dimensions > 0);
  assertFigures(r.dafu, 20);
  assert.equal(r.dafu.skipped, 0, 'every synthetic file is ingested (none is a duplicate or unparseable)');
  assert.ok(r.dafu.commitments > 0);
  assert.ok(r.langchain);
  assertFigures(r.langchain, 20);
  assert.ok(r.timeRatio !== null && r.timeRatio > 0);
  assert.ok(r.processPeakRssMB >= r.dafu.peakRssMB);
  const table = formatIngestReport(r);
  for (const label of ['documents/s', 'chunks/s', 'in the model', 'store on disk', 'peak RSS', 'naive LangChain', 'dafu time ÷ LangChain time']) assert.ok(table.includes(label), label);
  assert.ok(messages.some((m) => m.includes('LangChain')), 'progress says what runs');
});

test('npm run bench -- ingest --json prints one JSON object; a bad option is named', async () => {
  const run = await cli(['bench', 'ingest', '--docs', '5', '--skip-baseline', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines.length, 1, run.stdout);
  const r = JSON.parse(lines[0]!) as { corpus: { documents: number }; dafu: IngestRunFigures; langchain: unknown; timeRatio: unknown };
  assert.equal(r.corpus.documents, 5);
  assert.equal(r.dafu.documents, 5);
  assert.equal(r.langchain, null);
  assert.equal(r.timeRatio, null);

  const bad = await cli(['bench', 'ingest', '--docs', 'many']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--docs must be a positive whole number, not "many"/);
  assert.ok(!bad.stderr.includes('    at '), 'no stack trace');
});

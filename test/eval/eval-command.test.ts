/**
 * `npm run eval` end to end: a temp store from the sample corpus (tiny
 * model), the dev questions, the naive baseline built in the same run.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { foldForMatch } from '../../src/answer/text.ts';
import { SAMPLE_CORPUS, ingestSampleStore } from '../helpers/store.ts';
import { ROOT, cli } from '../commands/cli-helper.ts';

const QUESTIONS = join(ROOT, 'test', 'fixtures', 'questions.jsonl');
const FIELDS = ['questions', 'quoteHitAt1', 'quoteHitAtK', 'docHitAtK', 'mrr', 'abstainAccuracy', 'falseAbstainRate', 'citationValidity', 'answerQuoteHit', 'byKind', 'byRoute', 'byAsk'].sort();

interface Report {
  summary: Record<string, unknown> & { quoteHitAtK: number; citationValidity: number; abstainAccuracy: number; falseAbstainRate: number };
  baseline: Record<string, unknown> & { quoteHitAtK: number };
  results: Array<{ id: string; found: boolean; answer: string; citations: Array<{ n: number; text: string }>; retrieved: Array<{ file: string; section: string[]; text: string; score: number }> }>;
}

describe('eval command', () => {
  let store: string;
  before(async () => {
    store = await ingestSampleStore('dafu-eval-store-');
  });
  after(async () => {
    await rm(store, { recursive: true, force: true });
  });

  it('--json gives summary, baseline and per-item results from which the figures can be recomputed', async () => {
    const run = await cli(['eval', '--questions', QUESTIONS, '--store', store, '--corpus', SAMPLE_CORPUS, '--k', '5', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(Object.keys(report.summary).sort(), FIELDS);
    assert.deepEqual(Object.keys(report.baseline).sort(), FIELDS);
    assert.equal(report.results.length, 20);
    for (const r of report.results) {
      assert.ok(r.retrieved.length <= 5);
      for (const x of r.retrieved) assert.deepEqual(Object.keys(x).sort(), ['file', 'score', 'section', 'text']);
      for (const c of r.citations) assert.ok(typeof c.text === 'string' && c.n >= 1);
    }
    // Recompute quote-hit@5 from the results.
    const dev = (await import('node:fs')).readFileSync(QUESTIONS, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; doc: string; quote: string });
    const answerable = dev.filter((d) => d.doc);
    const hits = answerable.filter((d) => report.results.find((r) => r.id === d.id)!.retrieved.some((x) => x.file.endsWith(d.doc) && foldForMatch(x.text).includes(foldForMatch(d.quote))));
    assert.equal(report.summary.quoteHitAtK, Math.round((hits.length / answerable.length) * 1000) / 1000);
    // What users would notice: every answer's citations hold, unanswerable items abstain, answerable ones do not.
    assert.equal(report.summary.citationValidity, 1);
    assert.equal(report.summary.abstainAccuracy, 1);
    assert.equal(report.summary.falseAbstainRate, 0);
    assert.ok(report.summary.quoteHitAtK >= report.baseline.quoteHitAtK, `ours ${report.summary.quoteHitAtK} vs baseline ${report.baseline.quoteHitAtK}`);
  });

  it('prints a side-by-side table for people, and refuses a missing questions file clearly', async () => {
    const run = await cli(['eval', '--questions', QUESTIONS, '--store', store, '--corpus', SAMPLE_CORPUS]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /metric\s+dafu\s+baseline/);
    assert.match(run.stdout, /quote-hit@5\s+[\d.]+\s+[\d.]+/);
    assert.match(run.stdout, /By kind/);
    assert.match(run.stdout, /ABSTAIN_THRESHOLD=/);
    const missing = await cli(['eval', '--questions', join(store, 'nope.jsonl'), '--store', store]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Cannot read questions file .*nope\.jsonl: ENOENT/);
  });
});

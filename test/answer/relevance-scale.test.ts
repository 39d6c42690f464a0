/**
 * Document frequencies at scale (issue 11): exact up to DF_SAMPLE texts, an
 * evenly spaced sample above, so a new term costs the same at any corpus size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DF_SAMPLE, TermScorer } from '../../src/answer/relevance.ts';

test('exact counts up to DF_SAMPLE texts', () => {
  const texts = Array.from({ length: DF_SAMPLE }, (_, i) => (i % 4 === 0 ? '农村公路建设' : '教育经费保障'));
  const s = new TermScorer(texts);
  assert.equal(s.df('农村公路'), DF_SAMPLE / 4);
  assert.equal(s.df('长白山'), 0);
});

test('above DF_SAMPLE texts: estimated from the sample, close to the truth, absent terms stay absent', () => {
  const n = DF_SAMPLE * 10 + 7;
  const texts = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? '农村公路建设' : i % 1000 === 1 ? '具身智能方案' : '教育经费保障'));
  const s = new TermScorer(texts);
  const truth = Math.ceil(n / 4);
  assert.ok(Math.abs(s.df('农村公路') - truth) / truth < 0.05, `df ${s.df('农村公路')} vs ${truth}`);
  assert.equal(s.df('长白山'), 0);
  // The IDF still uses the whole corpus's size.
  assert.ok(s.idf('农村公路') < s.idf('具身智能') && s.idf('具身智能') <= s.idf('长白山'));
});

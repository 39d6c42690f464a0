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

test('the asker’s own filler words: leaves out a word no passage uses when it is only phrasing (那段, 为啥, 不好), not when it is a topic (冰雪, 咖啡)', async () => {
    const { isFillerWord } = await import('../../src/answer/text.ts');
    for (const w of ['那段', '为啥', '不好', '长久', '以前', '几条']) assert.ok(isFillerWord(w), w);
    for (const w of ['冰雪', '咖啡', '航道', '南洼', '改造']) assert.ok(!isFillerWord(w), w);
    const scorer = new TermScorer(['东溪镇至龙王镇的省道302已纳入规划', '乡道071路线连接']);
    const weighed = scorer.weigh(['那段', '为啥', '冰雪', '规划']).map((t) => t.term);
    assert.deepEqual(weighed, ['冰雪', '规划'], 'absent fillers dropped, an absent topic kept');
    // A filler the corpus does use stays (its weight is low anyway): only absent ones would dominate coverage.
    assert.deepEqual(new TermScorer(['那段路已修好']).weigh(['那段']).map((t) => t.term), ['那段']);
});

test('the asker’s own verbs and set phrases no passage uses (加开, 接下来) weigh lightly; an absent topic (收费, 课后, 养老院) weighs fully', async () => {
  const { isPhrasingWord } = await import('../../src/answer/text.ts');
  for (const w of ['加开', '接下来', '增开', '打算']) assert.ok(isPhrasingWord(w), w);
  for (const w of ['收费', '课后', '养老院', '公交', '冰雪']) assert.ok(!isPhrasingWord(w), w);
  const scorer = new TermScorer(['起步区计划新增653路公交线路', '乡道071路线连接']);
  const weight = (w: string) => scorer.weigh([w]).reduce((sum, t) => sum + t.weight, 0);
  assert.ok(weight('加开') < 0.5 * weight('收费'), `加开 ${weight('加开')} vs 收费 ${weight('收费')}`);
  assert.ok(weight('养老院') >= weight('收费'));
});

test('a text sharing none of the question’s nouns is not about its topic, however many of its verbs it shares', async () => {
  const { coverage } = await import('../../src/answer/relevance.ts');
  const scorer = new TermScorer(['积极申请各级财政资金开展全县贫困村卫生室重建,及时上报需要改造的村卫生室情况', '公交线路', '起步区计划新增653路公交线路']);
  const terms = scorer.weigh(['租房', '申请', '需要', '条件']);
  assert.ok(terms.find((t) => t.term === '租房')?.topic && !terms.find((t) => t.term === '申请')?.topic);
  const text = '积极申请各级财政资金开展全县贫困村卫生室重建,及时上报需要改造的村卫生室情况';
  assert.ok(coverage(terms, text) <= 0.4, `${coverage(terms, text)}`);
  // One noun shared is enough to be judged by the share as before.
  assert.ok(coverage(scorer.weigh(['公交', '新增']), '起步区计划新增653路公交线路') === 1);
});

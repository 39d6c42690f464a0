/**
 * QA follow-ups on the real tiny-model store of the sample corpus: what a
 * department did is a listing, cross-reply questions draw on each reply, an
 * undated reply's year comes from its 发文字号, and a follow-up with nothing
 * before it says so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkAnswer } from '../../src/answer/citations.ts';
import { TermScorer } from '../../src/answer/relevance.ts';
import { retrieve, scoringText } from '../../src/answer/retrieve.ts';
import { understand } from '../../src/answer/understand.ts';
import type { Answer, Conversation } from '../../src/answer/types.ts';
import { type SampleStore, buildSampleStore } from './sample-store.ts';

function assertValid(a: Answer): void {
  assert.deepEqual(checkAnswer(a).problems, [], a.answer);
  for (const c of a.citations) assert.ok(c.text.length > 0);
}

describe('listings, cross-reply answers, years and orphan follow-ups', () => {
  let s: SampleStore;
  before(async () => {
    s = await buildSampleStore();
  });
  after(async () => {
    await s.close();
  });

  it('「省科技厅做了什么？」 lists its work from every reply that shows it, grouped by reply, with a count of what is left out', async () => {
    const a = await s.engine.ask('省科技厅做了什么？');
    assertValid(a);
    assert.equal(a.found, true);
    const items = a.answer.split('\n').filter((l) => /^\s*· .*\[\d+\]$/.test(l));
    assert.ok(items.length >= 8, a.answer);
    const files = new Set(a.citations.map((c) => c.file));
    assert.ok(files.size >= 3, `only ${[...files].join(', ')}`);
    assert.match(a.answer, /^省科技厅：共 \d+ 条相关工作，来自 \d+ 份答复/);
    assert.match(a.answer, /▸ 吉科发高〔2024〕74号/);
    const total = Number(/共 (\d+) 条/.exec(a.answer)?.[1]);
    const left = Number(/另有 (\d+) 条未列出/.exec(a.answer)?.[1] ?? 0);
    assert.equal(items.length + left, total, a.answer);
    // Promises are the commitments answer's, not "what was done".
    assert.doesNotMatch(a.answer, /· 下一步/);
  });

  it('「省商务厅为通钢做了哪些工作」 quotes what 省商务厅 did, and not another department’s work as its own', async () => {
    const a = await s.engine.ask('省商务厅为通钢做了哪些工作');
    assertValid(a);
    assert.equal(a.found, true);
    assert.match(a.answer, /省商务厅积极推动与通化钢铁股份有限公司/);
    for (const line of a.answer.split('\n').filter((l) => l.includes('· '))) assert.match(line, /省商务厅|商务/);
  });

  it('「省工信厅做了哪些工作」 lists its own replies, skipping parts another department wrote in the joint reply', async () => {
    const a = await s.engine.ask('省工信厅做了哪些工作');
    assertValid(a);
    assert.equal(a.found, true);
    assert.doesNotMatch(a.answer, /· 省商务厅积极推动|· 省政数局/);
    assert.match(a.answer, /吉工信议案〔2025〕43号/);
  });

  it('「这个是哪年答复的」 on the undated 2024W298 reply: the date is not stated, but its 发文字号 〔2024〕 says 2024, cited', async () => {
    const conv: Conversation = { turns: [] };
    await s.engine.ask('2024W298号提案说了什么', { conversation: conv });
    const a = await s.engine.ask('这个是哪年答复的', { conversation: conv });
    assertValid(a);
    assert.equal(a.found, true, a.answer);
    assert.match(a.answer, /未写明成文日期/);
    assert.match(a.answer, /吉科发高〔2024〕74号.*2024年.*\[1\]/);
    assert.ok(a.citations[0]?.text.includes('吉科发高〔2024〕74号'), 'the cited passage shows the number');
  });

  it('「那省科技厅呢？」 with no earlier question says there is nothing to refer to and how to ask in full; a later follow-up still works', async () => {
    const conv: Conversation = { turns: [] };
    const a = await s.engine.ask('那省科技厅呢？', { conversation: conv });
    assertValid(a);
    assert.equal(a.found, false);
    assert.match(a.answer, /没有上一个问题/);
    assert.match(a.answer, /省科技厅做了哪些工作？/);
    assert.equal(conv.turns.length, 0, 'the orphan is not remembered as a question');
    await s.engine.ask('省工信厅下一步打算做什么', { conversation: conv });
    const b = await s.engine.ask('那省科技厅呢？', { conversation: conv });
    assert.equal(b.resolvedQuestion, '省科技厅下一步打算做什么');
    assert.equal(b.found, true);
  });

  it('a capped lookup list still ranks every named reply (a body named by hundreds of replies no longer scores all their chunks)', async () => {
    const all = s.store.replies.flatMap((r) => s.store.chunksOf(r.id).map((c) => scoringText(c, r)));
    const scorer = new TermScorer(all);
    const q = understand('工信厅答复0147号建议和2025W233号提案，留的联系人是同一个人吗？', { replies: s.store.replies });
    const base = { k: 5, maxPerReply: 2, fusion: 'rrf' as const };
    const full = await retrieve(s.store, scorer, q, base);
    const capped = await retrieve(s.store, scorer, q, { ...base, lookupCap: 4 });
    assert.equal(full.lookup.targets.length, 2);
    const targetChunks = full.lookup.targets.reduce((n, r) => n + s.store.chunksOf(r.id).length, 0);
    assert.ok(targetChunks > 4, 'the named replies have more chunks than the cap');
    for (const p of capped.passages) assert.ok((p.ranks.lookup ?? 0) <= 4, `lookup rank ${p.ranks.lookup}`);
    // At most two per reply are taken first, so both named replies stay in the lookup list and in the answer's passages.
    const files = new Set(capped.passages.filter((p) => p.ranks.lookup !== undefined).map((p) => p.chunk.metadata.file));
    assert.deepEqual([...files].sort(), full.lookup.targets.map((r) => r.file).sort());
  });

  it('a question across replies (sd-35: 2024年和2025年的答复分别) is answered from each reply, in the order it names them', async () => {
    const a = await s.engine.ask('科创专员选派人数，2024年和2025年的答复分别说了多少？');
    assertValid(a);
    assert.equal(a.found, true);
    assert.match(a.answer, /596名/);
    assert.match(a.answer, /1012名/);
    assert.ok(a.answer.indexOf('596名') < a.answer.indexOf('1012名'), '2024 first, as asked');
    assert.deepEqual([...new Set(a.citations.map((c) => c.file))], ['002_0bd37d7d743fadf3.txt', '001_df39bc2c45c1e4b7.txt']);
    // The retrieved passages reserve a top slot for each named reply.
    const top2 = (a.diagnostics?.retrieved ?? []).slice(0, 2).map((p) => p.file);
    assert.deepEqual(top2, ['002_0bd37d7d743fadf3.txt', '001_df39bc2c45c1e4b7.txt']);
  });
});

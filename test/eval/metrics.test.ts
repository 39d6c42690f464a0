/** Eval metrics and the question file format. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { figures, quoteRank, summarize, type ItemOutcome } from '../../src/eval/metrics.ts';
import { parseQuestions, type EvalQuestion } from '../../src/eval/questions.ts';

const q = (id: string, kind: string, doc = 'a.txt', quote = '累计支持 120 个'): EvalQuestion => ({ id, question: id, doc, quote, answer: '', kind });
const item = (question: EvalQuestion, found: boolean, texts: Array<[string, string]>, citationValid: boolean | null = true, cited: Array<[string, string]> = [], route = 'threshold'): ItemOutcome => ({
  question,
  found,
  citationValid,
  retrieved: texts.map(([file, text]) => ({ file, section: [], text, score: 0 })),
  cited: cited.map(([file, text]) => ({ file, section: [], text, score: 0 })),
  route,
});

describe('eval metrics', () => {
  it('counts a quote hit only in a chunk of the right document, comparing without whitespace and with folded punctuation', () => {
    const question = q('x', 'number');
    const retrieved = item(question, true, [
      ['b.txt', '累计支持120个'],
      ['corpus/a.txt', '省科技厅累计支持120个人工智能领域科技攻关项目'],
    ]).retrieved;
    assert.equal(quoteRank(retrieved, question, 5), 2);
    assert.equal(quoteRank(retrieved, question, 1), 0);
    assert.equal(quoteRank(retrieved, { ...question, quote: '59个项目,预计培养60名' }, 5), 0);
    assert.equal(quoteRank([{ file: 'a.txt', section: [], text: '共批准开展59个项目，预计培养60名博士', score: 0 }], { ...question, quote: '59个项目,预计培养60名' }, 5), 1);
  });

  it('computes hit rates, MRR, abstention and citation validity, and leaves a figure null when nothing measures it', () => {
    const items = [
      item(q('1', 'number'), true, [['a.txt', '累计支持120个']]),
      item(q('2', 'number'), true, [['b.txt', 'x'], ['a.txt', '累计支持 120 个项目']]),
      item(q('3', 'fact'), false, [['b.txt', 'x']], false),
      item(q('4', 'unanswerable', '', ''), false, []),
      item(q('5', 'unanswerable', '', ''), true, [['a.txt', 'y']]),
    ];
    const f = figures(items, 5);
    assert.equal(f.questions, 5);
    assert.equal(f.quoteHitAt1, 0.333);
    assert.equal(f.quoteHitAtK, 0.667);
    assert.equal(f.docHitAtK, 0.667);
    assert.equal(f.mrr, 0.5);
    assert.equal(f.abstainAccuracy, 0.5);
    assert.equal(f.falseAbstainRate, 0.333);
    assert.equal(f.citationValidity, 0.8);
    const s = summarize(items, 5);
    assert.deepEqual(Object.keys(s.byKind), ['fact', 'number', 'unanswerable']);
    assert.equal(s.byKind['unanswerable']?.quoteHitAt1, null);
    assert.equal(s.byKind['number']?.abstainAccuracy, null);
    assert.equal(figures([item(q('6', 'fact'), true, [], null)], 5).citationValidity, null);
  });
});

describe('question files', () => {
  it('parses the dev format and names the file and line of a bad item', () => {
    const ok = parseQuestions('{"id":"a","question":"问","doc":"","quote":"","answer":"","kind":"unanswerable"}\n\n', 'q.jsonl');
    assert.equal(ok.length, 1);
    assert.throws(() => parseQuestions('{"id":"a","question":"问","doc":"","quote":"","kind":"x"}\n{oops', 'q.jsonl'), /q\.jsonl:2: not valid JSON/);
    assert.throws(() => parseQuestions('{"id":"a","doc":"","quote":"","kind":"x"}', 'q.jsonl'), /q\.jsonl:1: not an evaluation question \(question/);
    assert.throws(() => parseQuestions('{"id":"a","question":"q","doc":"","quote":"","kind":"x"}\n{"id":"a","question":"q","doc":"","quote":"","kind":"x"}', 'q.jsonl'), /duplicate id "a"/);
    assert.throws(() => parseQuestions('\n', 'q.jsonl'), /no questions/);
  });

  it('judges answering apart from retrieval: answer quote-hit counts only a cited passage holding the quote, per route', () => {
    const a = q('a', 'fact');
    const b = q('b', 'fact');
    const items = [
      item(a, true, [['a.txt', '累计支持120个']], true, [['a.txt', '累计支持120个']], 'record'),
      // retrieved the quote but cited something else: a retrieval hit, an answering miss
      item(b, true, [['a.txt', '累计支持120个']], true, [['a.txt', '另一句话']], 'threshold'),
    ];
    const s = summarize(items, 5);
    assert.equal(s.quoteHitAtK, 1);
    assert.equal(s.answerQuoteHit, 0.5);
    assert.equal(s.byRoute.record?.answerQuoteHit, 1);
    assert.equal(s.byRoute.threshold?.answerQuoteHit, 0);
  });

  it('reports the same figures per kind of question as understood (byAsk), leaving out items without one', () => {
    const items = [
      { ...item(q('a', 'fact'), true, [['a.txt', '累计支持120个']], true, [['a.txt', '累计支持120个']], 'threshold'), asks: 'value' },
      { ...item(q('b', 'fact'), false, [['a.txt', '累计支持120个']], true, [], 'threshold'), asks: 'open' },
      item(q('c', 'fact'), true, [['a.txt', '累计支持120个']], true, [['a.txt', '累计支持120个']], 'baseline'),
    ];
    const s = summarize(items, 5);
    assert.deepEqual(Object.keys(s.byAsk), ['open', 'value']);
    assert.equal(s.byAsk.value?.answerQuoteHit, 1);
    assert.equal(s.byAsk.open?.falseAbstainRate, 1);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STOPWORDS, tokenize } from '../../src/search/tokenize.ts';

test('a document number is one whole token, also with other brackets and inside running text', () => {
  assert.ok(tokenize('发文字号：吉工信议案〔2025〕6号').includes('吉工信议案〔2025〕6号'));
  // what users type: square or round brackets, full-width or not
  assert.ok(tokenize('吉工信议案[2025]6号').includes('吉工信议案〔2025〕6号'));
  assert.ok(tokenize('吉工信议案（2025）6号').includes('吉工信议案〔2025〕6号'));
  assert.ok(tokenize('根据吉工信议案〔2025〕6号文件').includes('吉工信议案〔2025〕6号'));
  // the issuer-less core matches a differently-prefixed mention of the same number
  assert.ok(tokenize('议案〔2025〕6号').includes('〔2025〕6号'));
});

test('proposal numbers: 2025W233 whole and split, 0147 also without leading zero', () => {
  const w = tokenize('第2025W233号提案');
  for (const t of ['2025w233', '2025', 'w233', '233']) assert.ok(w.includes(t), `${t} in ${w.join(' ')}`);
  const n = tokenize('第0147号代表建议');
  assert.ok(n.includes('0147'));
  assert.ok(n.includes('147'), 'a user asking for 第147号 finds 第0147号');
  assert.ok(tokenize('D27号').includes('d27'));
});

test('phone numbers and index numbers keep their whole form and their parts', () => {
  const t = tokenize('联系人：王小飞 0431-87077670');
  for (const x of ['0431-87077670', '87077670', '王小飞']) assert.ok(t.includes(x), x);
});

test('Chinese text yields jieba words plus character bigrams (the out-of-vocabulary fallback)', () => {
  const t = tokenize('加快推进人工智能产业发展');
  for (const w of ['人工智能', '产业', '发展', '推进']) assert.ok(t.includes(w), w);
  // bigrams cover spans that jieba keeps inside longer words
  assert.ok(t.includes('能产'));
  // a term jieba does not know as a word is still findable through its bigrams
  const q = tokenize('具身智能');
  const doc = new Set(tokenize('发展具身智能机器人'));
  assert.ok(q.every((x) => doc.has(x)), `${q.join(' ')} ⊂ ${[...doc].join(' ')}`);
});

test('stopwords and question words are removed; Latin is lowercased; full-width folds to ASCII', () => {
  const t = tokenize('请问我们的建议是什么？Hello ＡＢＣ the');
  for (const s of ['的', '我们', '什么', '请问', 'the']) assert.ok(!t.includes(s), s);
  assert.ok(t.includes('hello'));
  assert.ok(t.includes('abc'));
  assert.ok(t.includes('建议'));
  assert.ok([...STOPWORDS].every((s) => !tokenize(s).includes(s)));
});

test('numbers with a decimal point stay one value', () => {
  assert.deepEqual(tokenize('3.5'), ['3.5']);
});

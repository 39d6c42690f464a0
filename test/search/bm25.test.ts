import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bm25Index } from '../../src/search/bm25.ts';

const docs = [
  { id: 'a', text: '吉工信议案〔2025〕6号 关于机械制造企业融入共建一带一路的建议的答复' },
  { id: 'b', text: '省科技厅支持先进制造及新一代信息技术领域科技攻关，2024年支持重点研发项目84项' },
  { id: 'c', text: '关于加快具身智能产业发展的提案，第2025W233号' },
  { id: 'd', text: '人工智能产业发展，人工智能应用场景，人工智能人才培养' },
];

test('exact identifiers rank their document first', () => {
  const idx = Bm25Index.build(docs);
  assert.equal(idx.search('吉工信议案〔2025〕6号', 3)[0]?.id, 'a');
  assert.equal(idx.search('2025W233号提案说了什么', 3)[0]?.id, 'c');
  assert.equal(idx.search('具身智能', 3)[0]?.id, 'c');
  assert.equal(idx.search('人工智能', 3)[0]?.id, 'd');
});

test('results are best first, at most k, only documents sharing a term', () => {
  const idx = Bm25Index.build(docs);
  const hits = idx.search('产业发展', 10);
  assert.deepEqual(new Set(hits.map((h) => h.id)), new Set(['c', 'd']));
  for (let i = 1; i < hits.length; i++) assert.ok((hits[i - 1]?.score ?? 0) >= (hits[i]?.score ?? 0));
  assert.equal(idx.search('产业发展', 1).length, 1);
  assert.deepEqual(idx.search('完全无关的词汇', 5), []);
  assert.deepEqual(idx.search('', 5), []);
});

test('survives a JSON round trip with identical results', () => {
  const idx = Bm25Index.build(docs);
  const again = Bm25Index.fromJSON(JSON.parse(JSON.stringify(idx)));
  assert.equal(again.size, 4);
  assert.deepEqual(again.search('制造 项目', 4), idx.search('制造 项目', 4));
  assert.throws(() => Bm25Index.fromJSON({ hello: 1 }), /not a dafu BM25 index/);
});

test('survives the binary round trip the store uses, with identical scores; anything else is refused', () => {
  const many = Array.from({ length: 300 }, (_, i) => ({ id: `d${i}`, text: `${docs[i % 4]!.text} 第${i}号 编号${i * 997}` }));
  const idx = Bm25Index.build(many);
  const bytes = idx.toBuffer();
  assert.ok(bytes.length < Buffer.byteLength(JSON.stringify(idx)) / 2, 'the binary form is well under half the JSON form');
  const again = Bm25Index.fromBuffer(new Uint8Array(bytes));
  assert.equal(again.size, 300);
  assert.deepEqual(again.documentIds(), idx.documentIds());
  for (const q of ['制造 项目', '人工智能', '第150号', '编号149550', '吉工信议案〔2025〕6号']) assert.deepEqual(again.search(q, 20), idx.search(q, 20), q);
  assert.throws(() => Bm25Index.fromBuffer(Buffer.from('{"format":"dafu-bm25"}')), /not a dafu BM25 index/);
  assert.throws(() => Bm25Index.fromBuffer(bytes.subarray(0, bytes.length - 10)), /truncated/);
});

test('duplicate ids are refused (they would mean duplicate chunks)', () => {
  assert.throws(() => Bm25Index.build([docs[0]!, docs[0]!]), /duplicate document id a/);
});

test('pruned search (rare terms first, top k by heap, accept filter) equals a full evaluation', () => {
  // A synthetic corpus with a Zipf-like vocabulary: common words touch most documents, rare ones few.
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const words = Array.from({ length: 300 }, (_, i) => `w${i}`);
  const pick = () => words[Math.floor(words.length * rand() ** 3)] as string;
  const corpus = Array.from({ length: 3000 }, (_, i) => ({ id: `d${i}`, text: Array.from({ length: 5 + Math.floor(rand() * 60) }, pick).join(' ') }));
  const tokenize = (t: string) => t.split(' ').filter(Boolean);
  const idx = Bm25Index.build(corpus, { tokenize });
  const round = Bm25Index.fromBuffer(idx.toBuffer(), { tokenize });
  const tokens = corpus.map((d) => tokenize(d.text));
  const avg = tokens.reduce((s, t) => s + t.length, 0) / tokens.length;
  const dfs = new Map<string, number>();
  for (const t of tokens) for (const w of new Set(t)) dfs.set(w, (dfs.get(w) ?? 0) + 1);
  const reference = (query: string, k: number, accept: (id: string) => boolean = () => true) => {
    const terms = [...new Set(tokenize(query))];
    const scored = corpus.map((d, i) => {
      let score = 0;
      for (const term of terms) {
        const df = dfs.get(term) ?? 0;
        const tf = tokens[i]!.filter((t) => t === term).length;
        if (tf === 0) continue;
        const idf = Math.log(1 + (corpus.length - df + 0.5) / (df + 0.5));
        score += (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * tokens[i]!.length) / avg));
      }
      return { id: d.id, i, score };
    });
    return scored.filter((x) => x.score > 0 && accept(x.id)).sort((a, b) => b.score - a.score || a.i - b.i).slice(0, k);
  };
  const even = (id: string) => Number(id.slice(1)) % 2 === 0;
  const evenSet = new Set(corpus.map((d) => d.id).filter(even));
  for (let q = 0; q < 30; q++) {
    const query = Array.from({ length: 2 + (q % 5) }, () => (q % 3 === 0 ? words[Math.floor(rand() * 300)]! : pick())).join(' ');
    for (const k of [1, 10, 40]) {
      for (const [index, accept] of [[idx, undefined], [round, undefined], [idx, even], [round, evenSet]] as const) {
        const got = index.search(query, k, accept);
        const want = reference(query, k, accept ? even : undefined);
        assert.deepEqual(got.map((h) => h.id), want.map((h) => h.id), `${query} k=${k}`);
        got.forEach((h, i) => assert.ok(Math.abs(h.score - want[i]!.score) < 1e-9));
      }
    }
  }
});

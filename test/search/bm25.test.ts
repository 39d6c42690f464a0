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

test('MaxScore top k on a real index (the replies, chunked by paragraph, some twice) equals the full ranking, with ties and every form of restriction', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const files = ['corpus', 'test/fixtures/replies'].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => `${dir}/${f}`));
  const paragraphs = files.flatMap((f) => readFileSync(f, 'utf8').split(/\n+/).map((p) => p.trim()).filter((p) => p.length > 8));
  // Every seventh paragraph again under another id: equal scores, which must keep the lower index first.
  const chunks = [...paragraphs, ...paragraphs.filter((_, i) => i % 7 === 0)].map((text, i) => ({ id: `c${i}`, text }));
  const idx = Bm25Index.fromBuffer(Bm25Index.build(chunks).toBuffer());
  const ids = idx.documentIds();
  assert.ok(ids.length > 1000, `a corpus large enough for pruning to matter (${ids.length})`);
  const queries = ['省科技厅承诺了什么？', '下一步有哪些工作安排', '加快推进产业发展，加大支持力度', '省工商联的提案答复了什么？', '人工智能 科技攻关 项目', '答复 建议 提案 工作'];
  let seed = 11;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  let ties = 0;
  for (const query of queries) {
    const full = idx.search(query, ids.length);
    for (let i = 1; i < full.length; i++) if (full[i]!.score === full[i - 1]!.score) ties++;
    for (const share of [1, 0.3, 0.02]) {
      const picked = ids.flatMap((id, i) => (share === 1 || rand() < share ? [i] : []));
      const set = new Set(picked.map((i) => ids[i]!));
      const want = full.filter((h) => set.has(h.id));
      for (const k of [1, 5, 40, 160]) {
        const forms = share === 1 ? [undefined] : [set, (id: string) => set.has(id), Int32Array.from(picked)];
        for (const accept of forms) assert.deepEqual(idx.search(query, k, accept), want.slice(0, k), `${query} k=${k} share=${share}`);
      }
    }
  }
  assert.ok(ties > 0, 'the queries rank tied documents');
});

test('warming the index ahead (term bounds, length norms) in steps changes no search result', async () => {
  const docs = Array.from({ length: 600 }, (_, i) => ({ id: `d${i}`, text: `农村公路建设 第${i}号 ${i % 3 === 0 ? '人工智能' : '交通运输'} ${'养护'.repeat(1 + (i % 4))}` }));
  const cold = Bm25Index.build(docs);
  const warmed = Bm25Index.build(docs);
  let pauses = 0;
  await warmed.warm(async () => void pauses++, 100, 1);
  assert.ok(pauses > 0, 'it yields between steps');
  for (const q of ['农村公路', '人工智能 养护', '交通运输 第17号', '不存在']) assert.deepEqual(warmed.search(q, 10), cold.search(q, 10), q);
});

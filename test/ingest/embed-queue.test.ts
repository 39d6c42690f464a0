import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EmbedQueue } from '../../ingest/embed-queue.ts';
import { DenseBuilder } from '../../ingest/store/dense.ts';
import { createEmbeddings, type LocalEmbeddings } from '../../src/embeddings/index.ts';
import { tinyModelConfig } from '../helpers/tiny-model.ts';

let embeddings: LocalEmbeddings;
before(async () => {
  embeddings = createEmbeddings(tinyModelConfig());
  await embeddings.load();
});
after(() => embeddings.dispose());

/** The vector the index holds for each chunk id. */
function vectorsById(dense: DenseBuilder): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [label, doc] of dense.vectorStore.docstore._docs) out.set(String(doc.metadata['id']), dense.vector(Number(label)));
  return out;
}

test('every chunk gets the vector of its own text, across windows; a repeated text is embedded once', async () => {
  const topics = ['省科技厅支持人工智能产业发展', '加快农村公路建设', '推进职业教育产教融合', '黑土地保护利用', '中小企业融资担保', '文化旅游', '医疗保障', '数字政府建设', '养老服务体系', '生态环境治理', '科技成果转化'];
  // Eleven texts of different lengths; repeats inside the window being filled (one entry, several chunks)
  // and after their window was embedded (a copy of the stored vector), over windows of 3 and 5 texts.
  const text = (k: number) => `${topics[k]}${'，持续推进'.repeat(k % 4)}`;
  const texts = [0, 1, 0, 2, 3, 1, 4, 0, 5, 2, 6, 1, 7, 7, 8, 0, 9, 10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(text);
  const dense = new DenseBuilder(embeddings);
  let reported = 0;
  const queue = new EmbedQueue(embeddings, dense, { window: 5, firstWindow: 3, onVectors: (n) => (reported += n) });
  const stored = (await embeddings.embedDocuments(['已在库中的文字']))[0] as number[];
  queue.addStored('kept', '已在库中的文字', stored);
  for (const [i, text] of texts.entries()) await queue.add(`c${i}`, text);
  await queue.add('again', '已在库中的文字');
  await queue.finish();

  const distinct = new Set(texts);
  assert.equal(queue.embedded, distinct.size, 'each distinct new text went through the model once');
  assert.equal(reported, texts.length + 1, 'progress counts every new chunk');
  assert.equal(dense.count, texts.length + 2);
  const got = vectorsById(dense);
  const expected = await embeddings.embedDocuments([...distinct]);
  const byText = new Map([...distinct].map((t, k) => [t, expected[k] as number[]]));
  for (const [i, text] of texts.entries()) {
    const v = got.get(`c${i}`);
    assert.ok(v, `chunk c${i} has a vector`);
    const want = byText.get(text) as number[];
    assert.ok(v.every((x, d) => Math.abs(x - (want[d] as number)) < 1e-5), `chunk c${i} holds the vector of its own text`);
  }
  assert.deepEqual(got.get('again'), got.get('kept'), 'a text the store already holds reuses its vector');
});

test('a model failure in a window being embedded fails the run at the next add or at finish', async () => {
  const failing = Object.assign(Object.create(embeddings) as LocalEmbeddings, {
    embedDocuments: async () => {
      throw new Error('model broke');
    },
  });
  const queue = new EmbedQueue(failing, new DenseBuilder(embeddings), { window: 2, firstWindow: 2 });
  await assert.rejects(async () => {
    for (let i = 0; i < 10; i++) await queue.add(`c${i}`, `第${i}段文字`);
    await queue.finish();
  }, /model broke/);
});

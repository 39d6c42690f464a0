import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { DafuModelError } from '../../src/errors.ts';
import { createEmbeddings, type LocalEmbeddings } from '../../src/embeddings/index.ts';
import { TEST_MODEL_DIMENSIONS } from '../../src/embeddings/test-model.ts';
import { tinyModelConfig, tinyModelDirSync } from '../helpers/tiny-model.ts';

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));

const TEXTS = [
  '关于加快农村公路建设和养护的建议',
  '短',
  '省交通运输厅关于进一步加强农村公路养护管理工作的答复，明确2024年完成改造任务',
  '关于提高中小学教师待遇的提案',
  '教育厅：中小学教师工资待遇保障',
];

let embeddings: LocalEmbeddings;
before(() => {
  embeddings = createEmbeddings(tinyModelConfig({ EMBEDDING_BATCH_SIZE: '2' }));
});
after(() => embeddings.dispose());

test('dimensions is known after load and reads 128 for the tiny model; modelId is the folder', async () => {
  const fresh = createEmbeddings(tinyModelConfig());
  assert.throws(() => fresh.dimensions);
  assert.equal(await fresh.load(), TEST_MODEL_DIMENSIONS);
  assert.equal(fresh.dimensions, TEST_MODEL_DIMENSIONS);
  assert.equal(fresh.modelId, tinyModelDirSync());
  assert.equal(fresh.pooling, 'mean', 'the folder declares mean pooling');
  assert.equal(fresh.dtype, 'fp32', 'only onnx/model.onnx exists, so fp32 despite the q8 default');
  await fresh.dispose();
});

test('embedDocuments: normalised vectors, in input order despite length-sorted batches', async () => {
  const vectors = await embeddings.embedDocuments(TEXTS);
  assert.equal(vectors.length, TEXTS.length);
  for (const v of vectors) {
    assert.equal(v.length, TEST_MODEL_DIMENSIONS);
    assert.ok(Math.abs(norm(v) - 1) < 1e-4);
  }
  // Each vector is the one that text gets on its own.
  for (const [i, text] of TEXTS.entries()) {
    const [alone] = await embeddings.embedDocuments([text]);
    assert.ok(dot(vectors[i]!, alone!) > 0.9999, `text ${i} out of place`);
  }
  assert.ok(embeddings.modelMs > 0);
  assert.deepEqual(await embeddings.embedDocuments([]), []);
});

test('similar Chinese texts are closer than unrelated ones; a query finds its passage', async () => {
  const [roads1, , roads2, teachers1, teachers2] = await embeddings.embedDocuments(TEXTS);
  assert.ok(dot(roads1!, roads2!) > dot(roads1!, teachers1!));
  assert.ok(dot(teachers1!, teachers2!) > dot(teachers1!, roads2!));
  const q = await embeddings.embedQuery('农村公路养护');
  assert.ok(dot(q, roads2!) > dot(q, teachers2!));
});

test('progress reports every text, one batch (EMBEDDING_BATCH_SIZE) at a time', async () => {
  const calls: Array<[number, number]> = [];
  embeddings.onProgress = (done, total) => calls.push([done, total]);
  try {
    await embeddings.embedDocuments(TEXTS);
  } finally {
    embeddings.onProgress = undefined;
  }
  assert.deepEqual(calls, [[2, 5], [4, 5], [5, 5]]);
});

test('EMBEDDING_POOLING=cls is honoured (the tiny model then sees only [CLS]: every text looks alike)', async () => {
  const cls = createEmbeddings(tinyModelConfig({ EMBEDDING_POOLING: 'cls' }));
  try {
    const [a, b] = await cls.embedDocuments(['农村公路', '教师待遇']);
    assert.ok(dot(a!, b!) > 0.9999);
  } finally {
    await cls.dispose();
  }
});

test('an e5 model gets "query: " on queries and "passage: " on documents', async (t) => {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'dafu-e5-'));
  const dir = path.join(parent, 'tiny-e5-small');
  cpSync(tinyModelDirSync(), dir, { recursive: true });
  const e5 = createEmbeddings(tinyModelConfig({ EMBEDDING_MODEL: dir }));
  t.after(() => rmSync(parent, { recursive: true, force: true }));
  try {
    assert.deepEqual([e5.profile.queryPrefix, e5.profile.documentPrefix], ['query: ', 'passage: ']);
    const q = await e5.embedQuery('农村公路');
    const [d] = await e5.embedDocuments(['农村公路']);
    const [plainQ, plainD] = await embeddings.embedDocuments(['query: 农村公路', 'passage: 农村公路']);
    assert.ok(dot(q, plainQ!) > 0.9999);
    assert.ok(dot(d!, plainD!) > 0.9999);
    assert.ok(dot(q, d!) < 0.999, 'query and passage differ');
  } finally {
    await e5.dispose();
  }
});

test('offline mode with a hub model not in the cache: a clear error, no network', async (t) => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'dafu-empty-cache-'));
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  const e = createEmbeddings(loadConfig({ EMBEDDING_MODEL: 'Xenova/bge-small-zh-v1.5', EMBEDDING_OFFLINE: '1', EMBEDDING_CACHE_DIR: cache }));
  await assert.rejects(e.load(), (err: unknown) => {
    assert.ok(err instanceof DafuModelError);
    for (const part of ['Xenova/bge-small-zh-v1.5', 'offline mode', cache, 'EMBEDDING_REMOTE_HOST', 'EMBEDDING_MODEL=', 'Cause:']) {
      assert.ok(err.message.includes(part), `message lacks ${part}: ${err.message}`);
    }
    // Issue 10, item 13: how to try dafu at once, with the test model named as such.
    assert.match(err.message, /npm run -s test-model -- \.cache\/tiny-test-model && EMBEDDING_MODEL=\.cache\/tiny-test-model npm start/);
    assert.match(err.message, /TEST model \(not a language model/);
    return true;
  });
});

test('a folder that is not a model (or does not exist): a clear error naming it', async (t) => {
  const missing = path.join(os.tmpdir(), 'dafu-no-such-model-folder');
  assert.throws(() => createEmbeddings(loadConfig({ EMBEDDING_MODEL: missing })), (e: unknown) => e instanceof DafuModelError && e.message.includes(missing));
  const empty = mkdtempSync(path.join(os.tmpdir(), 'dafu-empty-model-'));
  t.after(() => rmSync(empty, { recursive: true, force: true }));
  const warn = console.warn;
  console.warn = () => {};
  try {
    const e = createEmbeddings(loadConfig({ EMBEDDING_MODEL: empty }));
    await assert.rejects(e.embedQuery('x'), (err: unknown) => {
      assert.ok(err instanceof DafuModelError);
      assert.match(err.message, /cannot load the embedding model/);
      assert.ok(err.message.includes(empty));
      assert.match(err.message, /Cause: .+/);
      assert.ok(err.message.includes('EMBEDDING_REMOTE_HOST') && err.message.includes('EMBEDDING_MODEL='));
      return true;
    });
  } finally {
    console.warn = warn;
  }
});

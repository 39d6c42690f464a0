import { tempDir } from '../helpers/temp.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { DafuModelError } from '../../src/errors.ts';
import {
  BGE_EN_QUERY_INSTRUCTION,
  BGE_ZH_QUERY_INSTRUCTION,
  declaredPooling,
  modelProfile,
  pickLocalDtype,
  resolveModelSource,
} from '../../src/embeddings/model-source.ts';

const tmp = () => tempDir('dafu-model-source-');

test('bge zh models: CLS pooling and BAAI query instruction on queries only', () => {
  const p = modelProfile(['Xenova/bge-small-zh-v1.5'], 'auto');
  assert.deepEqual(p, { pooling: 'cls', queryPrefix: BGE_ZH_QUERY_INSTRUCTION, documentPrefix: '' });
  assert.equal(modelProfile(['BAAI/bge-base-en-v1.5'], 'auto').queryPrefix, BGE_EN_QUERY_INSTRUCTION);
  assert.equal(modelProfile(['Xenova/bge-m3'], 'auto').queryPrefix, '');
  assert.equal(modelProfile(['Xenova/bge-small-zh-v1.5'], 'auto', undefined, '').queryPrefix, '', "'' turns the instruction off");
});

test('e5 models get query:/passage: prefixes and mean pooling', () => {
  for (const id of ['intfloat/multilingual-e5-small', 'Xenova/e5-base-v2', 'my-e5']) {
    assert.deepEqual(modelProfile([id], 'auto'), { pooling: 'mean', queryPrefix: 'query: ', documentPrefix: 'passage: ' }, id);
  }
  // "e5" inside another word is not e5.
  assert.equal(modelProfile(['someone/gte5x'], 'auto').queryPrefix, '');
});

test('other models mean-pool; EMBEDDING_POOLING and a declared 1_Pooling override auto', () => {
  assert.equal(modelProfile(['Xenova/all-MiniLM-L6-v2'], 'auto').pooling, 'mean');
  assert.equal(modelProfile(['Xenova/bge-small-zh-v1.5'], 'mean').pooling, 'mean');
  assert.equal(modelProfile(['Xenova/all-MiniLM-L6-v2'], 'cls').pooling, 'cls');
  assert.equal(modelProfile(['bge-folder'], 'auto', 'mean').pooling, 'mean');
  assert.equal(modelProfile(['plain-folder'], 'auto', 'cls').pooling, 'cls');
});

test('an existing folder is a local model; its dtype follows the onnx file present', () => {
  const dir = tmp();
  mkdirSync(path.join(dir, 'onnx'));
  writeFileSync(path.join(dir, 'onnx', 'model.onnx'), '');
  const src = resolveModelSource(loadConfig({ EMBEDDING_MODEL: dir }));
  assert.deepEqual(src, { kind: 'local', dir, dtype: 'fp32' }, 'q8 is the default, but only model.onnx (fp32) exists');
  writeFileSync(path.join(dir, 'onnx', 'model_quantized.onnx'), '');
  assert.equal(pickLocalDtype(dir, 'q8'), 'q8');
  assert.equal(pickLocalDtype(dir, 'fp16'), 'fp32');
});

test('a hub id uses the cache folder, the mirror host and offline mode from the settings', () => {
  const src = resolveModelSource(
    loadConfig({ EMBEDDING_MODEL: 'Xenova/bge-small-zh-v1.5', EMBEDDING_REMOTE_HOST: 'https://hf-mirror.com', EMBEDDING_OFFLINE: '1', EMBEDDING_CACHE_DIR: '/x/cache' }),
  );
  assert.deepEqual(src, { kind: 'hub', id: 'Xenova/bge-small-zh-v1.5', cacheDir: '/x/cache', host: 'https://hf-mirror.com/', offline: true, dtype: 'q8' });
  const dflt = resolveModelSource(loadConfig({}));
  assert.equal(dflt.kind === 'hub' && dflt.host, 'https://huggingface.co/');
});

test('a path to a missing folder is a clear model error, not a hub lookup', () => {
  const missing = path.join(tmp(), 'no-such-model');
  assert.throws(
    () => resolveModelSource(loadConfig({ EMBEDDING_MODEL: missing })),
    (e: unknown) => e instanceof DafuModelError && e.message.includes(missing) && e.message.includes('EMBEDDING_MODEL'),
  );
});

test('declaredPooling reads sentence-transformers 1_Pooling/config.json', () => {
  const dir = tmp();
  assert.equal(declaredPooling({ kind: 'local', dir, dtype: 'fp32' }), undefined);
  mkdirSync(path.join(dir, '1_Pooling'));
  writeFileSync(path.join(dir, '1_Pooling', 'config.json'), JSON.stringify({ pooling_mode_cls_token: true }));
  assert.equal(declaredPooling({ kind: 'local', dir, dtype: 'fp32' }), 'cls');
});

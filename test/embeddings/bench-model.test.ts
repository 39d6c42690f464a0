/**
 * The benchmark model (bge-small-zh-v1.5's architecture, random weights):
 * deterministic, and a shortened copy (1 layer instead of 4, the same
 * embeddings, widths and heads) loads through the real transformers.js
 * pipeline in both dtypes, giving 512-wide CLS-pooled vectors. The full
 * 4-layer model is what `npm run -s test-model -- --bench DIR` writes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import onnxProto from 'onnx-proto';
import { loadConfig } from '../../src/config.ts';
import { BENCH_MODEL_ARCHITECTURE, benchModelFiles, benchModelVocabulary, writeBenchModel } from '../../src/embeddings/bench-model.ts';
import { createEmbeddings } from '../../src/embeddings/index.ts';
import { isTestModel } from '../../src/embeddings/is-test-model.ts';

const A = BENCH_MODEL_ARCHITECTURE;
let dir: string;
before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dafu-bench-model-'));
  await writeBenchModel(dir, { layers: 1 });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('the vocabulary has bge-small-zh’s 21,128 distinct entries, starting with the BERT specials', () => {
  const vocab = benchModelVocabulary();
  assert.equal(vocab.length, A.vocabSize);
  assert.equal(new Set(vocab).size, A.vocabSize);
  assert.deepEqual(vocab.slice(0, 5), ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
});

test('config and graph declare the real architecture; q8 uses the MatMulInteger pattern; files are deterministic', () => {
  const files = new Map(benchModelFiles({ layers: 1, dtypes: ['q8'] }));
  const config = JSON.parse(String(files.get('config.json'))) as Record<string, unknown>;
  assert.equal(config['hidden_size'], 512);
  assert.equal(config['vocab_size'], 21128);
  assert.equal(config['num_attention_heads'], 8);
  assert.equal(config['intermediate_size'], 2048);
  assert.equal(config['num_hidden_layers'], 1, 'the shortened copy');
  assert.equal(JSON.parse(String(files.get('1_Pooling/config.json')))['pooling_mode_cls_token'], true);
  const q8 = files.get('onnx/model_quantized.onnx') as Uint8Array;
  assert.ok(Buffer.from(q8).equals(readFileSync(path.join(dir, 'onnx', 'model_quantized.onnx'))), 'same bytes on every write');
  const graph = onnxProto.onnx.ModelProto.decode(q8).graph!;
  const ops = (graph.node ?? []).map((n) => n.opType);
  // 6 weight matrices per layer (query, key, value, attention output, intermediate, output).
  assert.equal(ops.filter((o) => o === 'MatMulInteger').length, 6);
  assert.equal(ops.filter((o) => o === 'DynamicQuantizeLinear').length, 6);
  assert.ok(!(graph.initializer ?? []).some((t) => t.dataType === onnxProto.onnx.TensorProto.DataType.FLOAT && t.dims?.length === 2 && Number(t.dims[0]) > 2), 'no fp32 weight matrix left');
  assert.ok(isTestModel(dir), 'flagged as a test model (random weights) wherever dafu names the model');
});

test('loads through the real pipeline in fp32 and q8: 512-wide, normalised, CLS pooling', async () => {
  const texts = ['关于加快农村公路建设和养护的建议', '省教育厅关于提高中小学教师待遇的答复，明确2024年完成'];
  const results: number[][][] = [];
  for (const dtype of ['fp32', 'q8'] as const) {
    const pipe: FeatureExtractionPipeline = await pipeline('feature-extraction', dir, { dtype, session_options: { intraOpNumThreads: 1 } });
    try {
      const pooled = await pipe(texts, { pooling: 'cls', normalize: true });
      assert.deepEqual(pooled.dims, [2, A.hidden]);
      const raw = await pipe(texts.slice(0, 1), { pooling: 'none' });
      assert.equal(raw.dims[2], A.hidden);
      // CLS pooling: the first token's hidden state, normalised.
      const first = Array.from((raw.data as Float32Array).subarray(0, A.hidden));
      const n = Math.hypot(...first);
      const mine = Array.from((pooled.data as Float32Array).subarray(0, A.hidden));
      first.forEach((v, i) => assert.ok(Math.abs(v / n - mine[i]!) < 1e-3, `component ${i}: ${v / n} vs ${mine[i]} (${dtype})`));
      assert.ok(Math.abs(Math.hypot(...mine) - 1) < 1e-4);
      results.push(pooled.tolist() as number[][]);
    } finally {
      await pipe.dispose();
    }
  }
  // The quantized model computes (nearly) the same function as the fp32 one.
  const cos = results[0]![0]!.reduce((s, x, i) => s + x * results[1]![0]![i]!, 0);
  assert.ok(cos > 0.98, `fp32 vs q8 cosine ${cos}`);
});

test('dafu’s embeddings pick q8 and CLS pooling for it, like the real bge-small-zh', async () => {
  const embeddings = createEmbeddings(loadConfig({ EMBEDDING_MODEL: dir, EMBEDDING_OFFLINE: '1', EMBEDDING_THREADS: '1' }));
  try {
    assert.equal(await embeddings.load(), A.hidden);
    assert.equal(embeddings.dtype, 'q8');
    assert.equal(embeddings.pooling, 'cls');
    assert.ok(embeddings.profile.queryPrefix.length > 0, 'bge’s zh query instruction applies');
    const [v] = await embeddings.embedDocuments(['农村公路']);
    assert.equal(v!.length, A.hidden);
  } finally {
    await embeddings.dispose();
  }
});

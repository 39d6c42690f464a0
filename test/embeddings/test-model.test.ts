import { tempDir } from '../helpers/temp.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { env, pipeline } from '@huggingface/transformers';
import { TEST_MODEL_DIMENSIONS, writeTestModel } from '../../src/embeddings/test-model.ts';
import { command } from '../../src/commands/test-model.ts';
import { tinyModelDir } from '../helpers/tiny-model.ts';

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((n) => {
    const rel = path.join(prefix, n);
    return statSync(path.join(dir, n)).isDirectory() ? listFiles(path.join(dir, n), rel) : [rel];
  });
}

test('two writes produce byte-identical files of a few MB', async () => {
  const a = tempDir('dafu-tm-a-');
  const b = tempDir('dafu-tm-b-');
  await writeTestModel(a);
  // The CLI writes the same model.
  const log = console.log;
  console.log = () => {};
  try {
    assert.equal(await command.run([b]), 0);
  } finally {
    console.log = log;
  }
  const files = listFiles(a).sort();
  assert.deepEqual(files, listFiles(b).sort());
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', path.join('onnx', 'model.onnx')]) assert.ok(files.includes(f), f);
  for (const f of files) assert.ok(readFileSync(path.join(a, f)).equals(readFileSync(path.join(b, f))), `${f} differs`);
  const size = statSync(path.join(a, 'onnx', 'model.onnx')).size;
  assert.ok(size > 1e6 && size < 8e6, `model.onnx is ${size} bytes`);
});

test('the CLI refuses a non-empty folder that is not a test model, and bad arguments', async () => {
  const dir = tempDir('dafu-tm-c-');
  const err = console.error;
  console.error = () => {};
  try {
    await writeTestModel(path.join(dir, 'ok'));
    // An existing test model may be overwritten; any other non-empty folder needs --force.
    assert.equal(await command.run([dir]), 2);
    assert.equal(await command.run([]), 2);
    assert.equal(await command.run([dir, '--bogus']), 2);
  } finally {
    console.error = err;
  }
});

test('loads in the real transformers.js pipeline with remote models disabled (env.localModelPath)', async () => {
  const dir = await tinyModelDir();
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = path.dirname(dir);
  const pipe = await pipeline('feature-extraction', path.basename(dir), { dtype: 'fp32', session_options: { intraOpNumThreads: 1 } });
  try {
    assert.deepEqual(pipe.tokenizer.tokenize('关于2023年的建议。'), ['关', '于', '2', '##0', '##2', '##3', '年', '的', '建', '议', '。']);
    const out = await pipe(['农村公路建设', '教育'], { pooling: 'mean', normalize: true });
    assert.deepEqual(out.dims, [2, TEST_MODEL_DIMENSIONS]);
  } finally {
    await pipe.dispose();
  }
});

/**
 * `npm run -s test-model -- DIR`: writes the tiny offline embedding model the
 * tests use, so it can also be tried by hand (EMBEDDING_MODEL=DIR).
 * `--bench` writes the benchmark model instead (bge-small-zh-v1.5's
 * architecture, random weights).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from './command.ts';
import { TEST_MODEL_DIMENSIONS, writeTestModel } from '../embeddings/test-model.ts';
import { BENCH_MODEL_ARCHITECTURE } from '../embeddings/bench-model.ts';

export const command: Command = {
  summary: 'write the tiny offline test embedding model into a folder',
  usage: [
    'Usage: npm run -s test-model -- [--bench] DIR [--force]',
    '',
    'Writes the tiny, deterministic BERT-style model that the tests use into DIR:',
    'config.json, tokenizer.json, tokenizer_config.json, 1_Pooling/config.json and',
    `onnx/model.onnx (fp32, ${TEST_MODEL_DIMENSIONS} dimensions, about 5 MB). It loads offline with`,
    '`EMBEDDING_MODEL=DIR`. It is NOT a language model: its vectors only reflect which',
    'characters and character pairs texts share. Never use it for real answers.',
    '',
    'With --bench it writes the benchmark model instead: the exact architecture of',
    `Xenova/bge-small-zh-v1.5 (BERT, ${BENCH_MODEL_ARCHITECTURE.vocabSize} vocabulary, ${BENCH_MODEL_ARCHITECTURE.hidden} hidden, ${BENCH_MODEL_ARCHITECTURE.layers} layers, ${BENCH_MODEL_ARCHITECTURE.heads} heads,`,
    `${BENCH_MODEL_ARCHITECTURE.intermediate} intermediate, CLS pooling) with random deterministic weights, in fp32`,
    '(onnx/model.onnx, 95 MB) and dynamically quantized int8 (onnx/model_quantized.onnx,',
    '24 MB). Its speed and memory are the real model\'s; its answers mean nothing.',
    '',
    'Options:',
    '  --bench   the benchmark model (see above)',
    '  --force   write even if DIR exists and is not empty',
    '  --help    show this text',
  ].join('\n'),
  async run(argv) {
    const force = argv.includes('--force');
    const bench = argv.includes('--bench');
    const unknown = argv.filter((a) => a.startsWith('-') && a !== '--force' && a !== '--bench');
    const dirs = argv.filter((a) => !a.startsWith('-'));
    if (unknown.length > 0 || dirs.length !== 1) {
      console.error(`dafu test-model: ${unknown.length > 0 ? `unknown option ${unknown[0]}` : 'expected exactly one folder'}.\n\n${this.usage}`);
      return 2;
    }
    const dir = path.resolve(dirs[0] ?? '');
    if (!force && existsSync(dir) && readdirSync(dir).length > 0 && !existsSync(path.join(dir, 'onnx', 'model.onnx'))) {
      console.error(`dafu test-model: ${dir} exists and is not empty (and is not a test model); pass --force to write into it anyway.`);
      return 2;
    }
    if (bench) {
      const { writeBenchModel } = await import('../embeddings/bench-model.ts');
      await writeBenchModel(dir);
    } else await writeTestModel(dir);
    console.log(`dafu test-model: wrote the ${bench ? 'benchmark' : 'tiny test'} model to ${dir} (use it with EMBEDDING_MODEL=${dir})`);
    return 0;
  },
};

/**
 * Whether EMBEDDING_MODEL is dafu's tiny test model (`npm run test-model`):
 * a folder whose config.json carries `dafu_test_model_version`. That model is
 * not a language model (its vectors only reflect shared characters), so
 * wherever dafu shows which model answers (the chat banner, the bot's start
 * log, /about) it says so plainly. Kept apart from test-model.ts so asking
 * does not load the ONNX writer.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const known = new Map<string, boolean>();

export function isTestModel(model: string): boolean {
  const cached = known.get(model);
  if (cached !== undefined) return cached;
  let answer = false;
  try {
    const config = JSON.parse(readFileSync(path.join(model, 'config.json'), 'utf8')) as Record<string, unknown>;
    answer = config['dafu_test_model_version'] !== undefined || config['_name_or_path'] === 'dafu/tiny-test-model';
  } catch {
    // A hub id, or a folder without a readable config.json: not the test model.
  }
  known.set(model, answer);
  return answer;
}

/** The warning, in Chinese for the chat and the bot, and in English for the operator's log. */
export const TEST_MODEL_NOTICE_ZH = '注意：当前使用的是仅供测试的微型向量模型（不是语言模型），语义检索没有实际意义，回答只靠编号、人名、部门和关键词匹配，仅供试用，不可作为依据。';
export const TEST_MODEL_NOTICE_EN = 'EMBEDDING_MODEL is the tiny TEST model: it is not a language model, so semantic search is meaningless and answers rest on exact lookup and keyword search only. Fine for trying dafu, not for real use: set EMBEDDING_MODEL to a real model (default Xenova/bge-small-zh-v1.5).';

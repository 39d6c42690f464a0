/**
 * Decides where the embedding model comes from and how it must be used
 * (pooling, prefixes, dtype), from the settings alone, before anything is
 * loaded. Kept apart from the pipeline so the decisions are unit-testable.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { DafuModelError } from '../errors.ts';

/** Hugging Face's own host, used when `EMBEDDING_REMOTE_HOST` is unset. */
export const DEFAULT_REMOTE_HOST = 'https://huggingface.co/';

export type Pooling = 'cls' | 'mean';
export type Dtype = Config['EMBEDDING_DTYPE'];

/** A model on the hub (downloaded once into the cache folder) or a folder on disk. */
export type ModelSource =
  | { kind: 'hub'; id: string; cacheDir: string; host: string; offline: boolean; dtype: Dtype }
  | { kind: 'local'; dir: string; dtype: Dtype };

/** How a model wants its inputs and outputs treated. */
export interface ModelProfile {
  pooling: Pooling;
  /** Prepended to every query (`embedQuery`). */
  queryPrefix: string;
  /** Prepended to every document (`embedDocuments`). */
  documentPrefix: string;
}

/**
 * BAAI's recommended instruction for short query → passage retrieval with
 * bge-*-zh models (documents get no instruction). We apply it by default
 * because that is exactly our use (a question against reply sections); since
 * it only touches queries, changing it never requires re-ingesting.
 */
export const BGE_ZH_QUERY_INSTRUCTION = '为这个句子生成表示以用于检索相关文章：';
/** The English counterpart for bge-*-en models. */
export const BGE_EN_QUERY_INSTRUCTION = 'Represent this sentence for searching relevant passages: ';

/** onnx file suffix per dtype, as transformers.js v3 names them (`onnx/model{suffix}.onnx`). */
const DTYPE_SUFFIX: Record<Dtype, string> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  bnb4: '_bnb4',
  q4f16: '_q4f16',
};

/** True when `value` is clearly meant as a filesystem path rather than a hub id like `Xenova/bge-small-zh-v1.5`. */
function looksLikePath(value: string): boolean {
  return (
    path.isAbsolute(value) ||
    value.startsWith('.') ||
    value.startsWith('~') ||
    value.includes('\\') ||
    value.split('/').length > 2
  );
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * For a local folder, the dtype whose onnx file exists: the configured one if
 * present, else fp32 (`onnx/model.onnx`), else q8 (`model_quantized.onnx`),
 * else the first other variant found. Hub models use the configured dtype
 * (default q8: about 4× smaller than fp32 with near-identical retrieval).
 */
export function pickLocalDtype(dir: string, configured: Dtype): Dtype {
  const has = (d: Dtype) => existsSync(path.join(dir, 'onnx', `model${DTYPE_SUFFIX[d]}.onnx`));
  if (has(configured)) return configured;
  const order: Dtype[] = ['fp32', 'q8', 'int8', 'uint8', 'fp16', 'q4', 'q4f16', 'bnb4'];
  return order.find(has) ?? configured;
}

/**
 * Resolves `EMBEDDING_MODEL`: an existing directory is a local model folder
 * (loaded with remote models disabled); a value that looks like a path but
 * is not a directory is an error; anything else is a hub id, fetched from
 * `EMBEDDING_REMOTE_HOST` (default huggingface.co) into `EMBEDDING_CACHE_DIR`
 * unless `EMBEDDING_OFFLINE` is set.
 */
export function resolveModelSource(config: Config): ModelSource {
  const value = config.EMBEDDING_MODEL.trim();
  const dir = path.resolve(value);
  if (isDirectory(dir)) return { kind: 'local', dir, dtype: pickLocalDtype(dir, config.EMBEDDING_DTYPE) };
  if (looksLikePath(value)) {
    throw new DafuModelError(
      `dafu embeddings: EMBEDDING_MODEL="${value}" looks like a folder, but ${dir} is not a directory. ` +
        'Point EMBEDDING_MODEL at a model folder (with config.json, tokenizer.json and onnx/model*.onnx) or use a hub id such as Xenova/bge-small-zh-v1.5.',
    );
  }
  const host = config.EMBEDDING_REMOTE_HOST ?? DEFAULT_REMOTE_HOST;
  return {
    kind: 'hub',
    id: value,
    cacheDir: path.resolve(config.EMBEDDING_CACHE_DIR),
    host: host.endsWith('/') ? host : `${host}/`,
    offline: config.EMBEDDING_OFFLINE,
    dtype: config.EMBEDDING_DTYPE,
  };
}

/** Names a source is known by, for recognising bge/e5 families: the hub id, or a folder's name and `_name_or_path`. */
export function sourceNames(source: ModelSource): string[] {
  if (source.kind === 'hub') return [source.id];
  const names = [path.basename(source.dir)];
  const cfg = readJson(path.join(source.dir, 'config.json'));
  if (cfg && typeof cfg['_name_or_path'] === 'string') names.push(cfg['_name_or_path']);
  return names;
}

/** The pooling a folder declares in sentence-transformers' `1_Pooling/config.json`, if any. */
export function declaredPooling(source: ModelSource): Pooling | undefined {
  const dir = source.kind === 'local' ? source.dir : path.join(source.cacheDir, source.id);
  const cfg = readJson(path.join(dir, '1_Pooling', 'config.json'));
  if (!cfg) return undefined;
  if (cfg['pooling_mode_cls_token'] === true) return 'cls';
  if (cfg['pooling_mode_mean_tokens'] === true) return 'mean';
  return undefined;
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isBge = (name: string) => /(^|[^a-z0-9])bge([^a-z0-9]|$)/i.test(name);
const isE5 = (name: string) => /(^|[^a-z0-9])e5([^a-z0-9]|$)/i.test(name);

/**
 * Pooling and prefixes for a model, from its names:
 * - pooling: the configured `EMBEDDING_POOLING` unless `auto`; for `auto`,
 *   what the folder declares (`1_Pooling/config.json`), else CLS for bge
 *   models (they are trained with it; mean pooling degrades them) and mean
 *   for everything else (e5, MiniLM, gte, the tiny test model).
 * - e5 models: `query: ` / `passage: ` prefixes, which they require.
 * - bge zh/en v1/v1.5 models: BAAI's query instruction unless
 *   `queryInstruction` overrides it (`''` turns it off). bge-m3 needs none.
 */
export function modelProfile(
  names: string[],
  configured: Config['EMBEDDING_POOLING'],
  declared?: Pooling,
  queryInstruction?: string,
): ModelProfile {
  const bge = names.some(isBge);
  const pooling: Pooling = configured !== 'auto' ? configured : (declared ?? (bge ? 'cls' : 'mean'));
  if (names.some(isE5)) return { pooling, queryPrefix: 'query: ', documentPrefix: 'passage: ' };
  let instruction = '';
  if (bge && !names.some((n) => /bge-m3/i.test(n))) {
    if (names.some((n) => /zh/i.test(n))) instruction = BGE_ZH_QUERY_INSTRUCTION;
    else if (names.some((n) => /(^|[^a-z])en([^a-z]|$)/i.test(n))) instruction = BGE_EN_QUERY_INSTRUCTION;
  }
  return { pooling, queryPrefix: queryInstruction ?? instruction, documentPrefix: '' };
}

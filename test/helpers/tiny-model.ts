/**
 * The tiny offline embedding model for tests: generated once per machine
 * into the OS temp folder and reused by every test process and run.
 *
 *   const embeddings = createEmbeddings(tinyModelConfig());
 */
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { TEST_MODEL_VERSION, writeTestModelSync } from '../../src/embeddings/test-model.ts';

let ready: string | undefined;

/** Folder holding the tiny model, generated on first use (about 0.5 s) and cached between runs. */
export function tinyModelDirSync(): string {
  if (ready) return ready;
  const dir = path.join(os.tmpdir(), `dafu-tiny-model-v${TEST_MODEL_VERSION}`);
  // config.json is written last, so its presence means a complete model.
  if (!existsSync(path.join(dir, 'config.json'))) {
    // Test processes run in parallel and may race: each writes its own copy
    // aside and renames it into place; a loser's rename fails (the folder
    // exists and is not empty) and it simply uses the winner's copy.
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'dafu-tiny-model-tmp-'));
    writeTestModelSync(tmp);
    try {
      renameSync(tmp, dir);
    } catch {
      if (!existsSync(path.join(dir, 'config.json'))) {
        // A broken leftover (not from a racing writer, which renames whole): replace it.
        rmSync(dir, { recursive: true, force: true });
        renameSync(tmp, dir);
      }
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  ready = dir;
  return dir;
}

/** Async form of `tinyModelDirSync`. */
export async function tinyModelDir(): Promise<string> {
  return tinyModelDirSync();
}

/**
 * Settings that use the tiny model fully offline (one onnxruntime thread, as
 * test files run in parallel), plus `overrides` for any other setting, e.g.
 * `{ STORE_DIR: tmp }`. Everything else is the default.
 */
export function tinyModelConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ EMBEDDING_MODEL: tinyModelDirSync(), EMBEDDING_OFFLINE: '1', EMBEDDING_THREADS: '1', ...overrides });
}

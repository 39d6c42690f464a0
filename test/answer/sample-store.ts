/**
 * The sample corpus ingested once into a temp store with the tiny model, the
 * real pipeline (runIngest → openStore → createEngine), for the answer tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIngest } from '../../ingest/run.ts';
import type { Config } from '../../src/config.ts';
import { type EngineDeps, createEngine } from '../../src/answer/engine.ts';
import type { Engine } from '../../src/answer/types.ts';
import { createEmbeddings, type LocalEmbeddings } from '../../src/embeddings/index.ts';
import { type LoadedStore, openStore } from '../../src/store/open.ts';
import { SAMPLE_CORPUS } from '../helpers/store.ts';
import { tinyModelConfig } from '../helpers/tiny-model.ts';

export interface SampleStore {
  dir: string;
  config: Config;
  embeddings: LocalEmbeddings;
  store: LoadedStore;
  engine: Engine;
  /** A second engine over the same store with other deps or settings. */
  engineWith(deps: EngineDeps, overrides?: Record<string, string>): Engine;
  close(): Promise<void>;
}

/** The sample corpus (or `corpusDir`, such as a folder of fixture replies) in a temp store. */
export async function buildSampleStore(overrides: Record<string, string> = {}, corpusDir: string = SAMPLE_CORPUS): Promise<SampleStore> {
  const dir = await mkdtemp(join(tmpdir(), 'dafu-answer-store-'));
  const config = tinyModelConfig({ STORE_DIR: dir, ...overrides });
  const embeddings = createEmbeddings(config);
  await runIngest({ corpusDir, storeDir: dir, config, embeddings });
  const store = await openStore(dir, { embeddings });
  return {
    dir,
    config,
    embeddings,
    store,
    engine: createEngine(store, config, { llm: null }),
    engineWith: (deps, more = {}) => createEngine(store, tinyModelConfig({ STORE_DIR: dir, ...overrides, ...more }), deps),
    async close() {
      await embeddings.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the store and builds the engine from settings: what `ask`, `chat`,
 * `eval` (and the bot) do at start-up.
 */
import type { Config } from '../config.ts';
import { createEmbeddings } from '../embeddings/index.ts';
import { type LoadedStore, openStore } from '../store/open.ts';
import { type EngineDeps, createEngine } from './engine.ts';
import type { Engine } from './types.ts';

export interface OpenedEngine {
  engine: Engine;
  store: LoadedStore;
}

/** Opens `storeDir` (default STORE_DIR) with the configured model and ef, and creates the engine. */
export async function openEngine(config: Config, storeDir: string = config.STORE_DIR, deps: EngineDeps = {}): Promise<OpenedEngine> {
  const store = await openStore(storeDir, { embeddings: createEmbeddings(config), ef: config.HNSW_EF });
  return { engine: createEngine(store, config, deps), store };
}

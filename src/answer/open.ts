/**
 * Opens the store and builds the engine from settings: what `ask`, `chat`,
 * `eval` (and the bot) do at start-up.
 */
import type { Config } from '../config.ts';
import { createEmbeddings } from '../embeddings/index.ts';
import { type OpenedStore, openConfiguredStore, withStoreArg } from '../store/open.ts';
import { type EngineDeps, createEngine } from './engine.ts';
import type { Engine } from './types.ts';

export interface OpenedEngine {
  engine: Engine;
  store: OpenedStore;
}

/** Opens the configured store (or `store`: a folder or a postgres:// URL, see {@link withStoreArg}) with the configured model and ef, and creates the engine. */
export async function openEngine(config: Config, store?: string, deps: EngineDeps = {}): Promise<OpenedEngine> {
  const opened = await openConfiguredStore(withStoreArg(config, store), createEmbeddings(config));
  return { engine: createEngine(opened, config, deps), store: opened };
}

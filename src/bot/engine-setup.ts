/**
 * Brings up the answer engine for a long-running bot: ingests first when the
 * store is missing or behind the corpus, opens the store, and offers a
 * `reload` that re-ingests and returns a fresh engine (for /reload).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { runIngest, type IngestProgress } from '../../ingest/run.ts';
import { loadFile, resolveCorpusFile, walkCorpus } from '../../ingest/load/index.ts';
import { createEngine, type Engine } from '../answer/index.ts';
import type { Config } from '../config.ts';
import { createEmbeddings, type LocalEmbeddings } from '../embeddings/index.ts';
import type { Logger } from '../log.ts';
import { DafuStoreBusyError } from '../errors.ts';
import { describeConfiguredStore, openConfiguredStore, readConfiguredManifest, type OpenedStore } from '../store/open.ts';
import { watchStore } from '../store/watch.ts';
import { ingestInChild } from './ingest-child.ts';
import type { Instances, Lock } from './instances.ts';
import type { ReloadResult } from './services.ts';

/**
 * Why the store must be (re)built before serving, or null when it is current:
 * no store yet, another embedding model, or a corpus file added, changed
 * (sha256 of its bytes differs from the manifest's) or removed.
 *
 * A file that is not in the manifest counts as new only if ingest would take
 * it: one that fails to load (empty, binary, corrupt, unreadable) or repeats
 * the content of an ingested file is skipped by ingest, so it never enters the
 * manifest and must not trigger a re-ingest on every start. Only such unknown
 * files are loaded here; known files are just hashed. (A file that loads but
 * yields no chunks after parsing still counts as new: telling that needs the
 * parser, and such files are rare.)
 */
export async function storeStaleness(config: Config, modelId: string): Promise<string | null> {
  const live = await readConfiguredManifest(config).catch(() => null);
  if (!live) return `no store in ${await describeConfiguredStore(config)} yet`;
  const { manifest } = live;
  if (manifest.model !== modelId) return `the store was built with model "${manifest.model}", EMBEDDING_MODEL is "${modelId}"`;
  const listing = await walkCorpus(config.CORPUS_DIR);
  const knownHashes = new Set(Object.values(manifest.files).map((f) => f.hash));
  for (const file of listing.files) {
    const path = resolveCorpusFile(config.CORPUS_DIR, file);
    const known = manifest.files[file];
    if (!known) {
      const loaded = await loadFile(path, { name: file }).catch(() => null);
      if (loaded && !knownHashes.has(sha256(loaded.bytes))) return `${file} is new`;
      continue;
    }
    // A known file that can no longer be read would be dropped by ingest: that changes the store too.
    const bytes = await readFile(path).catch(() => null);
    if (!bytes) return `${file} can no longer be read`;
    if (sha256(bytes) !== known.hash) return `${file} changed`;
  }
  const present = new Set(listing.files);
  const removed = Object.keys(manifest.files).find((f) => !present.has(f));
  return removed ? `${removed} was removed from the corpus` : null;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Progress of an ingest as log lines: each phase, and embedding about every 10 %. */
function progressLogger(logger: Logger): (p: IngestProgress) => void {
  let phase = '';
  let lastTenth = -1;
  return (p) => {
    if (p.phase !== phase) {
      phase = p.phase;
      logger.info('ingest', { phase: p.phase, files: p.filesDone, filesTotal: p.filesTotal, chunksToEmbed: p.chunksToEmbed });
      return;
    }
    if (p.phase === 'embed' && p.chunksToEmbed > 0) {
      const tenth = Math.floor((p.chunksEmbedded / p.chunksToEmbed) * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        logger.info('ingest', { phase: 'embed', chunksEmbedded: p.chunksEmbedded, chunksToEmbed: p.chunksToEmbed });
      }
    }
  };
}

export interface BotEngine {
  engine: Engine;
  /**
   * Re-ingests the corpus (incrementally) in a child process with a heap
   * limit (a hostile file can kill the child, never the bot) and opens a new
   * engine; the current one keeps working meanwhile.
   */
  reload(): Promise<ReloadResult>;
  /** Opens a fresh engine over the store as it is now (another instance published a new one). */
  reopen(): Promise<Engine>;
  embeddings: LocalEmbeddings;
  /**
   * Reopens the engine whenever another process publishes a new store
   * generation (an ingest, /reload on another instance), and hands it to
   * `onEngine`; answers in progress finish on the old one. Returns the stop function.
   */
  watch(onEngine: (engine: Engine) => void, onError?: (err: unknown) => void): () => Promise<void>;
}

/** Waits for the ingest lock (another instance may be ingesting the same store), checking every `everyMs`. */
async function ingestLock(instances: Instances, logger: Logger, everyMs = 500): Promise<Lock> {
  let told = false;
  for (;;) {
    const lock = await instances.tryIngestLock();
    if (lock) return lock;
    if (!told) logger.info('another instance is ingesting the store; waiting for it before serving');
    told = true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** How long a replaced store stays open for answers still running on it. */
const RETIRE_GRACE_MS = 60_000;

/**
 * Opens the engine over the configured store (STORE_URL or STORE_DIR),
 * ingesting CORPUS_DIR first when `storeStaleness` says so. With `instances`
 * shared (REDIS_URL), only one instance ingests: the others wait for its
 * lock, then find the store current.
 */
export async function prepareEngine(config: Config, logger: Logger, instances?: Instances): Promise<BotEngine> {
  const embeddings = createEmbeddings(config);
  const ingest = async () => {
    const summary = await runIngest({
      corpusDir: config.CORPUS_DIR,
      storeDir: config.STORE_DIR,
      config,
      embeddings,
      onProgress: progressLogger(logger),
      onNotice: (message) => logger.info('ingest notice', { message }),
    });
    logger.info('ingest done', { documents: summary.documents, chunks: summary.chunks, added: summary.added, changed: summary.changed, removed: summary.removed, skipped: summary.skipped, seconds: summary.seconds });
  };
  let serving: OpenedStore | undefined;
  let servingEngine: Engine | undefined;
  const open = async (): Promise<Engine> => {
    const store = await openConfiguredStore(config, embeddings);
    const previous = serving;
    serving = store;
    if (previous) setTimeout(() => void previous.close(), RETIRE_GRACE_MS).unref();
    servingEngine = createEngine(store, config, { onWarning: (message) => logger.warn('engine', { message }) });
    return servingEngine;
  };
  /** The engine over the published generation: the one open when that is it already (the watch may have been first), else a new one. */
  const reopen = async (): Promise<Engine> => {
    const published = await readConfiguredManifest(config).catch(() => null);
    if (servingEngine && published && published.version === serving?.generation) return servingEngine;
    return open();
  };

  if (await storeStaleness(config, embeddings.modelId)) {
    const lock = instances ? await ingestLock(instances, logger) : undefined;
    try {
      // Asked again under the lock: the instance that held it may have just brought the store up to date.
      const stale = await storeStaleness(config, embeddings.modelId);
      if (stale) {
        logger.info('ingesting the corpus before serving', { reason: stale, corpus: config.CORPUS_DIR, store: await describeConfiguredStore(config) });
        try {
          await ingest();
          await instances?.announceStore();
        } catch (err) {
          // Another process (not a bot instance: an ingest by hand) is ingesting the shared store: serve what is published, or wait for its first generation.
          if (!(err instanceof DafuStoreBusyError)) throw err;
          logger.info('another process is ingesting the store; serving the published generation meanwhile', { message: err.message });
          await waitForStore(config);
        }
      }
    } finally {
      await lock?.release();
    }
  }
  const engine = await open();
  return {
    engine,
    embeddings,
    reopen,
    reload: async () => {
      const summary = await ingestInChild(config, {
        memoryMb: config.INGEST_MEMORY_MB,
        onLine: (line) => logger.info('reload ingest', { line }),
      });
      logger.info('ingest done', { documents: summary.documents, chunks: summary.chunks, added: summary.added, changed: summary.changed, removed: summary.removed, skipped: summary.skipped, seconds: summary.seconds });
      return { engine: await open(), changes: { added: summary.added, changed: summary.changed, removed: summary.removed, skipped: summary.skipped.length } };
    },
    watch(onEngine, onError) {
      const watcher = watchStore(
        config,
        serving?.generation ?? null,
        async (generation) => {
          // /reload on this instance may have opened this generation already.
          if (generation === serving?.generation) return;
          const next = await open();
          logger.info('serving a new store generation', { generation, replies: next.stats().replies });
          onEngine(next);
        },
        { onError: onError ?? ((err) => logger.warn('store watch', { error: err })) },
      );
      return () => watcher.stop();
    },
  };
}

/** Resolves once the configured store has a published generation (another process is building the first one). */
async function waitForStore(config: Config): Promise<void> {
  for (;;) {
    if (await readConfiguredManifest(config).catch(() => null)) return;
    await new Promise((r) => setTimeout(r, config.STORE_POLL_MS));
  }
}

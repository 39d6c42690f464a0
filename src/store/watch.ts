/**
 * Notices a newly published store generation without restarting: a bot
 * instance reopens its engine when another process (an ingest, /reload on
 * another instance) publishes. Works for both backends: the file store's
 * CURRENT pointer, the Postgres store's `dafu_state.generation`.
 */
import type { Config } from '../config.ts';
import { readCurrentVersion } from './layout.ts';

export interface StoreWatch {
  /** Stops polling; resolves once a check in progress (and its callback) has finished. */
  stop(): Promise<void>;
}

export interface WatchOptions {
  /** Default STORE_POLL_MS. */
  intervalMs?: number;
  /** A failed check or callback (database briefly unreachable, a reopen that failed): polling goes on. */
  onError?: (err: unknown) => void;
}

/**
 * Calls `onNewGeneration(generation)` each time the published generation
 * differs from the last one seen (initially `since`). When the callback
 * throws, the generation is not counted as seen, so the next check tries again.
 */
export function watchStore(
  config: Pick<Config, 'STORE_DIR' | 'STORE_URL' | 'STORE_POLL_MS'>,
  since: string | null,
  onNewGeneration: (generation: string) => void | Promise<void>,
  opts: WatchOptions = {},
): StoreWatch {
  const interval = opts.intervalMs ?? config.STORE_POLL_MS;
  let seen = since;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let read: () => Promise<string | null>;
  let release: () => Promise<void> = async () => undefined;
  if (config.STORE_URL) {
    const url = config.STORE_URL;
    let pool: import('pg').Pool | undefined;
    read = async () => {
      const { createPool } = await import('./pg-schema.ts');
      const { readPgGeneration } = await import('./postgres.ts');
      pool ??= createPool(url, 1);
      return readPgGeneration(pool);
    };
    release = async () => {
      await pool?.end().catch(() => undefined);
    };
  } else {
    read = () => readCurrentVersion(config.STORE_DIR);
  }

  const check = async () => {
    try {
      const now = await read();
      if (stopped || now === null || now === seen) return;
      await onNewGeneration(now);
      seen = now;
    } catch (err) {
      opts.onError?.(err);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = check().finally(schedule);
    }, interval);
    // Watching alone must not keep a process alive.
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await release();
    },
  };
}

/** What the bot's features share: settings, the (swappable) engine, logging and per-chat state. */
import type { Engine } from '../answer/index.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { ShortKeys } from './callback-data.ts';
import type { ChatHistory } from './history.ts';
import type { Instances } from './instances.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { SeenUpdates } from './seen-updates.ts';

/** What an ingest changed, for /reload's reply. */
export interface IngestChanges {
  added: number;
  changed: number;
  removed: number;
  skipped: number;
}

/** A reload's outcome: the new engine and, when an ingest ran, what it changed. */
export interface ReloadResult {
  engine: Engine;
  changes?: IngestChanges;
}

export interface BotServices {
  readonly config: Config;
  readonly logger: Logger;
  /** The engine answering now; `/reload` replaces it, so read it at use, never cache it. */
  engine: Engine;
  /** Re-ingests and opens a fresh engine; absent when the host cannot reload. */
  readonly reload?: () => Promise<ReloadResult>;
  /** Opens the store as published now (another instance ingested); absent when the host cannot. */
  readonly reopen?: () => Promise<Engine>;
  readonly history: ChatHistory;
  readonly limiter: RateLimiter;
  readonly keys: ShortKeys;
  readonly seen: SeenUpdates;
  /** Locks and announcements shared with other instances (local flags when alone). */
  readonly instances: Instances;
}

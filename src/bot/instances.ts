/**
 * What several instances of one bot agree on through Redis: who long-polls
 * (only one process may call getUpdates per token), who ingests (one
 * /reload for all), and that a new store was published (each instance
 * reopens its engine). With one instance the same interface works in
 * memory: the locks are local flags and the announcement reaches nobody.
 *
 * Locks are keys set NX with an expiry that their holder renews (a
 * heartbeat); an instance that dies stops renewing and its lock lapses
 * within the expiry. Release and renewal check the holder (a Lua
 * compare-and-delete), so a late release never frees someone else's lock.
 */
import type { Logger } from '../log.ts';
import { INSTANCE_ID, type Redis } from './redis.ts';

/** A held lock. */
export interface Lock {
  /** Frees it; safe to call twice. */
  release(): Promise<void>;
  /** Resolves if the lock is lost while held (Redis unreachable past the expiry, or taken over): the holder must stop. */
  readonly lost: Promise<void>;
}

export interface Instances {
  /** The polling lock, or the holder's description when another instance holds it. */
  claimPolling(): Promise<Lock | { heldBy: string }>;
  /** The ingest lock, or null when an ingest is running (here or on another instance). */
  tryIngestLock(): Promise<Lock | null>;
  /** Tells every other instance that a new store was published. */
  announceStore(): Promise<void>;
  /** Calls `onPublished` when another instance announces a new store; returns an unsubscribe. */
  onStorePublished(onPublished: () => void): Promise<() => Promise<void>>;
  /** True when other instances share this state (Redis). */
  readonly shared: boolean;
  close(): Promise<void>;
}

/** One instance: local flags. */
export class LocalInstances implements Instances {
  readonly shared = false;
  private polling = false;
  private ingesting = false;

  private flag(name: 'polling' | 'ingesting'): Lock {
    this[name] = true;
    let released = false;
    return {
      lost: new Promise<void>(() => undefined),
      release: async () => {
        if (!released) this[name] = false;
        released = true;
      },
    };
  }

  async claimPolling(): Promise<Lock | { heldBy: string }> {
    return this.polling ? { heldBy: 'this process' } : this.flag('polling');
  }

  async tryIngestLock(): Promise<Lock | null> {
    return this.ingesting ? null : this.flag('ingesting');
  }

  async announceStore(): Promise<void> {}

  async onStorePublished(): Promise<() => Promise<void>> {
    return async () => undefined;
  }

  async close(): Promise<void> {}
}

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface RedisInstancesOptions {
  /** Lock expiry; renewed every third of it. Default 15 s: a dead holder's lock lapses within that. */
  lockTtlMs?: number;
  /** Opens the subscriber connection (pub/sub needs its own). */
  subscriber: () => Promise<Redis>;
  logger: Logger;
  /** This instance in locks and announcements; default the process's {@link INSTANCE_ID} (tests run two in one process). */
  instanceId?: string;
}

/** Several instances: locks and announcements in Redis under `prefix`. */
export class RedisInstances implements Instances {
  readonly shared = true;
  private readonly ttl: number;
  private readonly id: string;
  private readonly held = new Set<Lock>();
  private subscriber: Redis | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: RedisInstancesOptions,
  ) {
    this.ttl = options.lockTtlMs ?? 15_000;
    this.id = options.instanceId ?? INSTANCE_ID;
  }

  private get channel(): string {
    return `${this.prefix}store-published`;
  }

  /** Takes `name` if free: held until released, renewed every ttl/3; resolves `lost` if a renewal finds it gone. */
  private async lock(name: string, value: string): Promise<Lock | null> {
    const key = `${this.prefix}lock:${name}`;
    if ((await this.redis.set(key, value, 'PX', this.ttl, 'NX')) !== 'OK') return null;
    let released = false;
    let onLost!: () => void;
    const lost = new Promise<void>((r) => (onLost = r));
    let renewedAt = Date.now();
    const timer = setInterval(() => {
      this.redis
        .eval(RENEW, 1, key, value, this.ttl)
        .then((renewed) => {
          renewedAt = Date.now();
          if (renewed !== 1 && !released) {
            this.options.logger.error('lock lost: another instance holds it now', { lock: name });
            stop();
            onLost();
          }
        })
        .catch((err: unknown) => {
          // Two renewals missed: the lock lapses soon and another may take it, so stop first, as if it were lost.
          if (Date.now() - renewedAt >= (this.ttl * 2) / 3 && !released) {
            this.options.logger.error('lock lost: Redis did not answer its renewal', { lock: name, error: err });
            stop();
            onLost();
          }
        });
    }, Math.max(50, Math.floor(this.ttl / 3)));
    timer.unref();
    const stop = () => {
      clearInterval(timer);
      this.held.delete(lock);
    };
    const lock: Lock = {
      lost,
      release: async () => {
        if (released) return;
        released = true;
        stop();
        await this.redis.eval(RELEASE, 1, key, value).catch(() => undefined);
      },
    };
    this.held.add(lock);
    return lock;
  }

  async claimPolling(): Promise<Lock | { heldBy: string }> {
    const value = `${this.id} since ${new Date().toISOString()}`;
    const lock = await this.lock('polling', value);
    if (lock) return lock;
    return { heldBy: (await this.redis.get(`${this.prefix}lock:polling`)) ?? 'another instance (its lock just lapsed; try again)' };
  }

  tryIngestLock(): Promise<Lock | null> {
    return this.lock('ingest', this.id);
  }

  async announceStore(): Promise<void> {
    await this.redis.publish(this.channel, this.id);
  }

  async onStorePublished(onPublished: () => void): Promise<() => Promise<void>> {
    if (!this.subscriber) {
      this.subscriber = await this.options.subscriber();
      // ioredis re-subscribes by itself after a reconnect.
      this.subscriber.on('message', (channel: string, from: string) => {
        if (channel !== this.channel || from === this.id) return;
        for (const l of [...this.listeners]) l();
      });
      await this.subscriber.subscribe(this.channel);
    }
    this.listeners.add(onPublished);
    return async () => void this.listeners.delete(onPublished);
  }

  async close(): Promise<void> {
    for (const lock of [...this.held]) await lock.release();
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }
}

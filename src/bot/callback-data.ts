/**
 * `callback_data` is limited to 64 bytes (UTF-8; a Chinese character takes 3).
 * Data that fits is put in the button as is, so buttons keep working after a
 * restart; longer data gets a short key into a table: in memory for one
 * instance, in Redis (with expiry) so a button made by one instance works
 * when its tap reaches another.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from './redis.ts';

export const CALLBACK_DATA_LIMIT = 64;

/** How long a long button's data is kept in Redis: a week (older buttons say they expired). */
export const SHORT_KEY_TTL_MS = 7 * 24 * 3600_000;

/** Byte length as Telegram counts it. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Short keys for long button data. */
export interface ShortKeys {
  /** Stores `value`; the key (letters, digits, - and _; no colon) goes in the button. */
  put(value: string): Promise<string>;
  /** The value, or undefined when unknown or expired. */
  get(key: string): Promise<string | undefined>;
}

/** Bounded map from short keys to long values (oldest entries dropped first). */
export class MemoryShortKeys implements ShortKeys {
  private readonly map = new Map<string, string>();
  private counter = 0;

  constructor(private readonly max = 10_000) {}

  async put(value: string): Promise<string> {
    const key = (this.counter++).toString(36);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
    return key;
  }

  async get(key: string): Promise<string | undefined> {
    return this.map.get(key);
  }
}

/**
 * `<prefix>k:<key>` → value, with a week's expiry. Keys are random (72 bits,
 * 12 characters), so instances need no shared counter and never collide.
 */
export class RedisShortKeys implements ShortKeys {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs = SHORT_KEY_TTL_MS,
  ) {}

  async put(value: string): Promise<string> {
    const key = randomBytes(9).toString('base64url');
    await this.redis.set(`${this.prefix}k:${key}`, value, 'PX', this.ttlMs);
    return key;
  }

  async get(key: string): Promise<string | undefined> {
    // Only keys we could have made are looked up: a forged tap cannot probe other keys.
    if (!/^[A-Za-z0-9_-]{1,16}$/.test(key)) return undefined;
    return (await this.redis.get(`${this.prefix}k:${key}`)) ?? undefined;
  }
}

/**
 * Button data `prefix + value` when it fits in 64 bytes, else `shortPrefix + key`.
 * Throws if even the short form does not fit (a programming error).
 */
export async function packData(prefix: string, value: string, shortPrefix: string, keys: ShortKeys): Promise<string> {
  const direct = prefix + value;
  if (byteLength(direct) <= CALLBACK_DATA_LIMIT) return direct;
  const short = shortPrefix + (await keys.put(value));
  if (byteLength(short) > CALLBACK_DATA_LIMIT) throw new Error(`callback data too long: ${short.length}`);
  return short;
}

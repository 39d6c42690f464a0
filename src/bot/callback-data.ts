/**
 * `callback_data` is limited to 64 bytes (UTF-8; a Chinese character takes 3).
 * Data that fits is put in the button as is, so buttons keep working after a
 * restart; longer data gets a short key into an in-memory table.
 */
export const CALLBACK_DATA_LIMIT = 64;

/** Byte length as Telegram counts it. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Bounded map from short keys to long values (oldest entries dropped first). */
export class ShortKeys {
  private readonly map = new Map<string, string>();
  private counter = 0;

  constructor(private readonly max = 10_000) {}

  put(value: string): string {
    const key = (this.counter++).toString(36);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
    return key;
  }

  get(key: string): string | undefined {
    return this.map.get(key);
  }
}

/**
 * Button data `prefix + value` when it fits in 64 bytes, else `shortPrefix + key`.
 * Throws if even the short form does not fit (a programming error).
 */
export function packData(prefix: string, value: string, shortPrefix: string, keys: ShortKeys): string {
  const direct = prefix + value;
  if (byteLength(direct) <= CALLBACK_DATA_LIMIT) return direct;
  const short = shortPrefix + keys.put(value);
  if (byteLength(short) > CALLBACK_DATA_LIMIT) throw new Error(`callback data too long: ${short.length}`);
  return short;
}

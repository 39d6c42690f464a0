/**
 * Per-user limit on questions: at most `perMinute` in any sliding minute.
 * Protects the engine (CPU-bound embedding) from one eager or hostile user.
 * In memory for one instance; in Redis, one window per user counted across
 * every instance.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from './redis.ts';

export type RateDecision = { ok: true } | { ok: false; retryInSeconds: number; notify: boolean };

export interface RateLimiter {
  /**
   * Counts one request from `userId`. When over the limit, `notify` is true
   * only for the first refusal in a window, so a flood gets one polite reply, not many.
   */
  take(userId: number | string): Promise<RateDecision>;
}

const WINDOW_MS = 60_000;

export class MemoryRateLimiter implements RateLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly notified = new Map<string, number>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  async take(userId: number | string): Promise<RateDecision> {
    const key = String(userId);
    const t = this.now();
    const recent = (this.hits.get(key) ?? []).filter((x) => t - x < WINDOW_MS);
    if (recent.length >= this.perMinute) {
      this.hits.set(key, recent);
      const retryInSeconds = Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - t) / 1000));
      const last = this.notified.get(key);
      const notify = last === undefined || t - last >= WINDOW_MS;
      if (notify) this.notified.set(key, t);
      return { ok: false, retryInSeconds, notify };
    }
    recent.push(t);
    this.hits.set(key, recent);
    return { ok: true };
  }
}

/**
 * The sliding window as a sorted set of request times, checked and added to
 * in one Lua script (atomic: two instances cannot both take the last slot).
 * The clock is Redis's own (TIME), so instances whose clocks differ still
 * agree on the window. The notice marker is a key set NX for a window.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, 0, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local notify = redis.call('SET', KEYS[2], '1', 'NX', 'PX', window)
return {0, tonumber(oldest[2]) + window - now, notify and 1 or 0}
`;

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly perMinute: number,
  ) {}

  async take(userId: number | string): Promise<RateDecision> {
    const member = randomBytes(6).toString('hex');
    const [ok, retryMs, notify] = (await this.redis.eval(TAKE, 2, `${this.prefix}rl:${userId}`, `${this.prefix}rn:${userId}`, this.perMinute, WINDOW_MS, member)) as [number, number, number];
    if (ok === 1) return { ok: true };
    return { ok: false, retryInSeconds: Math.max(1, Math.ceil(retryMs / 1000)), notify: notify === 1 };
  }
}

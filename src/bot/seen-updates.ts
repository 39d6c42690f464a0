/**
 * Update de-duplication. Telegram re-sends a webhook update whose request
 * did not finish (an instance restarted, a proxy timed out), and behind a
 * load balancer the copy may reach another instance: each update_id is
 * answered at most once. A side effect: an instance killed mid-answer loses
 * that answer (its re-sent copy is recognised and dropped), never answers twice.
 */
import type { Redis } from './redis.ts';

export interface SeenUpdates {
  /** True the first time `updateId` is offered (anywhere), false for every copy after. */
  first(updateId: number): Promise<boolean>;
}

/** Telegram keeps an undelivered update for 24 hours; a copy can come no later. */
export const SEEN_UPDATE_TTL_MS = 24 * 3600_000;

/** The last `max` update ids seen by this process. */
export class MemorySeenUpdates implements SeenUpdates {
  private readonly seen = new Set<number>();

  constructor(private readonly max = 10_000) {}

  async first(updateId: number): Promise<boolean> {
    if (this.seen.has(updateId)) return false;
    this.seen.add(updateId);
    if (this.seen.size > this.max) this.seen.delete(this.seen.values().next().value as number);
    return true;
  }
}

/** `SET <prefix>u:<id> NX PX 24h`: the first instance to set it answers. */
export class RedisSeenUpdates implements SeenUpdates {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs = SEEN_UPDATE_TTL_MS,
  ) {}

  async first(updateId: number): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}u:${updateId}`, '1', 'PX', this.ttlMs, 'NX')) === 'OK';
  }
}

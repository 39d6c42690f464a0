/**
 * The bot's state outside the engine — chat history, rate-limit windows,
 * long button data, seen updates, and the instances' locks — in memory
 * (the default: one process, no server) or in Redis when REDIS_URL is set
 * (several instances share it).
 */
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { MemoryShortKeys, RedisShortKeys, type ShortKeys } from './callback-data.ts';
import { MemoryChatHistory, RedisChatHistory, type ChatHistory } from './history.ts';
import { LocalInstances, RedisInstances, type Instances } from './instances.ts';
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from './rate-limit.ts';
import { connectRedis, keyPrefix, redisDisplay, type Redis } from './redis.ts';
import { MemorySeenUpdates, RedisSeenUpdates, type SeenUpdates } from './seen-updates.ts';

export interface BotState {
  readonly history: ChatHistory;
  readonly limiter: RateLimiter;
  readonly keys: ShortKeys;
  readonly seen: SeenUpdates;
  readonly instances: Instances;
  /** Where the state lives, for the log: 'memory' or the Redis URL without its password. */
  readonly where: string;
  /** Releases locks and closes connections; safe to call twice. */
  close(): Promise<void>;
}

/** State in this process's memory. */
export function memoryState(config: Config): BotState {
  return {
    history: new MemoryChatHistory(config.HISTORY_TTL_MINUTES * 60_000),
    limiter: new MemoryRateLimiter(config.RATE_LIMIT_PER_MINUTE),
    keys: new MemoryShortKeys(),
    seen: new MemorySeenUpdates(),
    instances: new LocalInstances(),
    where: 'memory',
    close: async () => undefined,
  };
}

export interface RedisStateOptions {
  /** Key prefix; default `dafu:<bot id>:` from the token. */
  prefix?: string;
  /** This instance's id in locks and announcements (tests run two instances in one process). */
  instanceId?: string;
  /** Lock expiry (ms). */
  lockTtlMs?: number;
}

/** State in Redis at `url`; throws DafuUnreachableError (no password in it) when Redis cannot be used. */
export async function redisState(config: Config, url: string, logger: Logger, options: RedisStateOptions = {}): Promise<BotState> {
  const prefix = options.prefix ?? keyPrefix(config.TELEGRAM_BOT_TOKEN ?? 'nobot');
  const redis: Redis = await connectRedis(url, { name: 'dafu-bot' });
  const instances = new RedisInstances(redis, prefix, {
    logger,
    subscriber: () => connectRedis(url, { name: 'dafu-bot-sub' }),
    ...(options.instanceId ? { instanceId: options.instanceId } : {}),
    ...(options.lockTtlMs ? { lockTtlMs: options.lockTtlMs } : {}),
  });
  let closing: Promise<void> | undefined;
  return {
    history: new RedisChatHistory(redis, prefix, config.HISTORY_TTL_MINUTES * 60_000),
    limiter: new RedisRateLimiter(redis, prefix, config.RATE_LIMIT_PER_MINUTE),
    keys: new RedisShortKeys(redis, prefix),
    seen: new RedisSeenUpdates(redis, prefix),
    instances,
    where: redisDisplay(url),
    close: () =>
      (closing ??= (async () => {
        await instances.close();
        await redis.quit().catch(() => redis.disconnect());
      })()),
  };
}

/** The state REDIS_URL asks for: Redis when set, else memory. */
export function openBotState(config: Config, logger: Logger, options: RedisStateOptions = {}): Promise<BotState> {
  return config.REDIS_URL ? redisState(config, config.REDIS_URL, logger, options) : Promise.resolve(memoryState(config));
}

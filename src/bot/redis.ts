/**
 * The Redis connection for bot state shared by several instances
 * (REDIS_URL). ioredis: it reconnects by itself, pipelines, runs MULTI and
 * Lua scripts, and does pub/sub on a second connection — all we need, and
 * widely used. (@grammyjs/storage-redis is not used: it stores a session as
 * one value, read, changed and written back, so two instances answering one
 * chat at once lose a turn; our state is lists, sorted sets and keys changed
 * atomically on the server.)
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { DafuUnreachableError } from '../errors.ts';

export type { Redis } from 'ioredis';

/** REDIS_URL without its user name and password, for messages and logs. */
export function redisDisplay(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return '(REDIS_URL)';
  }
}

/** The password in REDIS_URL (or undefined), for the log's redaction list: the rest of the URL is not secret. */
export function redisPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.password ? decodeURIComponent(u.password) : undefined;
  } catch {
    // Unparseable: hide all of it.
    return url;
  }
}

/** Scrubs a password that an error message might repeat from the URL. */
function scrub(text: string, url: string): string {
  try {
    const u = new URL(url);
    let out = text;
    for (const s of [u.password, decodeURIComponent(u.password)]) if (s) out = out.split(s).join('[redacted]');
    return out;
  } catch {
    return text;
  }
}

export interface RedisConnectOptions {
  /** Name shown in CLIENT LIST, to tell instances apart. */
  name?: string;
  /** How long the first connection may take; default 5 s. */
  connectTimeoutMs?: number;
}

/**
 * Connects to REDIS_URL and checks it answers (PING) and is Redis ≥ 6;
 * throws DafuUnreachableError saying where and what to do, without the
 * password. Later outages are retried by ioredis; a command that cannot be
 * sent after a few attempts fails (the user gets the apology) instead of
 * waiting forever.
 */
export async function connectRedis(url: string, options: RedisConnectOptions = {}): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    maxRetriesPerRequest: 3,
    // Reconnect with a capped backoff (ms), forever: an instance outlives a Redis restart.
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...(options.name ? { connectionName: options.name } : {}),
  });
  // Without a listener ioredis prints every reconnect error to the console; the state's callers log what matters.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    const info = await client.info('server');
    const major = Number(/redis_version:(\d+)/.exec(info)?.[1] ?? 0);
    if (major > 0 && major < 6) throw new Error(`Redis ${/redis_version:([\d.]+)/.exec(info)?.[1]} is too old: dafu needs Redis 6 or newer`);
  } catch (err) {
    client.disconnect();
    const why = err instanceof Error ? scrub(err.message, url) : String(err);
    throw new DafuUnreachableError(`cannot use Redis at ${redisDisplay(url)} (REDIS_URL): ${why}. Check that redis-server (6 or newer) is running and reachable, and the URL's host, port, password and database number; unset REDIS_URL to keep bot state in memory (one instance only).`);
  }
  return client;
}

/** This process, as shown in locks: host, pid and a random part (a restarted pid is another instance). */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/**
 * Key prefix of one bot's state: its numeric id (the part of the token
 * before the colon, which Telegram shows publicly), so two bots can share a
 * Redis and the secret part of the token never reaches Redis.
 */
export function keyPrefix(token: string): string {
  return `dafu:${token.split(':')[0]}:`;
}

/**
 * Transformers on grammY's outgoing API calls: retry on Telegram's flood
 * control and transient failures, and outgoing pacing to stay inside
 * Telegram's limits instead of provoking 429s.
 */
import type { Transformer } from 'grammy';
import type { Logger } from '../log.ts';

/** The part of an abort signal we need (grammY's type comes from the abort-controller shim). */
interface Abortable {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

const sleep = (ms: number, signal?: Abortable) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface RetryOptions {
  logger: Logger;
  /** Total attempts per call, default 4. */
  maxAttempts?: number;
  /** First backoff for 5xx and network failures, doubled each time; default 500 ms. */
  baseDelayMs?: number;
  /** A 429 asking to wait longer than this (seconds) is not retried but returned; default 120. */
  maxRetryAfterSeconds?: number;
}

/**
 * Retries a call when Telegram answers 429 (after `retry_after` seconds, as
 * Telegram asks) or 5xx, or the request fails on the network (with
 * exponential backoff). `getUpdates` is left to the runner, which has its own
 * retry loop and must stop promptly on shutdown. A network failure on
 * `sendMessage` may in rare cases duplicate a message that did arrive; a
 * duplicate is better than a lost answer.
 */
export function retryTransformer(options: RetryOptions): Transformer {
  const { logger, maxAttempts = 4, baseDelayMs = 500, maxRetryAfterSeconds = 120 } = options;
  return async (prev, method, payload, signal) => {
    if (method === 'getUpdates') {
      // The runner retries polling itself and is told to be silent; the failure is logged here, redacted.
      try {
        const res = await prev(method, payload, signal);
        if (!res.ok) logger.warn('getUpdates failed', { code: res.error_code, description: res.description });
        return res;
      } catch (err) {
        if (!signal?.aborted) logger.warn('getUpdates failed', { error: err });
        throw err;
      }
    }
    for (let attempt = 1; ; attempt++) {
      let delayMs: number;
      try {
        const res = await prev(method, payload, signal);
        if (res.ok || attempt >= maxAttempts) return res;
        if (res.error_code === 429) {
          const after = res.parameters?.retry_after ?? 1;
          if (after > maxRetryAfterSeconds) return res;
          delayMs = after * 1000;
          logger.warn('telegram flood control, waiting', { method, retryAfterSeconds: after, attempt });
        } else if (res.error_code >= 500) {
          delayMs = baseDelayMs * 2 ** (attempt - 1);
          logger.warn('telegram server error, retrying', { method, code: res.error_code, attempt, delayMs });
        } else {
          return res;
        }
      } catch (err) {
        if (signal?.aborted || attempt >= maxAttempts) throw err;
        delayMs = baseDelayMs * 2 ** (attempt - 1);
        logger.warn('telegram request failed, retrying', { method, attempt, delayMs, error: err });
      }
      await sleep(delayMs, signal);
    }
  };
}

/** A token bucket that may go into debt: each take reserves a slot and says how long to wait for it. */
class Bucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }
  take(now: number): number {
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : -this.tokens / this.perMs;
  }
  idle(now: number): boolean {
    return this.tokens + (now - this.last) * this.perMs >= this.capacity;
  }
}

export interface PacingOptions {
  /** Messages per second per chat (Telegram: about 1); default 1. */
  perChatPerSecond?: number;
  /** Burst allowed per chat before pacing starts; default 3 (an answer and its continuation parts). */
  perChatBurst?: number;
  /** Messages per minute per group (Telegram: 20, edits count); default 20. */
  perGroupPerMinute?: number;
}

/**
 * Delays outgoing messages and edits so each chat gets about one per second
 * (after a short burst) and each group at most 20 a minute. Chat actions
 * (typing) and callback answers are not messages and pass straight through.
 */
export function pacingTransformer(options: PacingOptions = {}): Transformer {
  const perChat = (options.perChatPerSecond ?? 1) / 1000;
  const burst = options.perChatBurst ?? 3;
  const perGroup = (options.perGroupPerMinute ?? 20) / 60_000;
  const chats = new Map<string, Bucket>();
  const groups = new Map<string, Bucket>();
  let calls = 0;
  return async (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    const paced = /^(send|edit|copy|forward)/.test(method) && method !== 'sendChatAction';
    if (!paced || (typeof chatId !== 'number' && typeof chatId !== 'string')) return prev(method, payload, signal);
    const key = String(chatId);
    const now = Date.now();
    let chat = chats.get(key);
    if (!chat) chats.set(key, (chat = new Bucket(burst, perChat, now)));
    let wait = chat.take(now);
    // Negative ids are groups, supergroups and channels.
    if (key.startsWith('-') || key.startsWith('@')) {
      let group = groups.get(key);
      if (!group) groups.set(key, (group = new Bucket(options.perGroupPerMinute ?? 20, perGroup, now)));
      wait = Math.max(wait, group.take(now));
    }
    if (++calls % 1000 === 0) {
      for (const [k, b] of chats) if (b.idle(now)) chats.delete(k);
      for (const [k, b] of groups) if (b.idle(now)) groups.delete(k);
    }
    if (wait > 0) await sleep(wait, signal);
    return prev(method, payload, signal);
  };
}

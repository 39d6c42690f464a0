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
  /**
   * How long a message is kept trying before it is given up, in ms; default
   * 15 minutes. An answer that arrives late is still the answer; one that is
   * dropped after four quick attempts (as before) was lost to a 12 s outage.
   */
  deliverWithinMs?: number;
  /** First backoff for 5xx and network failures, doubled each time up to `maxDelayMs`; default 500 ms. */
  baseDelayMs?: number;
  /** Longest backoff between two attempts; default 15 s, so a recovered API is noticed soon. */
  maxDelayMs?: number;
  /**
   * Milliseconds per second of Telegram's `retry_after`; default 1000. Tests
   * shrink it to check that a 121 s wait is waited out without taking 121 s.
   */
  secondMs?: number;
  /** Longest wait between two failed `getUpdates`; default 3 s, so the bot hears again within seconds of an outage ending. */
  pollMaxDelayMs?: number;
}

/** Calls made once at start; their failure is reported by the caller. */
const START_UP_METHODS = new Set(['getMe', 'deleteWebhook', 'setWebhook', 'setMyCommands', 'getWebhookInfo']);

/** getUpdates errors that retrying cannot fix: a bad token (401, or 404 for a malformed one) or another poller / a webhook (409). */
const UNRECOVERABLE_POLL = new Set([401, 404, 409]);

/** A short, stack-free description of a failure, for one log line. */
function brief(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const inner = (err as Error & { error?: unknown }).error;
  const cause = inner instanceof Error ? inner.message : err.cause instanceof Error ? err.cause.message : '';
  return cause && !err.message.includes(cause) ? `${err.message} (${cause})` : err.message;
}

/**
 * How long each method is worth retrying: a typing action is stale at once,
 * a callback answer after about 15 s (Telegram stops waiting for it); a
 * message or an edit is worth the whole budget.
 */
function budgetOf(method: string, deliverWithinMs: number): number {
  // Start-up calls fail fast: `npm start` then says in one line what is wrong, instead of retrying for minutes.
  if (method === 'sendChatAction' || START_UP_METHODS.has(method)) return 0;
  if (method === 'answerCallbackQuery') return Math.min(10_000, deliverWithinMs);
  return deliverWithinMs;
}

/**
 * Retries a call until it is delivered or clearly undeliverable: on 429 it
 * waits the `retry_after` Telegram asks for, however long; on 5xx and
 * network failures it backs off exponentially (capped); both only while the
 * call's time budget lasts. Any other error (400, 403: blocked, chat gone)
 * will not change by retrying and is returned at once. What is given up is
 * logged with the method, the chat, the attempts and why. `getUpdates` is
 * left to the runner, which has its own retry loop and must stop promptly on
 * shutdown. A network failure on `sendMessage` may in rare cases duplicate a
 * message that did arrive; a duplicate is better than a lost answer.
 */
export function retryTransformer(options: RetryOptions): Transformer {
  const { logger, deliverWithinMs = 15 * 60_000, baseDelayMs = 500, maxDelayMs = 15_000, secondMs = 1000, pollMaxDelayMs = 3000 } = options;
  // Polling outages are logged once when they start and once when they end, not at every retry.
  let pollDownSince: number | undefined;
  const pollFailed = (reason: string) => {
    if (pollDownSince === undefined) {
      pollDownSince = Date.now();
      logger.warn(`cannot get updates from Telegram (${reason}); retrying every few seconds until it answers again`);
    } else {
      logger.debug('getUpdates still failing', { reason });
    }
  };
  return async (prev, method, payload, signal) => {
    if (method === 'getUpdates') {
      // Retried here rather than by the runner: its interval doubles without a cap (a 60 s outage left the
      // bot deaf 40 s more) and it gives up after its maxRetryTime. Here the wait is capped at
      // pollMaxDelayMs and only a stop (abort) or an error retrying cannot fix ends the loop.
      let backoff = Math.min(250, pollMaxDelayMs);
      for (;;) {
        let delayMs = backoff;
        try {
          const res = await prev(method, payload, signal);
          if (res.ok) {
            if (pollDownSince !== undefined) {
              logger.info('getting updates from Telegram again', { afterSeconds: Math.round((Date.now() - pollDownSince) / 100) / 10 });
              pollDownSince = undefined;
            }
            return res;
          }
          if (UNRECOVERABLE_POLL.has(res.error_code)) return res;
          if (res.error_code === 429) delayMs = Math.max(delayMs, (res.parameters?.retry_after ?? 1) * secondMs);
          pollFailed(`${res.error_code}: ${res.description}`);
        } catch (err) {
          if (signal?.aborted) throw err;
          pollFailed(brief(err));
        }
        await sleep(delayMs, signal);
        backoff = Math.min(pollMaxDelayMs, backoff * 2);
      }
    }
    const started = Date.now();
    const budget = budgetOf(method, deliverWithinMs);
    const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    let backoff = baseDelayMs;
    for (let attempt = 1; ; attempt++) {
      let delayMs: number;
      let backingOff = true;
      let why: string;
      let failure: { res: Awaited<ReturnType<typeof prev>> } | { err: unknown };
      try {
        const res = await prev(method, payload, signal);
        if (res.ok) {
          if (attempt > 1) logger.info('delivered after retrying', { method, chatId, attempts: attempt, seconds: Math.round((Date.now() - started) / 100) / 10 });
          return res;
        }
        failure = { res };
        if (res.error_code === 429) {
          const after = res.parameters?.retry_after ?? 1;
          delayMs = after * secondMs;
          backingOff = false;
          why = `flood control (429, retry_after ${after} s)`;
        } else if (res.error_code >= 500) {
          delayMs = backoff;
          why = `server error ${res.error_code}`;
        } else {
          // 400/403/404: the same request will be refused again.
          logger.warn('telegram refused the call; not retried', { method, chatId, code: res.error_code, description: res.description });
          return res;
        }
      } catch (err) {
        if (signal?.aborted) throw err;
        failure = { err };
        delayMs = backoff;
        why = 'network error';
      }
      const elapsed = Date.now() - started;
      if (elapsed + delayMs > budget) {
        if (budget > 0) {
          logger.error('message dropped: could not deliver it in time', {
            method, chatId, attempts: attempt, seconds: Math.round(elapsed / 100) / 10, reason: why,
            ...(delayMs > budget ? { note: `Telegram asked to wait longer than the ${Math.round(budget / 1000)} s a message is kept` } : {}),
            ...('err' in failure ? { error: brief(failure.err) } : { code: failure.res.error_code, description: failure.res.description }),
          });
        }
        if ('err' in failure) throw failure.err;
        return failure.res;
      }
      // One short line per retry, no stack: an outage would otherwise fill the log with kilobytes per attempt.
      logger.warn(why.startsWith('flood') ? 'telegram flood control, waiting' : 'telegram call failed, retrying', { method, chatId, attempt, delayMs, reason: why, ...('err' in failure ? { error: brief(failure.err) } : {}) });
      await sleep(delayMs, signal);
      if (backingOff) backoff = Math.min(maxDelayMs, backoff * 2);
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

/**
 * Starts a built bot: registers the command menu, then serves by long
 * polling (grammY runner: updates are handled concurrently, so one slow
 * answer does not hold up other chats) or, when WEBHOOK_URL is set, by a
 * webhook on WEBHOOK_PORT. `stop()` stops taking updates and waits for the
 * answers in flight.
 *
 * Several instances (REDIS_URL) serve one bot by webhook behind one URL:
 * Telegram lets only one process long-poll a token, so a second polling
 * instance is refused (the polling lock). Each instance reopens its engine
 * when another announces a new store.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { webhookCallback } from 'grammy';
import type { Update } from 'grammy/types';
import { DafuInputError } from '../errors.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { DafuBot } from './createBot.ts';
import type { Lock } from './instances.ts';
import { accessWarning } from './features/access.ts';
import { COMMANDS } from './messages.ts';
import { isTestModel, TEST_MODEL_NOTICE_EN } from '../embeddings/is-test-model.ts';

export interface RunOptions {
  /** Long-polling timeout in seconds (how long one getUpdates may wait); default 30. Tests use 1. */
  pollTimeoutSeconds?: number;
  /** Updates handled at once; default 64 (answers are CPU-bound; more only queues inside the engine). */
  concurrency?: number;
}

export interface RunningBot {
  mode: 'polling' | 'webhook';
  /** Resolves when the bot stopped; rejects if it crashed (e.g. the token was revoked: 401). */
  done: Promise<void>;
  /** Stops taking updates, then waits for every update in flight. Safe to call twice. */
  stop(): Promise<void>;
}

const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/** What a second long-polling instance is told. */
export function pollingRefusal(heldBy: string): string {
  return `another dafu instance is already long-polling this bot (${heldBy}), and Telegram lets only one process call getUpdates per token. To run several instances, run every one in webhook mode behind one URL: set WEBHOOK_URL, WEBHOOK_PORT and WEBHOOK_SECRET (see the README, "Several instances"); or stop the other instance first.`;
}

/**
 * Reopens the engine whenever another instance announces a new store (one
 * reopen at a time; an announcement during one reopens again after it).
 * Answers running keep the engine they started with.
 */
async function followPublishedStores(bot: DafuBot, logger: Logger): Promise<() => Promise<void>> {
  const s = bot.services;
  const reopen = s.reopen;
  if (!s.instances.shared || !reopen) return async () => undefined;
  let chain = Promise.resolve();
  return s.instances.onStorePublished(() => {
    chain = chain.then(async () => {
      const started = Date.now();
      try {
        s.engine = await reopen();
        const st = s.engine.stats();
        logger.info('reopened the store another instance published', { replies: st.replies, chunks: st.chunks, ms: Date.now() - started });
      } catch (err) {
        logger.error('could not open the store another instance published; still serving the previous one', { error: err });
      }
    });
  });
}

/** Starts serving `bot`; resolves once it is taking updates. */
export async function startBot(bot: DafuBot, config: Config, logger: Logger, options: RunOptions = {}): Promise<RunningBot> {
  await bot.init();
  // Before touching Telegram's delivery settings: a second poller must not take over (setWebhook or deleteWebhook would disturb the first).
  const instances = bot.services.instances;
  let pollingLock: Lock | undefined;
  if (config.WEBHOOK_URL) {
    const probe = await instances.claimPolling();
    if ('heldBy' in probe) throw new DafuInputError(`dafu start: an instance is long-polling this bot (${probe.heldBy}); setting the webhook would cut it off. Stop it first, then start every instance in webhook mode.`);
    await probe.release();
  } else {
    const claim = await instances.claimPolling();
    if ('heldBy' in claim) throw new DafuInputError(`dafu start: ${pollingRefusal(claim.heldBy)}`);
    pollingLock = claim;
  }
  const unfollow = await followPublishedStores(bot, logger);
  try {
    const running = await serve(bot, config, logger, options, pollingLock);
    return { ...running, stop: once(async () => {
      await running.stop();
      await unfollow();
      await pollingLock?.release();
    }) };
  } catch (err) {
    await unfollow();
    await pollingLock?.release();
    throw err;
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}

async function serve(bot: DafuBot, config: Config, logger: Logger, options: RunOptions, pollingLock: Lock | undefined): Promise<RunningBot> {
  logger.info('bot ready', { username: bot.botInfo.username });
  if (isTestModel(config.EMBEDDING_MODEL)) logger.warn(TEST_MODEL_NOTICE_EN, { model: config.EMBEDDING_MODEL });
  const warning = accessWarning(config);
  if (warning) logger.warn(warning);
  try {
    await bot.api.setMyCommands([...COMMANDS]);
  } catch (err) {
    // The menu is a convenience; failing to set it must not keep the bot from serving.
    logger.warn('setMyCommands failed', { error: err });
  }
  return config.WEBHOOK_URL ? startWebhook(bot, config, logger) : startPolling(bot, logger, options, pollingLock);
}

/**
 * A `stop()` for either mode, safe to call twice (the second call gets the
 * first's promise): closes the intake, waits for the answers in flight,
 * then runs `stopped` (e.g. resolving `done`).
 */
function gracefulStop(bot: DafuBot, logger: Logger, intake: string, closeIntake: () => Promise<void>, stopped?: () => void): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= (async () => {
      logger.info(`stopping: ${intake}, finishing answers in flight`, { inFlight: bot.busy });
      await closeIntake();
      await bot.whenIdle();
      stopped?.();
      logger.info('stopped');
    })());
}

async function startPolling(bot: DafuBot, logger: Logger, options: RunOptions, lock: Lock | undefined): Promise<RunningBot> {
  // A webhook left over from another deployment makes getUpdates fail with 409.
  await bot.api.deleteWebhook();
  const handle: RunnerHandle = run(bot, {
    runner: {
      fetch: { timeout: options.pollTimeoutSeconds ?? 30, allowed_updates: ALLOWED_UPDATES },
      // The runner prints errors with console.error; ours go through the redacting logger instead.
      silent: true,
      // getUpdates is retried (capped, forever) by our retry transformer; the runner only sees what
      // retrying cannot fix (a bad token, a conflict), so its own give-up clock must never run out.
      retryInterval: 1000,
      maxRetryTime: Number.MAX_SAFE_INTEGER,
    },
    sink: { concurrency: options.concurrency ?? 64 },
  });
  logger.info('polling for updates');
  // Losing the polling lock (Redis gone past its expiry, or another instance took over) means another poller may run: stop.
  const lockLost = lock?.lost.then(() => {
    throw new DafuInputError('dafu start: lost the polling lock in Redis (unreachable, or another instance took over); stopped polling so that two instances do not fight over getUpdates. Restart when Redis is back; for several instances use webhook mode.');
  });
  void lockLost?.catch(async () => {
    if (handle.isRunning()) await handle.stop();
  });
  const polled = (handle.task() ?? Promise.resolve());
  const done = (lockLost ? Promise.race([polled, lockLost]) : polled).catch((err: unknown) => {
    logger.error('polling stopped with an error', { error: err });
    throw err;
  });
  return {
    mode: 'polling',
    done,
    stop: gracefulStop(bot, logger, 'no new updates', async () => {
      if (handle.isRunning()) await handle.stop();
    }),
  };
}

/** How to make a webhook secret, for the error that asks for one. */
const SECRET_HOWTO = 'Generate one and put it in .env, e.g.\n  WEBHOOK_SECRET=$(openssl rand -hex 32)\nor: node -e "console.log(require(\'node:crypto\').randomBytes(32).toString(\'hex\'))"';

/**
 * What keeps the webhook settings from being served safely, or null. A
 * webhook without a secret accepts forged updates from anyone who finds the
 * URL, with any user id and any chat id, and the answer (corpus text) goes to
 * the chat the forger picked; so there is no webhook mode without one.
 * Telegram only calls https URLs; a local Bot API server
 * (TELEGRAM_API_ROOT) may call plain http.
 */
export function webhookProblem(config: Config): string | null {
  if (!config.WEBHOOK_URL) return null;
  let url: URL;
  try {
    url = new URL(config.WEBHOOK_URL);
  } catch {
    return `WEBHOOK_URL=${JSON.stringify(config.WEBHOOK_URL)} is not a URL. Set the public https address Telegram should call, e.g. WEBHOOK_URL=https://bot.example.org/telegram/hook`;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && config.TELEGRAM_API_ROOT)) {
    return `WEBHOOK_URL must be an https URL (Telegram calls nothing else), got ${url.protocol}//…. Put an HTTPS reverse proxy in front of WEBHOOK_PORT and set WEBHOOK_URL=https://your.host/path (see the README, "Running in production")`;
  }
  if (!config.WEBHOOK_SECRET) return `webhook mode needs WEBHOOK_SECRET: without it anyone who learns the URL can send forged updates and receive answers. ${SECRET_HOWTO}`;
  if (!/^[A-Za-z0-9_-]{16,256}$/.test(config.WEBHOOK_SECRET)) {
    return `WEBHOOK_SECRET must be 16 to 256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule; shorter is guessable). ${SECRET_HOWTO}`;
  }
  return null;
}

/** Largest request body the webhook reads: a Telegram update is a few KB, never near this. */
export const WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;

/** Why a webhook request was refused before it reached the bot. */
class RequestRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads a request body up to `limit` bytes; refuses with 413 as soon as it is known to be larger (declared or streamed). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new RequestRefused(413, 'body too large'));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering at once; the rest of the upload is dropped with the connection.
        req.removeAllListeners('data');
        req.pause();
        reject(new RequestRefused(413, 'body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** The update in a request body, or a 400: empty, not JSON, `null`, or not an object with a numeric update_id. */
function parseUpdate(body: Buffer): Update {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new RequestRefused(400, body.length === 0 ? 'empty body' : 'body is not JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || typeof (value as { update_id?: unknown }).update_id !== 'number') {
    throw new RequestRefused(400, 'body is not a Telegram update');
  }
  return value as Update;
}

/** True when `given` equals `secret`, compared in constant time (hashes have equal length, so timingSafeEqual applies). */
function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  const value = Array.isArray(given) ? given[0] : given;
  if (value === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(value), digest(secret));
}

async function startWebhook(bot: DafuBot, config: Config, logger: Logger): Promise<RunningBot> {
  const problem = webhookProblem(config);
  if (problem) throw new DafuInputError(`dafu start: ${problem}`);
  const url = new URL(config.WEBHOOK_URL!);
  const secret = config.WEBHOOK_SECRET!;
  // Our own adapter: the body is read (with a size cap) and checked before grammY sees it.
  const adapter = (res: ServerResponse, update: Update) => ({
    update: Promise.resolve(update),
    header: secret,
    end: () => void res.end(),
    respond: (json: string) => void res.writeHead(200, { 'content-type': 'application/json' }).end(json),
    unauthorized: () => void res.writeHead(401).end(),
  });
  // Answer Telegram at once if an answer takes long, so it does not resend the update; the answer still goes out.
  const handle = webhookCallback(bot, adapter, { onTimeout: 'return', timeoutMilliseconds: 9000, secretToken: secret });
  const server: Server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] !== url.pathname) return void res.writeHead(404).end();
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    // The secret first: a stranger's body is never read.
    if (!secretMatches(req.headers['x-telegram-bot-api-secret-token'], secret)) return void res.writeHead(401).end();
    readBody(req, WEBHOOK_MAX_BODY_BYTES)
      .then((body) => handle(res, parseUpdate(body)))
      .catch((err: unknown) => {
        if (err instanceof RequestRefused) {
          logger.warn('webhook request refused', { status: err.status, reason: err.message });
          if (!res.headersSent) res.writeHead(err.status, { connection: 'close' }).end();
          // An oversized upload still streaming is cut off rather than read to the end.
          if (err.status === 413) req.destroy();
          return;
        }
        logger.error('webhook request failed', { error: err });
        if (!res.headersSent) res.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.WEBHOOK_PORT, () => resolve());
  });
  await bot.api.setWebhook(url.href, { allowed_updates: ALLOWED_UPDATES, secret_token: secret });
  logger.info('webhook listening', { port: config.WEBHOOK_PORT, path: url.pathname });
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  return {
    mode: 'webhook',
    done,
    stop: gracefulStop(bot, logger, 'closing webhook server', () => new Promise<void>((r) => server.close(() => r())), resolveDone),
  };
}

/**
 * How long after the first signal another one counts as the same request.
 * Ctrl-C in a terminal and systemd's stop signal reach the whole process
 * group, and npm passes the signal on to its child as well: the bot gets
 * the one request two or three times within milliseconds. Only a signal
 * sent deliberately later means "stop now, without waiting".
 */
export const SIGNAL_REPEAT_MS = 1500;

/** Calls `running.stop()` on the first SIGINT or SIGTERM; another signal well after it exits at once. */
export function stopOnSignals(running: RunningBot, logger: Logger): void {
  let firstAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstAt !== undefined) {
      if (Date.now() - firstAt < SIGNAL_REPEAT_MS) {
        logger.debug('the same stop request again (passed on by npm or the process group), still finishing answers', { signal });
        return;
      }
      logger.warn('second signal, exiting without waiting', { signal });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    firstAt = Date.now();
    logger.info('signal received: finishing the answers in flight; send it again to exit without waiting', { signal });
    void running.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

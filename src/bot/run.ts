/**
 * Starts a built bot: registers the command menu, then serves by long
 * polling (grammY runner: updates are handled concurrently, so one slow
 * answer does not hold up other chats) or, when WEBHOOK_URL is set, by a
 * webhook on WEBHOOK_PORT. `stop()` stops taking updates and waits for the
 * answers in flight.
 */
import { createServer, type Server } from 'node:http';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { webhookCallback } from 'grammy';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { DafuBot } from './createBot.ts';
import { accessWarning } from './features/access.ts';
import { COMMANDS } from './messages.ts';

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

/** Starts serving `bot`; resolves once it is taking updates. */
export async function startBot(bot: DafuBot, config: Config, logger: Logger, options: RunOptions = {}): Promise<RunningBot> {
  await bot.init();
  logger.info('bot ready', { username: bot.botInfo.username });
  const warning = accessWarning(config);
  if (warning) logger.warn(warning);
  try {
    await bot.api.setMyCommands([...COMMANDS]);
  } catch (err) {
    // The menu is a convenience; failing to set it must not keep the bot from serving.
    logger.warn('setMyCommands failed', { error: err });
  }
  return config.WEBHOOK_URL ? startWebhook(bot, config, logger) : startPolling(bot, logger, options);
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

async function startPolling(bot: DafuBot, logger: Logger, options: RunOptions): Promise<RunningBot> {
  // A webhook left over from another deployment makes getUpdates fail with 409.
  await bot.api.deleteWebhook();
  const handle: RunnerHandle = run(bot, {
    runner: {
      fetch: { timeout: options.pollTimeoutSeconds ?? 30, allowed_updates: ALLOWED_UPDATES },
      // The runner prints errors with console.error; ours go through the redacting logger instead.
      silent: true,
      retryInterval: 'exponential',
      maxRetryTime: 60 * 60 * 1000,
    },
    sink: { concurrency: options.concurrency ?? 64 },
  });
  logger.info('polling for updates');
  const done = (handle.task() ?? Promise.resolve()).catch((err: unknown) => {
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

async function startWebhook(bot: DafuBot, config: Config, logger: Logger): Promise<RunningBot> {
  const url = new URL(config.WEBHOOK_URL!);
  if (!config.WEBHOOK_SECRET) logger.warn('WEBHOOK_SECRET is not set: anyone who learns the webhook URL can send fake updates');
  // Answer Telegram at once if an answer takes long, so it does not resend the update; the answer still goes out.
  const handle = webhookCallback(bot, 'http', { onTimeout: 'return', timeoutMilliseconds: 9000, ...(config.WEBHOOK_SECRET ? { secretToken: config.WEBHOOK_SECRET } : {}) });
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST' && (req.url ?? '').split('?')[0] === url.pathname) {
      handle(req, res).catch((err: unknown) => {
        logger.error('webhook request failed', { error: err });
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.WEBHOOK_PORT, () => resolve());
  });
  await bot.api.setWebhook(url.href, {
    allowed_updates: ALLOWED_UPDATES,
    ...(config.WEBHOOK_SECRET ? { secret_token: config.WEBHOOK_SECRET } : {}),
  });
  logger.info('webhook listening', { port: config.WEBHOOK_PORT, path: url.pathname });
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  return {
    mode: 'webhook',
    done,
    stop: gracefulStop(bot, logger, 'closing webhook server', () => new Promise<void>((r) => server.close(() => r())), resolveDone),
  };
}

/** Calls `running.stop()` on the first SIGINT or SIGTERM; a second signal exits at once. */
export function stopOnSignals(running: RunningBot, logger: Logger): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn('second signal, exiting without waiting', { signal });
      process.exit(130);
    }
    signalled = true;
    logger.info('signal received', { signal });
    void running.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

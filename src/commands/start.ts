/**
 * `npm start`: the Telegram bot. Ingests the corpus first if the store is
 * missing or behind it, then serves by long polling (or a webhook when
 * WEBHOOK_URL is set) until SIGINT/SIGTERM, finishing answers in flight.
 */
import { parseArgs } from 'node:util';
import { Api, GrammyError, HttpError } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { loadConfig, storeUrlPassword, type Config } from '../config.ts';
import { createBot, telegramClientOptions } from '../bot/createBot.ts';
import { prepareEngine } from '../bot/engine-setup.ts';
import { startBot, stopOnSignals, webhookProblem } from '../bot/run.ts';
import { redisPassword } from '../bot/redis.ts';
import { openBotState } from '../bot/state.ts';
import { DafuInputError } from '../errors.ts';
import { createLogger, redact } from '../log.ts';
import type { Command } from './command.ts';

const usage = `Usage: npm start [-- --corpus DIR --store DIR]

Runs dafu's Telegram bot. Settings come from .env (see .env.example):
  TELEGRAM_BOT_TOKEN     required; from @BotFather
  TELEGRAM_API_ROOT      optional Bot API server (default Telegram's)
  ALLOWED_USER_IDS, ALLOWED_CHAT_IDS, ADMIN_USER_IDS, BOT_OPEN_ACCESS
                         who may use the bot; with none set and BOT_OPEN_ACCESS
                         not true, the bot refuses everyone (safe default)
  WEBHOOK_URL, WEBHOOK_PORT, WEBHOOK_SECRET
                         webhook mode instead of long polling
  REDIS_URL              bot state in Redis, for several instances (webhook mode)
  RATE_LIMIT_PER_MINUTE, MAX_QUESTION_LENGTH, HISTORY_TTL_MINUTES, LOG_LEVEL, LOG_QUESTIONS

If the store is missing or older than the corpus, the corpus is ingested first.
Logs are JSON lines on stderr. Stop with Ctrl-C (answers in flight are finished).

Options:
  --corpus DIR   corpus folder (default: CORPUS_DIR, else corpus/)
  --store DIR    store folder (default: STORE_DIR, else store/)`;

export const NO_TOKEN_MESSAGE = `dafu start: TELEGRAM_BOT_TOKEN is not set.

  1. In Telegram, open @BotFather, send /newbot and copy the token it gives you.
  2. Put it in the .env file in the project folder (copy .env.example if there is none):
       TELEGRAM_BOT_TOKEN=123456789:AA...
  3. Let yourself in: ALLOWED_USER_IDS=<your numeric Telegram id>
     (without an allow-list the bot refuses everyone unless BOT_OPEN_ACCESS=true).

To ask questions without Telegram, run: npm run chat`;

/** A bot token as @BotFather issues it: the bot's numeric id, a colon, and 35 letters, digits, - or _. */
export const TOKEN_FORMAT = /^\d{5,12}:[A-Za-z0-9_-]{30,50}$/;

export const BAD_TOKEN_MESSAGE = `dafu start: TELEGRAM_BOT_TOKEN does not look like a bot token.

  A token is the bot's number, a colon and about 35 letters, digits, - or _:
    TELEGRAM_BOT_TOKEN=123456789:AAH4xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
  Copy it again from @BotFather (/mybots → your bot → API Token), without quotes or spaces.`;

/**
 * One line saying why talking to Telegram failed and what to do, or null when
 * it was something else: the token refused (401, or 404, which Telegram
 * answers for a token it cannot parse), or the API not reachable at all.
 */
export function telegramProblem(err: unknown, config: Config, secrets: readonly string[]): string | null {
  const where = config.TELEGRAM_API_ROOT ?? 'https://api.telegram.org';
  if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
    return `dafu start: Telegram rejected TELEGRAM_BOT_TOKEN (${err.error_code} ${err.error_code === 401 ? 'Unauthorized' : 'Not Found'}). Check the token with @BotFather (/mybots → API Token) and update .env.`;
  }
  if (err instanceof HttpError) {
    const inner = err.error instanceof Error ? err.error.message : '';
    return `dafu start: cannot reach the Telegram Bot API at ${where}${inner ? ` (${redact(inner, secrets)})` : ''}. Check the network and firewall, a proxy (HTTPS_PROXY) if this network needs one, or TELEGRAM_API_ROOT.`;
  }
  return null;
}

/** Asks Telegram who the bot is (getMe, once, 20 s at most): the bot's info, or the one-line problem to print. */
async function checkTelegram(config: Config, secrets: readonly string[]): Promise<UserFromGetMe | string> {
  const api = new Api(config.TELEGRAM_BOT_TOKEN!, telegramClientOptions(config, 20));
  try {
    return await api.getMe();
  } catch (err) {
    return telegramProblem(err, config, secrets) ?? `dafu start: asking Telegram for the bot's identity failed: ${err instanceof Error ? redact(err.message, secrets) : String(err)}`;
  }
}

export const command: Command = {
  summary: 'run the Telegram bot (ingests the corpus first if needed)',
  usage,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { corpus: { type: 'string' }, store: { type: 'string' } }, strict: true });
    const config = loadConfig({
      ...process.env,
      ...(values.corpus ? { CORPUS_DIR: values.corpus } : {}),
      ...(values.store ? { STORE_DIR: values.store } : {}),
    });
    if (!config.TELEGRAM_BOT_TOKEN) {
      console.error(NO_TOKEN_MESSAGE);
      return 2;
    }
    // Before anything else: a token pasted with quotes or cut short fails here, not after an ingest.
    if (!TOKEN_FORMAT.test(config.TELEGRAM_BOT_TOKEN)) {
      console.error(BAD_TOKEN_MESSAGE);
      return 2;
    }
    // Before the ingest, which can take minutes: a webhook setup that cannot be served safely is refused now.
    const webhook = webhookProblem(config);
    if (webhook) {
      console.error(`dafu start: ${webhook}`);
      return 2;
    }
    const secrets = [config.TELEGRAM_BOT_TOKEN, config.LLM_API_KEY, config.WEBHOOK_SECRET, storeUrlPassword(config), redisPassword(config.REDIS_URL)].filter((x): x is string => !!x);
    const logger = createLogger({ level: config.LOG_LEVEL, secrets });

    // Before the ingest (which can take minutes): a token Telegram refuses or an API that cannot be reached is reported now.
    const me = await checkTelegram(config, secrets);
    if (typeof me === 'string') {
      console.error(me);
      return 1;
    }
    // Before the ingest too: Redis that cannot be reached is reported now, and it decides who ingests.
    let state;
    try {
      state = await openBotState(config, logger);
    } catch (err) {
      console.error(`dafu start: ${err instanceof Error ? redact(err.message, secrets) : String(err)}`);
      return 1;
    }
    logger.info('bot state', { where: state.where });
    const { engine, reload, reopen, embeddings, watch } = await prepareEngine(config, logger, state.instances);
    // With REDIS_URL, another instance's /reload is announced and reopened at once (`reopen`); the watch also
    // notices a generation published by any other process (an ingest by hand), within STORE_POLL_MS.
    const bot = createBot(config, { engine, logger, reload, reopen, state, botInfo: me });
    const stopWatch = watch((next) => {
      bot.services.engine = next;
    });
    let running;
    try {
      running = await startBot(bot, config, logger);
    } catch (err) {
      const own = err instanceof DafuInputError ? redact(err.message, secrets) : null;
      console.error(own ?? telegramProblem(err, config, secrets) ?? `dafu start: ${err instanceof Error ? redact(err.message, secrets) : String(err)}`);
      await stopWatch();
      await state.close();
      await embeddings.dispose();
      return 1;
    }
    stopOnSignals(running, logger);
    let code = 0;
    try {
      await running.done;
    } catch {
      code = 1;
    }
    await running.stop();
    await stopWatch();
    await state.close();
    await embeddings.dispose();
    return code;
  },
};

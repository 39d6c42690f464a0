/**
 * `npm start`: the Telegram bot. Ingests the corpus first if the store is
 * missing or behind it, then serves by long polling (or a webhook when
 * WEBHOOK_URL is set) until SIGINT/SIGTERM, finishing answers in flight.
 */
import { parseArgs } from 'node:util';
import { GrammyError, HttpError } from 'grammy';
import { loadConfig } from '../config.ts';
import { createBot } from '../bot/createBot.ts';
import { prepareEngine } from '../bot/engine-setup.ts';
import { startBot, stopOnSignals, webhookProblem } from '../bot/run.ts';
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
    // Before the ingest, which can take minutes: a webhook setup that cannot be served safely is refused now.
    const webhook = webhookProblem(config);
    if (webhook) {
      console.error(`dafu start: ${webhook}`);
      return 2;
    }
    const secrets = [config.TELEGRAM_BOT_TOKEN, config.LLM_API_KEY, config.WEBHOOK_SECRET];
    const logger = createLogger({ level: config.LOG_LEVEL, secrets });

    const { engine, reload, embeddings } = await prepareEngine(config, logger);
    const bot = createBot(config, { engine, logger, reload });
    let running;
    try {
      running = await startBot(bot, config, logger);
    } catch (err) {
      const where = config.TELEGRAM_API_ROOT ?? 'https://api.telegram.org';
      if (err instanceof GrammyError && err.error_code === 401) {
        console.error('dafu start: Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized). Check the token with @BotFather and update .env.');
      } else if (err instanceof HttpError) {
        console.error(`dafu start: cannot reach the Telegram Bot API at ${where} (${redact(err.message, secrets.filter((s): s is string => !!s))}). Check the network or TELEGRAM_API_ROOT.`);
      } else {
        logger.error('start failed', { error: err });
      }
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
    await embeddings.dispose();
    return code;
  },
};

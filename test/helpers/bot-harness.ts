/**
 * Starts the real bot (createBot + startBot with the grammY runner) against
 * a LocalBotApi on 127.0.0.1 over real HTTP, collecting its log lines.
 */
import type { Engine } from '../../src/answer/types.ts';
import { createBot, type BotDeps, type DafuBot } from '../../src/bot/createBot.ts';
import { startBot, type RunningBot } from '../../src/bot/run.ts';
import type { ReloadResult } from '../../src/bot/services.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { LocalBotApi, type RecordedCall } from './bot-api-server.ts';

export interface Harness {
  api: LocalBotApi;
  bot: DafuBot;
  running: RunningBot;
  config: Config;
  /** Every log line the bot wrote. */
  logs: string[];
  /** Sends `text` from `userId` (in `chatId`, default the private chat) and resolves with the bot's messages until one carries a keyboard or `settle` ms pass without more. */
  say(options: { userId: number; text: string; chatId?: number; chatType?: 'private' | 'group' | 'supergroup'; replyTo?: Record<string, unknown> }): Promise<RecordedCall[]>;
  /** Calls to `chatId` of `method` made since call index `since`. */
  sent(chatId: number, since: number, method?: string): RecordedCall[];
  close(): Promise<void>;
}

export async function startHarness(engine: Engine, env: Record<string, string> = {}, extra: { reload?: () => Promise<ReloadResult>; retry?: BotDeps['retry'] } = {}): Promise<Harness> {
  const api = await LocalBotApi.start();
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    ALLOWED_USER_IDS: '1001,1002,1003,1004,1005,1006,1007,1008,1009',
    ADMIN_USER_IDS: '1001',
    RATE_LIMIT_PER_MINUTE: '100',
    LOG_LEVEL: 'debug',
    ...env,
  });
  const logs: string[] = [];
  const logger = createLogger({ level: config.LOG_LEVEL, secrets: [config.TELEGRAM_BOT_TOKEN], write: (l) => void logs.push(l) });
  const bot = createBot(config, { engine, logger, ...extra, retry: { baseDelayMs: 50, ...extra.retry } });
  const running = await startBot(bot, config, logger, { pollTimeoutSeconds: 1 });

  const sent = (chatId: number, since: number, method?: string) =>
    api.callsOf(method, since).filter((c) => Number(c.params.chat_id) === chatId && c.method !== 'sendChatAction' && c.method !== 'getUpdates');

  return {
    api,
    bot,
    running,
    config,
    logs,
    sent,
    async say(o) {
      const chatId = o.chatId ?? o.userId;
      const since = api.calls.length;
      api.sendText(o);
      // First message to this chat (or a keyboarded one); then wait until the bot is idle so multi-part answers are complete.
      await api.waitFor((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === chatId, { since });
      while (bot.busy > 0) await new Promise((r) => setTimeout(r, 20));
      return sent(chatId, since, 'sendMessage');
    },
    async close() {
      await running.stop();
      await api.close();
    },
  };
}

/** Inline keyboard buttons of a recorded sendMessage/editMessageText call. */
export function buttons(call: RecordedCall): Array<{ text: string; callback_data: string }> {
  const markup = call.params.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data: string }>> } | undefined;
  return markup?.inline_keyboard?.flat() ?? [];
}

/** The fake Telegram Bot API the bot tests run against (shared with `npm run bench -- bot`). */
export { LocalBotApi, type RecordedCall, type LocalBotApiOptions } from '../../src/bench/local-bot-api.ts';

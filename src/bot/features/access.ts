/**
 * Access guard: the first middleware, so a stranger never reaches anything
 * that reads the corpus.
 *
 * Policy: when ALLOWED_USER_IDS or ALLOWED_CHAT_IDS is set, a user is let in
 * if their id is in ALLOWED_USER_IDS or the chat's id is in ALLOWED_CHAT_IDS
 * (admins always). When neither is set, the bot is closed unless
 * BOT_OPEN_ACCESS=true: a bot token leaking or a bot found by search must not
 * expose internal documents by default.
 */
import { Composer, type Context } from 'grammy';
import type { Config } from '../../config.ts';
import { isAddressed } from '../addressing.ts';
import { MSG } from '../messages.ts';
import type { BotServices } from '../services.ts';

type AccessConfig = Pick<Config, 'ALLOWED_USER_IDS' | 'ALLOWED_CHAT_IDS' | 'ADMIN_USER_IDS' | 'BOT_OPEN_ACCESS'>;

/** Whether `userId` in `chatId` may use the bot (see the module comment for the policy). */
export function isAllowed(config: AccessConfig, userId: number | undefined, chatId: number | undefined): boolean {
  if (userId !== undefined && config.ADMIN_USER_IDS.includes(String(userId))) return true;
  const lists = config.ALLOWED_USER_IDS.length + config.ALLOWED_CHAT_IDS.length;
  if (lists === 0) return config.BOT_OPEN_ACCESS;
  return (
    (userId !== undefined && config.ALLOWED_USER_IDS.includes(String(userId))) ||
    (chatId !== undefined && config.ALLOWED_CHAT_IDS.includes(String(chatId)))
  );
}

/** The warning to log at start when the settings lock everyone out, else null. */
export function accessWarning(config: AccessConfig): string | null {
  const lists = config.ALLOWED_USER_IDS.length + config.ALLOWED_CHAT_IDS.length + config.ADMIN_USER_IDS.length;
  if (lists > 0 || config.BOT_OPEN_ACCESS) return null;
  return 'No ALLOWED_USER_IDS, ALLOWED_CHAT_IDS or ADMIN_USER_IDS set and BOT_OPEN_ACCESS is not true: the bot refuses everyone. Set ALLOWED_USER_IDS (your numeric Telegram id) or BOT_OPEN_ACCESS=true.';
}

export function accessGuard(s: BotServices): Composer<Context> {
  const c = new Composer<Context>();
  c.use(async (ctx, next) => {
    if (isAllowed(s.config, ctx.from?.id, ctx.chat?.id)) return next();
    s.logger.info('refused', { userId: ctx.from?.id, chatId: ctx.chat?.id, chatType: ctx.chat?.type });
    const refusal = MSG.refused(ctx.from?.id, ctx.chat?.id, ctx.chat !== undefined && ctx.chat.type !== 'private');
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery({ text: refusal, show_alert: true });
      return;
    }
    // Group chatter not meant for the bot gets no answer at all, not even a refusal.
    if (ctx.message && isAddressed(ctx)) {
      await ctx.reply(refusal, ctx.chat?.type === 'private' ? {} : { reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true } });
    }
  });
  return c;
}

/**
 * The bot's error boundary: a failure while handling one update is logged
 * and answered with an apology, and the bot keeps serving everyone else.
 */
import type { BotError, Context } from 'grammy';
import type { Logger } from '../log.ts';
import { MSG } from './messages.ts';

export function errorBoundary(logger: Logger): (err: BotError<Context>) => Promise<void> {
  return async (err) => {
    const ctx = err.ctx;
    logger.error('update failed', { updateId: ctx.update.update_id, chatType: ctx.chat?.type, error: err.error });
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: MSG.apology }).catch(() => undefined);
      if (ctx.chat) {
        const replyTo = ctx.message?.message_id;
        await ctx.reply(MSG.apology, replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {});
      }
    } catch (apologyError) {
      // Telegram itself may be what failed; there is nobody left to tell but the log.
      logger.warn('could not send apology', { updateId: ctx.update.update_id, error: apologyError });
    }
  };
}

/** Per-user rate limit for anything that costs engine work (questions, /doc, /commitments). */
import type { Context } from 'grammy';
import { groupReplyTarget } from '../reply.ts';
import { MSG } from '../messages.ts';
import type { BotServices } from '../services.ts';

/**
 * The argument of a command (`/doc <number>`), trimmed, or null when it is
 * longer than MAX_QUESTION_LENGTH: then the user is told the limit, and the
 * argument is neither searched nor echoed.
 */
export async function commandArgument(s: BotServices, ctx: Context & { match: string | RegExpMatchArray }, command: string): Promise<string | null> {
  const arg = (typeof ctx.match === 'string' ? ctx.match : '').trim();
  const length = [...arg].length;
  if (length <= s.config.MAX_QUESTION_LENGTH) return arg;
  const replyTo = groupReplyTarget(ctx);
  await ctx.reply(MSG.argTooLong(command, length, s.config.MAX_QUESTION_LENGTH), replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {});
  return null;
}

/** Counts one request from the sender; false (after one polite notice per window) when over RATE_LIMIT_PER_MINUTE. */
export async function checkRate(s: BotServices, ctx: Context): Promise<boolean> {
  const userId = ctx.from?.id ?? ctx.chat?.id;
  if (userId === undefined) return true;
  const decision = await s.limiter.take(userId);
  if (decision.ok) return true;
  s.logger.info('rate limited', { userId, chatType: ctx.chat?.type });
  if (decision.notify) {
    const replyTo = groupReplyTarget(ctx);
    await ctx.reply(MSG.rateLimited(decision.retryInSeconds), replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {});
  }
  return false;
}

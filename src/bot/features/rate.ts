/** Per-user rate limit for anything that costs engine work (questions, /doc, /commitments). */
import type { Context } from 'grammy';
import { groupReplyTarget } from '../reply.ts';
import { MSG } from '../messages.ts';
import type { BotServices } from '../services.ts';

/** Counts one request from the sender; false (after one polite notice per window) when over RATE_LIMIT_PER_MINUTE. */
export async function checkRate(s: BotServices, ctx: Context): Promise<boolean> {
  const userId = ctx.from?.id ?? ctx.chat?.id;
  if (userId === undefined) return true;
  const decision = s.limiter.take(userId);
  if (decision.ok) return true;
  s.logger.info('rate limited', { userId, chatType: ctx.chat?.type });
  if (decision.notify) {
    const replyTo = groupReplyTarget(ctx);
    await ctx.reply(MSG.rateLimited(decision.retryInSeconds), replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {});
  }
  return false;
}

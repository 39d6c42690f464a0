/** /doc <number>: a reply's card and section list, by 发文字号 or proposal number. */
import { Composer, type Context } from 'grammy';
import { renderReplyCard } from '../html.ts';
import { MSG } from '../messages.ts';
import { groupReplyTarget, sendHtml } from '../reply.ts';
import type { BotServices } from '../services.ts';
import { checkRate } from './rate.ts';

export function docFeature(s: BotServices): Composer<Context> {
  const c = new Composer<Context>();
  c.command('doc', async (ctx) => {
    const query = ctx.match.trim();
    const replyTo = groupReplyTarget(ctx);
    if (!query) {
      await sendHtml(ctx, MSG.docUsage.replace(/&/g, '&amp;').replace(/</g, '&lt;'), { replyTo });
      return;
    }
    if (!(await checkRate(s, ctx))) return;
    const reply = s.engine.findReply(query);
    if (!reply) {
      await ctx.reply(MSG.docNotFound(query), replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {});
      return;
    }
    await sendHtml(ctx, renderReplyCard(reply), { replyTo });
  });
  return c;
}

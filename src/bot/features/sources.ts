/** Source buttons: tapping 【n】 under an answer shows that passage in full with where it comes from. */
import { Composer, type Context } from 'grammy';
import { passageFromChunk, renderPassage } from '../html.ts';
import { MSG } from '../messages.ts';
import { sendHtml } from '../reply.ts';
import type { BotServices } from '../services.ts';

export function sourcesFeature(s: BotServices): Composer<Context> {
  const c = new Composer<Context>();
  const show = async (ctx: Context, value: string | undefined) => {
    const m = value ? /^(\d+):(.+)$/s.exec(value) : null;
    const chunk = m ? s.engine.chunk(m[2]!) : undefined;
    if (!m || !chunk) {
      await ctx.answerCallbackQuery({ text: MSG.sourceGone, show_alert: true });
      return;
    }
    // Answer the query first: Telegram shows a spinner on the button until we do.
    await ctx.answerCallbackQuery();
    await sendHtml(ctx, renderPassage(passageFromChunk(chunk), Number(m[1])), { replyTo: ctx.callbackQuery?.message?.message_id });
  };
  c.callbackQuery(/^src:(.+)$/s, (ctx) => show(ctx, ctx.match[1]));
  c.callbackQuery(/^s:(.+)$/s, async (ctx) => show(ctx, await s.keys.get(ctx.match[1]!)));
  return c;
}

/** /reset: forget this chat's conversation, so the next question stands alone. */
import { Composer, type Context } from 'grammy';
import { MSG } from '../messages.ts';
import type { BotServices } from '../services.ts';

export function resetFeature(s: BotServices): Composer<Context> {
  const c = new Composer<Context>();
  c.command('reset', async (ctx) => {
    if (ctx.chat) await s.history.reset(ctx.chat.id);
    await ctx.reply(MSG.reset);
  });
  return c;
}

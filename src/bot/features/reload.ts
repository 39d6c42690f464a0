/**
 * /reload (ADMIN_USER_IDS only): re-ingest the corpus and swap in the new
 * engine without a restart. Answers already running finish on the old engine;
 * new questions use the new one. One reload at a time across all instances
 * (the ingest lock); when it is done the others are told to reopen the store.
 */
import { Composer, type Context } from 'grammy';
import { MSG } from '../messages.ts';
import { IngestChildError } from '../ingest-child.ts';
import type { BotServices, ReloadResult } from '../services.ts';

export function reloadFeature(s: BotServices): Composer<Context> {
  const c = new Composer<Context>();
  c.command('reload', async (ctx) => {
    const userId = ctx.from?.id;
    if (userId === undefined || !s.config.ADMIN_USER_IDS.includes(String(userId))) {
      await ctx.reply(MSG.reloadNotAdmin);
      return;
    }
    if (!s.reload) {
      await ctx.reply(MSG.reloadUnsupported);
      return;
    }
    const lock = await s.instances.tryIngestLock();
    if (!lock) {
      await ctx.reply(MSG.reloadBusy);
      return;
    }
    try {
      await ctx.reply(MSG.reloadStart);
      const started = Date.now();
      let changes: ReloadResult['changes'];
      try {
        ({ engine: s.engine, changes } = await s.reload());
      } catch (err) {
        s.logger.error('reload failed', { error: err });
        // The admin sees the one-line cause (it names no corpus text); the full detail is in the log.
        await ctx.reply(MSG.reloadFailed(err instanceof IngestChildError ? err.message : undefined));
        return;
      }
      const st = s.engine.stats();
      s.logger.info('reloaded', { replies: st.replies, chunks: st.chunks, ...changes, ms: Date.now() - started });
      // An ingest that changed nothing published nothing new: the others need not reopen.
      if (!changes || changes.added + changes.changed + changes.removed > 0) {
        await s.instances.announceStore().catch((err: unknown) => s.logger.error('could not tell the other instances about the new store; they serve the old one until restarted or the next /reload', { error: err }));
      }
      await ctx.reply(MSG.reloadDone(st.replies, st.chunks, changes));
    } finally {
      await lock.release();
    }
  });
  return c;
}

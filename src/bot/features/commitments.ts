/**
 * /commitments [department or keyword]: the 下一步 promises, grouped by
 * actor department and, within it, by reply (发文字号 · 答复对象), a page at a time with ‹ › buttons that edit the message
 * in place. Button data is `cm:<page>:<filter>` when that fits in 64 bytes
 * (so it survives restarts), else `ck:<page>:<short key>`.
 */
import { Composer, InlineKeyboard, type Context } from 'grammy';
import type { CommitmentEntry, Engine } from '../../answer/index.ts';
import { packData } from '../callback-data.ts';
import { renderCommitmentsPage, type ListedCommitment } from '../html.ts';
import { MSG } from '../messages.ts';
import { groupReplyTarget, sendHtml } from '../reply.ts';
import type { BotServices } from '../services.ts';
import { checkRate, commandArgument } from './rate.ts';

/** Entries per page, and a character budget per page well under Telegram's 4096. */
export const PAGE_SIZE = 5;
const PAGE_CHARS = 3500;
const ENTRY_CHARS = 1200;

/**
 * To whom an entry's reply answered: from the cited chunk's metadata (every
 * chunk carries its reply's fields), else the reply found by its number.
 */
export function recipientOf(engine: Engine, e: CommitmentEntry): string | null {
  const fromChunk = e.chunkId ? engine.chunk(e.chunkId) : undefined;
  if (fromChunk) return fromChunk.metadata.recipient;
  const number = e.reply.docNumber;
  const r = number ? engine.findReply(number) : null;
  return r && r.id === e.reply.id ? r.recipient : null;
}

/** Page boundaries: at most PAGE_SIZE entries and about PAGE_CHARS characters a page; deterministic for a list. */
function paginate(entries: ListedCommitment[]): ListedCommitment[][] {
  const pages: ListedCommitment[][] = [];
  let page: ListedCommitment[] = [];
  let chars = 0;
  for (const e of entries) {
    const size = Math.min(e.text.length, ENTRY_CHARS) + 200;
    if (page.length && (page.length >= PAGE_SIZE || chars + size > PAGE_CHARS)) {
      pages.push(page);
      page = [];
      chars = 0;
    }
    page.push(e.text.length > ENTRY_CHARS ? { ...e, text: `${e.text.slice(0, ENTRY_CHARS)}……` } : e);
    chars += size;
  }
  if (page.length) pages.push(page);
  return pages;
}

async function view(s: BotServices, filter: string, pageIndex: number): Promise<{ html: string; keyboard?: InlineKeyboard } | null> {
  const engine = s.engine;
  // The engine lists them by department group (吉林省科学技术厅 and 省科技厅 are one; a joint actor goes under the department the filter names), then by reply.
  const entries = engine.commitments(filter || undefined).map((e) => ({ ...e, recipient: recipientOf(engine, e) }));
  if (entries.length === 0) return null;
  const pages = paginate(entries);
  const page = Math.min(Math.max(0, pageIndex), pages.length - 1);
  const html = renderCommitmentsPage(pages[page]!, page, pages.length, entries.length, filter || undefined);
  if (pages.length === 1) return { html };
  const kb = new InlineKeyboard();
  const data = (p: number) => packData(`cm:${p}:`, filter, `ck:${p}:`, s.keys);
  if (page > 0) kb.text(MSG.prevPage, await data(page - 1));
  kb.text(`${page + 1}/${pages.length}`, 'noop');
  if (page < pages.length - 1) kb.text(MSG.nextPage, await data(page + 1));
  return { html, keyboard: kb };
}

export function commitmentsFeature(s: BotServices): Composer<Context> {
  const c = new Composer<Context>();
  c.command('commitments', async (ctx) => {
    const filter = await commandArgument(s, ctx, 'commitments');
    if (filter === null) return;
    const replyTo = groupReplyTarget(ctx);
    if (!(await checkRate(s, ctx))) return;
    const v = await view(s, filter, 0);
    if (!v) {
      await ctx.reply(MSG.commitmentsNone(filter || undefined), replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {});
      return;
    }
    await sendHtml(ctx, v.html, { replyTo, keyboard: v.keyboard });
  });
  c.callbackQuery(/^(cm|ck):(\d+):(.*)$/s, async (ctx) => {
    const [, kind, page, value] = ctx.match;
    const filter = kind === 'cm' ? value : await s.keys.get(value ?? '');
    const v = filter === undefined ? null : await view(s, filter, Number(page));
    if (!v) {
      await ctx.answerCallbackQuery({ text: MSG.listExpired, show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(v.html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, reply_markup: v.keyboard });
  });
  c.callbackQuery('noop', (ctx) => ctx.answerCallbackQuery());
  return c;
}

/**
 * /doc <number>: a reply's card and section list, by 发文字号 or proposal
 * number, with a button per part of the reply (「开头」「一」「二」…「落款」)
 * that shows the part's passages in full with their source lines, and a
 * 「下一步工作」 button that lists the reply's promises by actor department.
 *
 * Button data names the reply by its id and by the number the user typed:
 * `dp:<reply id>:<part>:<number>` and `dn:<reply id>:<number>` when that fits
 * in 64 bytes (so buttons survive a restart), else `dq:`/`dm:` with a short
 * key for the number. A tap re-finds the reply by the number and checks the
 * id, so after a re-ingest that changed the reply the button says so instead
 * of showing another version's part.
 */
import { Composer, InlineKeyboard, type Context } from 'grammy';
import type { Engine } from '../../answer/index.ts';
import type { StoredReply } from '../../store/types.ts';
import { byteLength, CALLBACK_DATA_LIMIT } from '../callback-data.ts';
import { escapeHtml, renderDocPart, renderReplyCard, renderReplyCommitments } from '../html.ts';
import { excerpt, MSG } from '../messages.ts';
import { replyParts } from '../reply-parts.ts';
import { groupReplyTarget, sendHtml } from '../reply.ts';
import type { BotServices } from '../services.ts';
import { checkRate, commandArgument } from './rate.ts';

/** Candidates offered for an ambiguous /doc; more means the query should be narrower. */
const MAX_CANDIDATES = 10;

/** A candidate's button: its 发文字号 (or proposal number, or title) and to whom it replied. */
function candidateLabel(r: StoredReply): string {
  const id = r.docNumber ?? (r.proposalNumber ? `第${r.proposalNumber}号` : (r.title ?? r.file));
  const to = r.recipient?.replace(/^尊敬的/u, '').replace(/[：:\s]+$/u, '');
  return excerpt(to ? `${id} · ${to}` : id, 40);
}

/** Part buttons per keyboard row: short labels, so five fit on a phone. */
const BUTTONS_PER_ROW = 5;
/** Room kept in the data for the part index (up to 3 digits) and its colon. */
const PART_INDEX_ROOM = 4;

/** The reply's promises, grouped by actor department (however the reply spells it). */
function replyCommitments(engine: Engine, reply: StoredReply) {
  return engine.commitments(undefined, reply.id);
}

async function keyboard(s: BotServices, reply: StoredReply, query: string): Promise<InlineKeyboard | undefined> {
  const parts = replyParts(reply, (id) => s.engine.chunk(id));
  const promises = replyCommitments(s.engine, reply).length;
  if (!parts.length && !promises) return undefined;
  // The typed number goes in the data as is when it fits, else once into the short-key table for all buttons.
  const direct = byteLength(`dp:${reply.id}:`) + PART_INDEX_ROOM + byteLength(query) <= CALLBACK_DATA_LIMIT;
  const ref = direct ? query : await s.keys.put(query);
  const kb = new InlineKeyboard();
  parts.forEach((p, i) => {
    if (i > 0 && i % BUTTONS_PER_ROW === 0) kb.row();
    kb.text(p.label, `${direct ? 'dp' : 'dq'}:${reply.id}:${i}:${ref}`);
  });
  if (promises) kb.row().text(MSG.docCommitments(promises), `${direct ? 'dn' : 'dm'}:${reply.id}:${ref}`);
  return kb;
}

export function docFeature(s: BotServices): Composer<Context> {
  const c = new Composer<Context>();
  c.command('doc', async (ctx) => {
    const query = await commandArgument(s, ctx, 'doc');
    if (query === null) return;
    const replyTo = groupReplyTarget(ctx);
    if (!query) {
      await sendHtml(ctx, escapeHtml(MSG.docUsage), { replyTo });
      return;
    }
    if (!(await checkRate(s, ctx))) return;
    const found = s.engine.findReplies(query);
    if (found.length === 0) {
      await ctx.reply(MSG.docNotFound(query), replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {});
      return;
    }
    if (found.length > 1) {
      // Ambiguous (〔2025〕, a name on several replies): one button per candidate, by reply id.
      const kb = new InlineKeyboard();
      found.slice(0, MAX_CANDIDATES).forEach((r, i) => {
        if (i > 0) kb.row();
        kb.text(candidateLabel(r), `dc:${r.id}`);
      });
      await sendHtml(ctx, escapeHtml(MSG.docCandidates(query, found.length, Math.min(found.length, MAX_CANDIDATES))), { replyTo, keyboard: kb });
      return;
    }
    await sendCard(ctx, found[0]!, query, replyTo);
  });

  /** A reply's card with its part buttons; `query` is what the buttons re-find it by. */
  const sendCard = async (ctx: Context, reply: StoredReply, query: string, replyTo: number | undefined) => {
    const kb = await keyboard(s, reply, query);
    const hint = kb ? `\n\n<i>${escapeHtml(MSG.docButtonsHint)}</i>` : '';
    await sendHtml(ctx, renderReplyCard(reply) + hint, { replyTo, keyboard: kb });
  };

  c.callbackQuery(/^dc:([0-9a-f]+)$/, async (ctx) => {
    const reply = s.engine.reply(ctx.match[1]!);
    if (!reply) {
      await ctx.answerCallbackQuery({ text: MSG.docGone, show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    await sendCard(ctx, reply, reply.docNumber ?? reply.proposalNumber ?? reply.id, ctx.callbackQuery.message?.message_id);
  });

  /** The reply a button names, or null (and the user told) when it is gone or changed. */
  const replyOf = async (ctx: Context, id: string, short: boolean, ref: string): Promise<StoredReply | null> => {
    // By id first (it is the content hash: a changed reply has a new one), else by the number the user typed.
    const query = short ? await s.keys.get(ref) : ref;
    const reply = s.engine.reply(id) ?? (query ? s.engine.findReply(query) : null);
    if (reply && reply.id === id) return reply;
    await ctx.answerCallbackQuery({ text: MSG.docGone, show_alert: true });
    return null;
  };
  const replyTo = (ctx: Context) => ({ replyTo: ctx.callbackQuery?.message?.message_id });

  c.callbackQuery(/^(dp|dq):([^:]+):(\d+):(.*)$/s, async (ctx) => {
    const [, kind, id, index, ref] = ctx.match;
    const reply = await replyOf(ctx, id!, kind === 'dq', ref!);
    if (!reply) return;
    const part = replyParts(reply, (cid) => s.engine.chunk(cid))[Number(index)];
    if (!part) {
      await ctx.answerCallbackQuery({ text: MSG.docGone, show_alert: true });
      return;
    }
    // Answer the query first: Telegram shows a spinner on the button until we do.
    await ctx.answerCallbackQuery();
    await sendHtml(ctx, renderDocPart(reply, part), replyTo(ctx));
  });
  c.callbackQuery(/^(dn|dm):([^:]+):(.*)$/s, async (ctx) => {
    const [, kind, id, ref] = ctx.match;
    const reply = await replyOf(ctx, id!, kind === 'dm', ref!);
    if (!reply) return;
    const entries = replyCommitments(s.engine, reply);
    if (!entries.length) {
      await ctx.answerCallbackQuery({ text: MSG.docNoCommitments, show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    await sendHtml(ctx, renderReplyCommitments(reply, entries), replyTo(ctx));
  });
  return c;
}

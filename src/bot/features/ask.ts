/** Questions: any text in a private chat, mentions and replies in groups, and /ask anywhere. */
import { Composer, InlineKeyboard, type Context } from 'grammy';
import type { Citation } from '../../answer/index.ts';
import { addressedQuestion } from '../addressing.ts';
import { packData } from '../callback-data.ts';
import { withHistory } from '../history.ts';
import { renderAnswer } from '../html.ts';
import { MSG } from '../messages.ts';
import { groupReplyTarget, sendHtml, withTyping } from '../reply.ts';
import type { BotServices } from '../services.ts';
import { checkRate } from './rate.ts';

/** One 【n】 button per source, five to a row; data `src:<n>:<chunkId>` (or a short key when that exceeds 64 bytes). */
export async function sourceKeyboard(s: BotServices, citations: readonly Citation[]): Promise<InlineKeyboard | undefined> {
  if (citations.length === 0) return undefined;
  const data = await Promise.all(citations.map((c) => packData('src:', `${c.n}:${c.chunkId}`, 's:', s.keys)));
  const kb = new InlineKeyboard();
  citations.forEach((c, i) => {
    if (i > 0 && i % 5 === 0) kb.row();
    kb.text(`【${c.n}】`, data[i]!);
  });
  return kb;
}

/** Answers `question` in the update's chat, with the chat's history, and logs what happened (not the text, by default). */
export async function answerQuestion(s: BotServices, ctx: Context, question: string): Promise<void> {
  const chat = ctx.chat;
  if (!chat) return;
  const replyTo = groupReplyTarget(ctx);
  const replyOpts = replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {};
  const length = [...question].length;
  if (length > s.config.MAX_QUESTION_LENGTH) {
    await ctx.reply(MSG.tooLong(length, s.config.MAX_QUESTION_LENGTH), replyOpts);
    return;
  }
  if (!(await checkRate(s, ctx))) return;
  const started = Date.now();
  // Only the turn this answer adds is written back (appended): another instance answering this chat meanwhile keeps its turn too.
  const answer = await withHistory(s.history, chat.id, (conversation) => withTyping(ctx, () => s.engine.ask(question, { conversation })));
  const shown = answer.found ? answer.citations : [...answer.citations, ...answer.related];
  const sent = await sendHtml(ctx, renderAnswer(answer), { replyTo, keyboard: await sourceKeyboard(s, shown) });
  s.logger.info('answered', {
    chatType: chat.type,
    questionLength: length,
    latencyMs: Date.now() - started,
    found: answer.found,
    kind: answer.kind,
    citations: answer.citations.length,
    parts: sent.length,
    ...(s.config.LOG_QUESTIONS ? { question } : {}),
  });
}

export function askFeature(s: BotServices): Composer<Context> {
  const c = new Composer<Context>();
  c.command('ask', async (ctx) => {
    const q = ctx.match.trim();
    if (!q) {
      await ctx.reply(MSG.emptyAsk);
      return;
    }
    await answerQuestion(s, ctx, q);
  });
  c.on('message:text', async (ctx, next) => {
    const q = addressedQuestion(ctx);
    if (q === null) return next();
    if (q === '') return;
    await answerQuestion(s, ctx, q);
  });
  return c;
}

/**
 * Rendering for Telegram's HTML parse mode. Everything that comes from the
 * corpus or the user is escaped here, and only here, so a `<` in a reply or
 * a question can never break a message or inject markup.
 */
import { contactText, chineseDate, formatSourceLine, type Answer, type Citation, type ListedEntry } from '../answer/index.ts';
import type { StoredChunk, StoredReply } from '../store/types.ts';
import type { ReplyPart } from './reply-parts.ts';
import { excerpt } from './messages.ts';

/** Escapes text for Telegram HTML (`&`, `<`, `>`, and `"` for attribute values). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** What a reader of Telegram HTML sees: tags removed, the entities {@link escapeHtml} writes decoded (the terminal prints bot cards this way). */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** Section path as one line: 一、… › （一）… */
export function sectionPath(section: readonly string[]): string {
  return section.join(' › ');
}

/**
 * Where a passage comes from, without the 【n】: the shared source line of
 * `src/answer/format.ts` (《proposal title》 · 发文字号 · section path · date),
 * so the bot and the terminal cite alike.
 */
export function sourceLine(c: Pick<Citation, 'title' | 'proposalTitle' | 'docNumber' | 'section' | 'date'> & { file?: string }): string {
  return formatSourceLine({ n: 0, chunkId: '', file: c.file ?? '', issuer: null, text: '', ...c }).replace(/^【0】/, '');
}

/** The source list of an answer: one line per citation, 【n】 then its source line. */
function sourceList(heading: string, citations: readonly Citation[]): string {
  const lines = citations.map((c) => escapeHtml(formatSourceLine(c)));
  return `<b>${escapeHtml(heading)}</b>\n${lines.join('\n')}`;
}

/**
 * An answer as Telegram HTML: the text with its [n] markers, then the
 * source list (【n】 title · 发文字号 · section · date). When the engine
 * abstained, the closest passages are listed under a heading that says they
 * are not an answer.
 */
export function renderAnswer(answer: Answer): string {
  const blocks = [escapeHtml(answer.answer.trim())];
  if (answer.citations.length) blocks.push(sourceList('来源', answer.citations));
  if (!answer.found && answer.related.length) blocks.push(sourceList('可能相关的段落（并非答案，仅供参考）', answer.related));
  return blocks.join('\n\n');
}

/** Fields of a passage shown when a source button is tapped: a citation's, without its number, id and file. */
export type PassageSource = Pick<Citation, 'title' | 'proposalTitle' | 'docNumber' | 'issuer' | 'date' | 'section' | 'text'>;

/** Builds the passage fields from a stored chunk (whose metadata carries the reply fields). */
export function passageFromChunk(chunk: StoredChunk): PassageSource {
  const m = chunk.metadata;
  return { title: m.title, proposalTitle: m.proposalTitle, docNumber: m.docNumber, issuer: m.issuer, date: m.date, section: m.section, text: m.text };
}

/** A cited passage in full, with its reply title, 发文字号, section path and date. */
export function renderPassage(p: PassageSource, n?: number): string {
  const lines = [`<b>${n !== undefined ? `【${n}】` : ''}${escapeHtml(p.title ?? p.proposalTitle ?? '（无标题）')}</b>`];
  if (p.proposalTitle && p.title) lines.push(`建议/提案：《${escapeHtml(p.proposalTitle)}》`);
  lines.push(`发文字号：${escapeHtml(p.docNumber ?? '（未注明）')}`);
  if (p.issuer) lines.push(`发文机关：${escapeHtml(p.issuer)}`);
  lines.push(`章节：${escapeHtml(p.section.length ? sectionPath(p.section) : '（正文）')}`);
  lines.push(`日期：${escapeHtml(chineseDate(p.date) ?? '（未注明）')}`);
  return `${lines.join('\n')}\n\n<blockquote>${escapeHtml(p.text.trim())}</blockquote>`;
}

/** A reply's card (title, recipient, proposal, issuer, numbers, dates) and its section list, for /doc. */
export function renderReplyCard(r: StoredReply): string {
  const row = (label: string, value: string | null) => (value ? `${label}：${escapeHtml(value)}` : null);
  const card = [
    `<b>${escapeHtml(r.title ?? r.file)}</b>`,
    row('发文字号', r.docNumber),
    row('答复对象', r.recipient),
    r.proposalTitle ? `建议/提案：《${escapeHtml(r.proposalTitle)}》` : null,
    row('会议', r.session),
    row('编号', r.proposalNumber),
    row('类别', r.kind),
    row('发文机关', r.issuer),
    row('成文日期', chineseDate(r.date)),
    row('发布日期', chineseDate(r.publishedDate)),
    r.contact ? escapeHtml(contactText(r.contact)) : null,
  ].filter((x): x is string => x !== null);
  const sections = r.sections.map((s) => `${'  '.repeat(Math.max(0, s.path.length - 1))}${escapeHtml(s.heading)}`);
  const list = sections.length ? `<b>章节</b>\n${sections.join('\n')}` : '<b>章节</b>\n（未分节）';
  return `${card.join('\n')}\n\n${list}`;
}

/** A commitment as listed, with to whom its reply answered (`CommitmentEntry.reply` carries no recipient). */
export type ListedCommitment = ListedEntry & { recipient: string | null };

type ReplyNaming = Pick<StoredReply, 'title' | 'proposalTitle' | 'docNumber' | 'date' | 'file' | 'recipient'>;

/**
 * A reply named in two lines: 「▸ 发文字号 · 答复对象」 in bold, then the
 * rest of its citation (《proposal title》 · date) in italics. Items listed
 * under it then only need their section path to be fully cited.
 */
function replyLines(r: ReplyNaming): string {
  // A reply without 发文字号 or title (some are published without) is named by what it answers.
  const byProposal = !r.docNumber && !r.title && r.proposalTitle ? `《${r.proposalTitle}》的答复` : null;
  const name = r.docNumber ?? r.title ?? byProposal ?? r.file;
  const to = r.recipient?.replace(/^尊敬的/, '');
  const what = byProposal ? null : r.proposalTitle ? `《${r.proposalTitle}》` : r.docNumber ? r.title : null;
  const rest = [what, chineseDate(r.date)].filter((x): x is string => Boolean(x));
  const first = `▸ <b>${escapeHtml(to ? `${name} · ${to}` : name)}</b>`;
  return rest.length ? `${first}\n<i>${escapeHtml(rest.join(' · '))}</i>` : first;
}

/** One promise: its text, then the section it stands in. */
function commitmentItem(e: Pick<ListedEntry, 'text' | 'section'>): string {
  const where = e.section.length ? sectionPath(e.section) : '（正文）';
  return `• ${escapeHtml(e.text.trim())}\n  <i>↳ ${escapeHtml(where)}</i>`;
}

/**
 * One page of commitments: a bold heading per actor department, under it a
 * line per reply (发文字号 · 答复对象, then its proposal title and date), and
 * under that the reply's promises, each with its section path. Entries must
 * come grouped (department, then reply); a group cut by a page boundary
 * gets its headings again on the next page.
 */
export function renderCommitmentsPage(
  entries: readonly ListedCommitment[],
  page: number,
  pages: number,
  total: number,
  filter: string | undefined,
): string {
  const head = `<b>下一步工作承诺${filter ? `（${escapeHtml(excerpt(filter))}）` : ''}</b> 共 ${total} 条 · 第 ${page + 1}/${pages} 页`;
  const blocks: string[] = [];
  let group: string | undefined;
  let replyId: string | undefined;
  for (const e of entries) {
    const lines: string[] = [];
    if (e.group !== group || blocks.length === 0) {
      group = e.group;
      replyId = undefined;
      lines.push(`<b>${escapeHtml(e.group)}</b>`);
    }
    if (e.reply.id !== replyId) {
      replyId = e.reply.id;
      lines.push(replyLines({ ...e.reply, recipient: e.recipient }));
      lines.push(commitmentItem(e));
      blocks.push(lines.join('\n'));
    } else {
      blocks[blocks.length - 1] += `\n${commitmentItem(e)}`;
    }
  }
  return `${head}\n\n${blocks.join('\n\n')}`;
}

/**
 * A reply's 下一步 promises for /doc's 「下一步工作」 button: the reply named
 * once, then a bold heading per actor department and its promises with their
 * section paths. `entries` come listed by group (as `Engine.commitments` lists them).
 */
export function renderReplyCommitments(reply: StoredReply, entries: readonly ListedEntry[]): string {
  const blocks = [`<b>下一步工作</b> 共 ${entries.length} 条\n${replyLines(reply)}`];
  let group: string | undefined;
  for (const e of entries) {
    if (e.group !== group || blocks.length === 1) {
      group = e.group;
      blocks.push(`<b>${escapeHtml(e.group)}</b>\n${commitmentItem(e)}`);
    } else {
      blocks[blocks.length - 1] += `\n${commitmentItem(e)}`;
    }
  }
  return blocks.join('\n\n');
}

/**
 * One part of a reply for /doc's section buttons: the part's label and
 * heading, the reply's name, then each passage in full, verbatim, under its
 * sub-heading, with its source line (《proposal title》 · 发文字号 · section
 * path · date), the same line answers cite it by.
 */
export function renderDocPart(reply: StoredReply, part: ReplyPart): string {
  const blocks = [`<b>${escapeHtml(`${part.label}${part.heading}`)}</b>\n${replyLines(reply)}`];
  for (const c of part.chunks) {
    const m = c.metadata;
    const sub = m.section.slice(1);
    const piece = m.parts > 1 ? `（第 ${m.part + 1}/${m.parts} 段）` : '';
    const label = sub.length || piece ? `<b>${escapeHtml(sectionPath(sub))}${piece}</b>\n` : '';
    blocks.push(`${label}<blockquote>${escapeHtml(m.text.trim())}</blockquote>\n<i>${escapeHtml(sourceLine(m))}</i>`);
  }
  return blocks.join('\n\n');
}

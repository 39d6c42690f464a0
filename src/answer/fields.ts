/**
 * Questions about a reply itself rather than its content — its date, 发文字号,
 * proposal number, issuer, contact, or which proposal it answers — are
 * answered from the stored record of the reply, and a field the reply does
 * not state is reported as missing, never guessed.
 */
import type { Store, StoredChunk, StoredReply } from '../store/types.ts';
import { DraftBuilder } from './citations.ts';
import { chineseDate, contactText } from './format.ts';
import { foldForMatch } from './text.ts';
import { isBodyName } from '../domain/bodies.ts';
import type { Citation, Draft } from './types.ts';

export type ReplyField = 'proposal' | 'docNumber' | 'indexNumber' | 'proposalNumber' | 'issuer' | 'date' | 'publishedDate' | 'contact' | 'recipient' | 'signer' | 'result' | 'coHandlers';

const PATTERNS: Array<[ReplyField, RegExp]> = [
  ['proposal', /是哪(?:件|个|份|条|一件)(?:提案|建议)的(?:答复|回复|复函)|(?:回复|回|答复|对应|针对)(?:的是)?(?:[\u4e00-\u9fff]{0,6}的)?(?:哪个|哪份|哪条|哪件|哪一[个份条件]|什么)(?:提案|建议)|是哪份答复|答复的是什么|是回哪|答复(?:了)?什么(?:提案|建议)/u],
  ['docNumber', /文号|发文字号|字号/u],
  ['indexNumber', /索引号/u],
  // 「几月几号」 asks for a day, not for the proposal's number.
  ['proposalNumber', /编号|第几号|(?<!月)几号|多少号/u],
  ['issuer', /(?:哪个|哪家|哪一个|什么)(?:厅|局|委|办|部门|单位|机关|机构)(?:答复|回复|办理|办复|回的|回复的|答的)|(?:由|是)谁(?:答复|回复)|谁答复|谁回复|答复(?:单位|部门|机关)|发文机关|发文单位/u],
  ['date', /哪天|哪一天|什么时候|何时|日期|哪年|哪一年|几月|成文|落款/u],
  ['publishedDate', /(?:什么时候|哪天|何时|哪一天|日期|时间|哪年)[^，。？]{0,6}(?:发布|公开|挂网|上网)|(?:发布|公开|挂网)(?:日期|时间)|(?:发布|公开|挂网)(?:的|于)?(?:什么时候|哪天|何时)|(?:网页|网站|网上|页面)[^，。？]{0,4}(?:挂|显示|标)的?(?:日期|时间)|挂(?:出|网)?的(?:日期|时间)/u],
  // 「有问题找谁」「对接的话找谁，电话多少」: whom to contact is the signature's 联系人.
  ['contact', /联系人|联系电话|联系方式|联系谁|找谁(?:联系|对接|咨询)?(?:[？?，,]|$)|电话(?:号码)?(?:是)?多少|打什么电话|咨询电话/u],
  ['recipient', /谁提的|谁提出|(?:几|多少)(?:位|名)(?:代表|委员)|几个人(?:一起)?提|谁联名|哪些(?:代表|委员)(?:提|联名)|哪(?:几|一)?位(?:代表|委员)|(?:代表|委员)是谁|提案(?:方|单位|者)|建议(?:方|者)|提出(?:方|单位|者)|哪(?:家|个单位|个党派|个民主党派)提的|提出人|提案人|发给(?:哪个|哪家|谁)|是给(?:谁|哪个单位)|答复给(?:谁|哪)/u],
  ['signer', /签发人|谁签发|签发的|谁签的/u],
  ['result', /办理结果|答复类别|办复类别|哪一类|哪类|几类|什么类|[A-D甲乙丙丁]类还是[A-D甲乙丙丁]类|[A-D]类答复/u],
  ['coHandlers', /会同|协办单位|会办单位|一起办|一起研究|联合办理|共同办理|商量后|经商|和哪(?:几个|些)(?:部门|单位)|几家一起|一家办的还是/u],
];

/** Words of a field question that are not about the reply's content (removed before judging topic coverage). */
export const FIELD_WORDS = /落款|成文|日期|文号|发文字号|字号|索引号|编号|联系人|联系电话|联系方式|电话|联系|找谁|对接|部门|单位|机关|厅|时候|哪年|哪天|提出人|发布|公开|签发|办理结果|类别|一类|会同|协办|会办|商量|一起/u;

/** The reply fields `question` asks for, in a fixed order. */
export function askedFields(question: string): ReplyField[] {
  const asked = PATTERNS.filter(([, re]) => re.test(question)).map(([f]) => f);
  // 「什么时候发布的」 asks for the publication, not the signature date.
  return asked.includes('publishedDate') ? asked.filter((f) => f !== 'date') : asked;
}

/** A short name for a reply in an answer: its 发文字号, else its proposal title, else its title. */
export function replyLabel(r: StoredReply): string {
  if (r.docNumber) return r.docNumber;
  if (r.proposalTitle) return `《${r.proposalTitle}》的答复`;
  return r.title ?? r.file;
}

/** What a reply answers: issuer, title, number, recipient, proposal — from whatever the record states. */
export function describeReply(r: StoredReply): string {
  const what = [r.session ? `${r.session}` : '', r.proposalNumber ? `第${r.proposalNumber}号` : '', r.kind ?? ''].join('');
  const parts: string[] = [];
  parts.push(`${r.issuer ?? ''}${r.title ? `《${r.title}》` : '的答复'}`);
  if (r.docNumber) parts.push(`发文字号${r.docNumber}`);
  const to = [r.recipient ? `${r.recipient}` : '', what ? `提出的${what}` : '提出的建议', r.proposalTitle ? `《${r.proposalTitle}》` : ''].join('');
  // Without a title the first part already says 的答复: 「…的答复，答复的是…」 would stutter.
  parts.push(`${r.title ? '答复的是' : '针对'}${to}`);
  return parts.join('，');
}

/**
 * A name the page withholds (「***委员」「××代表」「某某」): published replies mask
 * proposers' names; the mask is not the answer to 「哪位委员提的」.
 */
export function isWithheld(value: string): boolean {
  return /^[\s*＊×xX某○〇]+(?:等)?(?:\d+名)?(?:代表|委员|同志)?[：:]?$/u.test(value.replace(/^尊敬的/u, ''));
}

/**
 * Fields whose question words say plainly which field is meant (签发人, 发文字号, 联系人 …):
 * asked of an identified reply, they are answered from its record however loosely the rest is worded.
 */
export const DEFINITE_FIELDS: ReadonlySet<ReplyField> = new Set(['signer', 'docNumber', 'indexNumber', 'contact', 'result', 'publishedDate', 'proposalNumber']);

/**
 * Fields that a reply described by its topic (「峄城区长期护理保险那个提案是哪位委员提的」, 「高昌区人行道那份答复是哪个单位回的」)
 * answers from its record: the definite ones, who proposed it, who answered and when it was signed (unless the text
 * dates the event asked about, see the record composer). A sentence of the text that
 * happens to share the topic is no answer to them, and a record without them says so (a withheld 「***委员」 too).
 */
export const DESCRIBED_FIELDS: ReadonlySet<ReplyField> = new Set([...DEFINITE_FIELDS, 'recipient', 'issuer', 'date']);

/**
 * True when a date question asks when the reply itself was written or sent (「那份文是哪天成文的」「什么时候答复的」
 * 「几月几号出的」), not when something it speaks of happens (「哪年能开工」「几月份能用上」).
 */
export function asksReplyDate(question: string): boolean {
  return /成文|落款|签发|(?:答复|回复|复函|发文)(?:的)?(?:日期|时间)|(?:答复|回复|回|发|出|印发)(?:的)?(?:是)?(?:哪天|哪一天|什么时候|何时|哪年|几月几[号日])|(?:哪天|哪一天|什么时候|何时|哪年|几月几[号日])(?:答复|回复|回的|发的|出的|发出|印发)/u.test(question);
}

/** The value of `field` as answer text, or null when the reply does not state it. */
function fieldValue(r: StoredReply, field: ReplyField): string | null {
  switch (field) {
    case 'proposal':
      return describeReply(r);
    case 'docNumber':
      return r.docNumber ? `发文字号：${r.docNumber}` : null;
    case 'indexNumber':
      return r.indexNumber ? `索引号：${r.indexNumber}` : null;
    case 'proposalNumber':
      return r.proposalNumber ? `${r.kind ?? '建议/提案'}编号：第${r.proposalNumber}号` : null;
    case 'issuer':
      return r.issuer ? `答复单位：${r.issuer}` : null;
    case 'date':
      return r.date ? `成文日期：${chineseDate(r.date)}` : null;
    case 'contact':
      return r.contact ? contactText(r.contact) : null;
    case 'recipient':
      return r.recipient && !isWithheld(r.recipient) ? `提出人：${r.recipient}` : null;
    case 'publishedDate':
      return r.publishedDate ? `发布日期：${chineseDate(r.publishedDate)}` : null;
    case 'signer':
      return r.signer ? `签发人：${r.signer}` : null;
    case 'result':
      return r.result ? `办理结果：${/^[A-D]\d?$|^[甲乙丙丁]$/u.test(r.result) ? `${r.result}类` : r.result}` : null;
    case 'coHandlers':
      return r.coHandlers && r.coHandlers.length > 0 ? `会同办理：${r.coHandlers.join('、')}` : null;
  }
}

const FIELD_NAMES: Record<ReplyField, string> = {
  proposal: '所答复的建议或提案',
  docNumber: '发文字号',
  indexNumber: '索引号',
  proposalNumber: '建议或提案编号',
  issuer: '答复单位',
  date: '成文日期',
  contact: '联系人',
  recipient: '提出人',
  publishedDate: '发布日期',
  signer: '签发人',
  result: '办理结果',
  coHandlers: '会同办理的单位',
};

/** The raw stated value, to find the chunk that shows it. */
function rawValue(r: StoredReply, field: ReplyField): string | null {
  switch (field) {
    case 'date':
      return chineseDate(r.date);
    case 'docNumber':
    case 'proposal':
      return r.docNumber;
    case 'indexNumber':
      return r.indexNumber;
    case 'proposalNumber':
      return r.proposalNumber;
    case 'issuer':
      return r.issuer;
    case 'contact':
      return r.contact;
    case 'recipient':
      return r.recipient;
    case 'publishedDate':
      return null;
    case 'signer':
      return r.signer;
    case 'result':
      return r.result;
    case 'coHandlers':
      return r.coHandlers?.[0] ?? null;
  }
}

/**
 * The chunk of the reply that shows `value` (compared loosely), else the one
 * that shows every space-separated part of it (the record keeps the contact
 * as 「王小飞 0431-87077670」 while the signature says 「联系人：王小飞联系电话：
 * 0431-87077670」), else its first chunk.
 */
function evidenceChunk(chunks: readonly StoredChunk[], value: string | null): StoredChunk | undefined {
  if (value) {
    const v = foldForMatch(value);
    const hit = chunks.find((c) => foldForMatch(c.metadata.text).includes(v));
    if (hit) return hit;
    const parts = value.split(/\s+/u).filter(Boolean).map(foldForMatch);
    const all = parts.length > 1 ? chunks.find((c) => parts.every((p) => foldForMatch(c.metadata.text).includes(p))) : undefined;
    if (all) return all;
  }
  return chunks[0];
}

/**
 * A line of the page listing the proposers (「代表姓名:色尔道、陶力德、胡达兰太」「提案人：张三、李四」),
 * as printed, with the chunk that holds it; null when the page has none or it names one person.
 */
const PROPOSER_LIST = /(?:代表姓名|委员姓名|提案人|提出人|领衔代表|领衔人|联名代表|联名人|附议人|建议人)\s*[:：]\s*[^\n:：]{2,120}/u;
/** 「张建国委员提出的《…》」「王某等3位代表所提」: the proposer as the text names them, with the chunk; null when it does not. */
const PROPOSER_IN_TEXT = /[\u4e00-\u9fff·、]{2,40}?(?:委员|代表)(?:等\d*[位名](?:委员|代表)?)?(?=提出|所提|领衔|联名)/u;
function proposerInText(chunks: readonly StoredChunk[]): { text: string; chunk: StoredChunk } | null {
  for (const chunk of chunks.slice(0, 3)) {
    const m = PROPOSER_IN_TEXT.exec(chunk.metadata.text);
    // The words before the name (「…二次会议张建国委员」) are not part of it; the quote stays a verbatim slice.
    const name = m?.[0].replace(/^.*(?:会议|會議|期间|期間|上|对|對|将|將|由|的|关于|關于)/u, '') ?? '';
    if (m && name.length >= 4 && !/^(?:您|你|贵|貴|该|該|各|相关|相關|人大|政协|政協)/u.test(name)) return { text: name, chunk };
  }
  return null;
}

function proposerList(chunks: readonly StoredChunk[]): { text: string; chunk: StoredChunk } | null {
  for (const chunk of chunks) {
    const m = PROPOSER_LIST.exec(chunk.metadata.text);
    if (m && /[、，,]/u.test(m[0])) return { text: m[0].trim(), chunk };
  }
  return null;
}

/**
 * For a reply without a 成文日期: its publication date, else the year in its
 * 发文字号 (〔2024〕 is the year of issue by convention), worded as evidence
 * rather than as the date; null when neither is stated.
 */
export function yearEvidence(r: StoredReply): { text: string; shownBy: string | null } | null {
  if (r.publishedDate) return { text: `答复未写明成文日期；发布日期为${chineseDate(r.publishedDate)}。`, shownBy: chineseDate(r.publishedDate) };
  const year = r.docNumber ? /[〔[(（【［]\s*(\d{4})\s*[〕\])）】］]/u.exec(r.docNumber)?.[1] : undefined;
  if (!year || !r.docNumber) return null;
  return { text: `答复未写明成文日期，但发文字号${r.docNumber}中的〔${year}〕表明是${year}年的答复。`, shownBy: r.docNumber };
}

export interface FieldAnswer {
  /** False when no asked field is stated by any of the replies. */
  found: boolean;
  answer: string;
  /** The answer as data (absent when nothing was found). */
  draft?: Draft;
  citations: Citation[];
  /** The replies' chunks, to show as possibly related when nothing was found. */
  related: Array<{ chunk: StoredChunk; reply: StoredReply }>;
}

/** True when a date question asks only for the year (「哪年答复的」): a 发文字号's 〔2024〕 answers that, not 「哪天」. */
export function asksForYear(question: string): boolean {
  return /哪年|哪一年|年份|什么年|几几年/u.test(question);
}

/**
 * Answers `fields` for `replies` from their records. With `wantsYear`, an
 * undated reply's year is given from its publication date or 发文字号
 * (still saying the date is not stated). Each stated value is a
 * line ending with a marker to the chunk that shows it (or the reply's first
 * chunk, whose source line carries title, number and date); each missing
 * value is said to be missing.
 */
export function answerFields(store: Store, replies: readonly StoredReply[], fields: readonly ReplyField[], options: { wantsYear?: boolean; wantsPerson?: boolean; wantsPhone?: boolean } = {}): FieldAnswer {
  const b = new DraftBuilder();
  const missing: string[] = [];
  const related: FieldAnswer['related'] = [];
  const many = replies.length > 1;
  for (const r of replies) {
    const chunks = store.chunksOf(r.id);
    for (const field of fields) {
      let value = fieldValue(r, field);
      // 「哪位委员执笔的」 of a 协办意见 addressed to the lead body: a body is not the person asked for.
      if (field === 'recipient' && options.wantsPerson && r.recipient && isBodyName(r.recipient)) {
        // The lead body's 会办意见 often names the proposer in its text: 「张建国委员提出的《…》」.
        const named = proposerInText(chunks);
        if (named) {
          b.quote(named.text, named.chunk, r, many ? `${replyLabel(r)}：` : '');
          continue;
        }
        missing.push(`${replyLabel(r)}写给${r.recipient}，未写明提出建议或提案的个人。`);
        if (chunks[0]) related.push({ chunk: evidenceChunk(chunks, r.recipient) as StoredChunk, reply: r });
        continue;
      }
      // 「联系人邓云的电话多少」: a contact without a number does not answer it.
      if (field === 'contact' && options.wantsPhone && value && !/\d{5,}/u.test(r.contact ?? '')) {
        missing.push(`${replyLabel(r)}只写了联系人（${r.contact}），未写明联系电话。`);
        if (chunks[0]) related.push({ chunk: evidenceChunk(chunks, r.contact) as StoredChunk, reply: r });
        continue;
      }
      const year = !value && field === 'date' && options.wantsYear ? yearEvidence(r) : null;
      if (year) {
        // Not stated is still said, but the number the reply carries dates it to a year.
        const chunk = evidenceChunk(chunks, year.shownBy);
        if (chunk) {
          const prefix = many ? `${replyLabel(r)}：` : '';
          b.own(year.text, [b.cite(chunk, r)], prefix);
          continue;
        }
      }
      if (!value) {
        // A masked proposer (「***委员」) is stated but withheld: say so, not that the reply is silent.
        const withheld = field === 'recipient' && r.recipient && isWithheld(r.recipient);
        missing.push(withheld ? `${replyLabel(r)}公开的版本隐去了提出人的姓名（写作${r.recipient!.replace(/[：:]$/u, '')}）。` : `${replyLabel(r)}未写明${FIELD_NAMES[field]}。`);
        if (chunks[0]) related.push({ chunk: evidenceChunk(chunks, null) as StoredChunk, reply: r });
        continue;
      }
      const chunk = evidenceChunk(chunks, rawValue(r, field));
      if (!chunk) continue;
      const prefix = many && field !== 'proposal' ? `${replyLabel(r)}：` : '';
      b.own(`${value}。`, [b.cite(chunk, r)], prefix);
      // 「色尔道等代表」: the salutation names the first; the page's list of proposers names them all.
      const list = field === 'recipient' && /等/u.test(r.recipient ?? '') ? proposerList(chunks) : null;
      if (list) b.quote(list.text, list.chunk, r, '', '');
    }
  }
  const found = b.length > 0;
  if (!found) return { found, answer: `现有答复中未找到相关内容：${missing.join('')}`, citations: [], related };
  for (const m of missing) b.own(m);
  return { found, ...b.result(), related };
}

/**
 * Words that ask for a reply as a whole (「2024W298号提案说了什么」,
 * 「0147号建议的主要内容」) rather than for something in it.
 */
const OVERVIEW_WORDS = /^(?:说了|讲了|写了|主要|内容|全文|概况|概要|摘要|大意|情况|答复了)$/u;

/** True when nothing but the reply's identity and overview words is left of the question's topic terms. */
export function asksForOverview(contentTerms: readonly string[]): boolean {
  return contentTerms.every((t) => OVERVIEW_WORDS.test(t));
}

/**
 * A reply's card as an answer, for a question that only names it (「2025W233」,
 * 「第41号提案」, 「张立华」): what it answers (from the record, cited to its
 * opening passage), when it was signed, and its parts — each part cited to
 * its first passage, so the source list reads as the reply's table of
 * contents (headings are not repeated in the text: a heading's “quotes” are
 * not a quotation of the opening passage) — and how many promises it makes.
 */
export function answerOverview(store: Store, replies: readonly StoredReply[]): FieldAnswer {
  const b = new DraftBuilder();
  for (const r of replies) {
    const chunks = store.chunksOf(r.id);
    const opening = chunks[0];
    if (!opening) continue;
    if (b.length > 0) b.own('');
    b.own(`${describeReply(r)}。`, [b.cite(opening, r)]);
    const dates = [r.date ? `成文日期：${chineseDate(r.date)}` : '未写明成文日期', r.publishedDate ? `发布日期：${chineseDate(r.publishedDate)}` : null];
    b.own(`${dates.filter(Boolean).join('；')}。`);
    // The first passage of each top-level part (the opening and the signature are not parts).
    const parts: number[] = [];
    const seen = new Set<string>();
    for (const c of chunks) {
      const head = c.metadata.section[0];
      if (!head || c === opening || head === '开头' || head === '落款' || seen.has(head)) continue;
      seen.add(head);
      parts.push(b.cite(c, r));
    }
    if (parts.length > 0) b.own(`正文共 ${parts.length} 个部分，见来源`, parts, '', '。');
    if (r.commitments.length > 0) b.own(`其中下一步工作安排 ${r.commitments.length} 条，可接着问：这份答复下一步做什么？`);
  }
  return { found: b.length > 0, ...b.result(), related: [] };
}

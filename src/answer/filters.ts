/**
 * Filters on replies: department, year, 建议/提案 and session. Given as CLI
 * options they are strict; parsed from the question they are only taken when
 * stated unambiguously (a year inside a question is usually about the
 * content — 「2024年支持了多少项目」 — not about when the reply was written).
 */
import type { StoredChunk, StoredReply } from '../store/types.ts';
import type { AskOptions } from './types.ts';
import { canonicalDepartment, findDepartments } from '../domain/departments.ts';

export type Filters = NonNullable<AskOptions['filters']>;

const SESSION = /省?(?:人大|政协)?十[一二三四五六七八九]?届(?:全国)?(?:人大|政协)?(?:常委会)?[一二三四五六七八九十]次会议/u;

/**
 * Filters stated in the question: 「省科技厅的答复」 (department that replied),
 * 「2024年的答复」 (year of the reply), 「代表建议」/「委员提案」/「党派团体提案」
 * (kind, only when just one of them is named), 「省十四届人大四次会议」 (session).
 */
export function parseFilters(question: string, now: Date = new Date()): Filters {
  const filters: Filters = {};
  for (const m of findDepartments(question)) {
    const after = question.slice(m.index + m.text.length);
    if (/^(?:的)?(?:答复|回复|办理)/u.test(after)) {
      filters.department = m.department;
      break;
    }
  }
  // Two years (「2024年和2025年的答复」) compare replies; filtering on one would hide the other.
  const years = question.match(/\d{4}\s*年/gu) ?? [];
  const year = statedYear(question, now);
  if (year && years.length <= 1) filters.year = year;
  const kinds = ['党派团体提案', '代表建议', '委员提案'].filter((k) => question.includes(k));
  if (kinds.length === 1) filters.kind = kinds[0] as string;
  const session = SESSION.exec(question);
  if (session) filters.session = session[0];
  return filters;
}

/** Words after a year that make it the year of the replies, not a figure inside them. */
const REPLY_YEAR_CONTEXT = /^(?:度)?(?:的)?(?:答复|回复|办复|承诺|答应|许诺|提出|收到|办理|的建议|的提案|[\u4e00-\u9fff]{1,12}?(?:承诺|答应|答复|回复|打算|下一步|说要|表示要))/u;
/** 去年 / 今年 / 前年 / 明年, as offsets from the current year. */
const RELATIVE_YEARS: Record<string, number> = { 今年: 0, 本年: 0, 本年度: 0, 去年: -1, 上一年: -1, 上年: -1, 前年: -2, 明年: 1 };

/**
 * The year a question scopes its replies to: 「2024年的答复」, 「2024年省科技厅承诺了什么」,
 * 「省科技厅去年答应了什么」 (relative to `now`). A year that is the content
 * (「2024年支持了多少项目」) is not a filter.
 */
export function statedYear(question: string, now: Date = new Date()): string | null {
  for (const m of question.matchAll(/(\d{4})\s*年/gu)) {
    const after = question.slice(m.index + m[0].length);
    if (REPLY_YEAR_CONTEXT.test(after) && !/^[\u4e00-\u9fff]{0,6}?(?:多少|几)/u.test(after)) return m[1] as string;
  }
  for (const [word, offset] of Object.entries(RELATIVE_YEARS)) {
    const i = question.indexOf(word);
    if (i >= 0 && REPLY_YEAR_CONTEXT.test(question.slice(i + word.length)) ) return String(now.getFullYear() + offset);
  }
  return null;
}

/** True when no filter is set. */
export function isEmpty(filters: Filters): boolean {
  return !filters.department && !filters.year && !filters.kind && !filters.session;
}

/** Same session, however it is written: 省十四届人大四次会议 = 十四届人大四次会议. */
function sessionMatches(replySession: string | null, wanted: string): boolean {
  if (!replySession) return false;
  const a = replySession.replace(/^省/, '').replace(/\s+/g, '');
  const b = wanted.replace(/^省/, '').replace(/\s+/g, '');
  return a.includes(b) || b.includes(a);
}

/** The kind filter: 建议 / 提案 match every kind of that family; otherwise a substring of the reply's kind. */
function kindMatches(reply: StoredReply, wanted: string): boolean {
  return `${reply.kind ?? ''}${reply.title ?? ''}`.includes(wanted);
}

/**
 * The year a reply was issued: its date, else its publication date, else the
 * year in its 发文字号 (吉科发高〔2024〕74号 is a 2024 document by
 * convention) — replies without a dated signature exist, and a year filter
 * must not silently drop them. Null when none of these is stated.
 */
export function replyYear(reply: Pick<StoredReply, 'date' | 'publishedDate' | 'docNumber'>): string | null {
  const fromNumber = reply.docNumber ? /[〔[(（【［]\s*(\d{4})\s*[〕\])）】］]/u.exec(reply.docNumber)?.[1] : undefined;
  return reply.date?.slice(0, 4) ?? reply.publishedDate?.slice(0, 4) ?? fromNumber ?? null;
}

/** Filters that concern the reply as a whole (everything but department). */
export function replyMatches(reply: StoredReply, filters: Filters): boolean {
  if (filters.year && replyYear(reply) !== filters.year) return false;
  if (filters.kind && !kindMatches(reply, filters.kind)) return false;
  if (filters.session && !sessionMatches(reply.session, filters.session)) return false;
  return true;
}

/**
 * Department filter on a chunk: the reply was issued by the department, or
 * the passage itself names it (multi-department replies speak for several).
 */
export function chunkMatchesDepartment(chunk: StoredChunk, reply: StoredReply, department: string, named: (chunk: StoredChunk) => ReadonlySet<string> = chunkDepartments): boolean {
  const dept = canonicalDepartment(department);
  if (reply.issuer && canonicalDepartment(reply.issuer) === dept) return true;
  return named(chunk).has(dept);
}

/** The canonical departments a chunk's text names (the CorpusIndex keeps them per chunk: the department boost asks this of every fused hit). */
export function chunkDepartments(chunk: StoredChunk): ReadonlySet<string> {
  return new Set(findDepartments(chunk.metadata.text).map((m) => m.department));
}

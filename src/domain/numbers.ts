/**
 * The numbers replies are identified and dated by: Chinese numerals, dates
 * in every form seen, 发文字号 and suggestion/proposal numbers. One grammar,
 * used by the parser (ingest/) and by question understanding (src/answer/).
 */

const DIGITS = '零一二三四五六七八九';

/** Value of a Chinese numeral up to 九十九 (enough for ordinals, months and days); Arabic digits pass through. */
export function cnNumber(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  if (s === '十') return 10;
  const ten = s.indexOf('十');
  if (ten < 0) return DIGITS.indexOf(s);
  const tens = ten === 0 ? 1 : DIGITS.indexOf(s.slice(0, ten));
  const ones = ten === s.length - 1 ? 0 : DIGITS.indexOf(s.slice(ten + 1));
  return tens * 10 + ones;
}

/** 二〇二五 / 二零二五 / 2025 as a number. */
function yearValue(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  return Number([...s].map((c) => '〇一二三四五六七八九'.indexOf(c === '零' || c === '○' || c === 'О' || c === 'O' ? '〇' : c)).join(''));
}

const CN_DATE = /([0-9〇零一二三四五六七八九○]{4})\s*年\s*([0-9一二三四五六七八九十]{1,3})\s*月\s*([0-9一二三四五六七八九十]{1,3})\s*日/;
// The day may be glued to a time when normalization removed the space (「2024-08-0411:45」).
const ISO_DATE = /(?<!\d)(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:(?=\d{1,2}:\d{2})|(?!\d))/;

function valid(year: number, month: number, day: number): string | null {
  if (!(year >= 1949 && year <= 2100) || month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The first date in `s` as YYYY-MM-DD: 「2025年05月27日」, 「2025年5月27日」,
 * 「二〇二五年五月二十七日」, 「2025-06-25 14:00:17」, 「2025/6/25」, 「2025.06.25」.
 * Null when `s` holds no valid date: a damaged 「2017823」 is not a date.
 */
export function isoDate(s: string | undefined | null): string | null {
  if (!s) return null;
  const cn = CN_DATE.exec(s);
  if (cn) return valid(yearValue(cn[1]!), cnNumber(cn[2]!), cnNumber(cn[3]!));
  const iso = ISO_DATE.exec(s);
  return iso ? valid(Number(iso[1]), Number(iso[2]), Number(iso[3])) : null;
}

/** A line that is only a date (or a date and a time): the date under a signature, a page's publication time. */
export const DATE_LINE = /^[（(]?(?:[0-9〇零一二三四五六七八九十○]{4}\s*年\s*[0-9〇零一二三四五六七八九十○]{1,3}\s*月\s*[0-9〇零一二三四五六七八九十○]{1,3}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?)[）)]?$/;

/** A run of digits where a date belongs that is not a date (「2017823」, 「2025528」): damaged in the capture. */
export const DAMAGED_DATE_LINE = /^(?:19|20)\d{5,6}$/;

/** Opening and closing brackets 发文字号 put the year in: 〔〕 (the standard), 【】, [], ［］, ()（）, 〈〉. */
const OPEN = '〔［\\[【(（〈';
const CLOSE = '〕］\\]】)）〉';

/**
 * A 发文字号 as printed: issuer prefix, the year in brackets, an optional 第,
 * the serial and 号 (sometimes missing): 吉科发成〔2025〕71号, 鲁农建字【2023】12号,
 * 农办议（2022）第5号, 吉农议案〔2025〕19.
 */
export const DOC_NUMBER_SOURCE = `[\\u4e00-\\u9fff]{1,16}[${OPEN}]\\s*(?:19|20)\\d{2}\\s*[${CLOSE}]\\s*第?\\s*\\d{1,5}\\s*号?`;
const DOC_NUMBER_WHOLE = new RegExp(`^${DOC_NUMBER_SOURCE}$`);
const DOC_NUMBER_ANY = new RegExp(`${DOC_NUMBER_SOURCE}(?![\\d])`, 'g');
/** Something that starts like a 发文字号 (prefix and an opening bracket with digits) but is not a whole one. */
const DOC_NUMBER_START = new RegExp(`^[\\u4e00-\\u9fff]{1,16}[${OPEN}]\\s*\\d`);

/** Whether `s` (trimmed) is exactly a 发文字号. */
export function isDocNumber(s: string): boolean {
  return DOC_NUMBER_WHOLE.test(s.trim());
}

/** Every 发文字号 in `s`, as printed. */
export function docNumbersIn(s: string): string[] {
  return [...s.matchAll(DOC_NUMBER_ANY)].map((m) => m[0]);
}

/** Whether a line (or cell) looks like a 发文字号 that the capture damaged: 「舞水〔202258」. */
export function isDamagedDocNumber(s: string): boolean {
  const t = s.trim();
  return t.length <= 30 && !isDocNumber(t) && DOC_NUMBER_START.test(t) && !/[，。；：]/.test(t);
}

/**
 * A suggestion's or proposal's number as replies write it: 第0147号, 2025W233号,
 * D27号, 第D022号, 第T014号, 温36号, 第B(2019)331号, 第20230158号, 自编号027号,
 * and 第0867号(资源环境类086号) with its category number.
 * Group 1: the number (letters and leading zeros kept); group 2: the category number, if printed.
 */
const CODE = '\\d{1,4}(?:[.\\-]\\d{1,4}){1,3}(?![\\d年月日])|\\d{4}[A-Za-z]\\d{1,6}|[A-Za-z]{1,3}\\s*(?:[(（]\\s*\\d{4}\\s*[)）]\\s*)?\\d{1,9}|\\d{1,9}';
const HANZI_CODE = '[\\u4e00-\\u9fff]\\d{1,6}';
const PROPOSAL_NUMBER = new RegExp(
  `(?:(?:第|自编号|编号)\\s*(${CODE}|${HANZI_CODE})|(?<=会议)(${HANZI_CODE})|(?<![\\dA-Za-z])(${CODE}))\\s*号(?:\\s*[(（]([\\u4e00-\\u9fff]{1,12}类\\s*\\d{1,6}\\s*号?)[)）])?`,
  'g',
);

/** What follows a proposal number: the kind of item, or the 《title》 that names it. */
const AFTER_NUMBER = /^\s*(?:[)）]\s*)?(?:的)?(?:代表|委员|党派团体|党派|团体|集体|联名|重点|政协)?(?:建议|提案|议案|《|意见)/;
/**
 * A number in brackets right after the item's 《title》 or “title” numbers that item, whatever follows
 * (「《关于…建议》(建议第41号)收悉」, 「“…的提案”(第0503号)」): what comes before and after it.
 */
const BEFORE_BRACKETED = /[》”"]\s*[(（]\s*(?:代表建议|委员提案|建议|提案|议案)?\s*$/;
const AFTER_BRACKETED = /^\s*[)）]/;

export interface ProposalNumber {
  number: string;
  /** e.g. 资源环境类086号 */
  categoryNumber: string | null;
  /** Where the match ends in the searched text, so the caller can read what follows (the kind). */
  end: number;
}

/**
 * The suggestion/proposal number in `s` (a title or an opening paragraph):
 * the first number followed by what it numbers (建议 / 提案 / 议案 / 《title》),
 * else, in a title, the first N号 at all. Null when none.
 */
export function proposalNumberIn(s: string, loose = false): ProposalNumber | null {
  let first: ProposalNumber | null = null;
  for (const m of s.matchAll(PROPOSAL_NUMBER)) {
    const end = m.index + m[0].length;
    // A 发文字号's serial (〔2025〕6号, 〔2025〕第6号) is not a proposal number.
    if (/[〕］\]】)）〉]$/.test(s.slice(0, m.index).trimEnd())) continue;
    const number = (m[1] ?? m[2] ?? m[3])!.replace(/\s+/g, '');
    const found: ProposalNumber = { number, categoryNumber: m[4]?.replace(/\s+/g, '') ?? null, end };
    if (AFTER_NUMBER.test(s.slice(end))) return found;
    if (BEFORE_BRACKETED.test(s.slice(0, m.index)) && AFTER_BRACKETED.test(s.slice(end))) return found;
    first ??= found;
  }
  return loose ? first : null;
}

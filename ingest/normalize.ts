/**
 * Repairs the extraction damage real replies arrive with, before anything
 * else reads them. The result is the text dafu stores, searches and quotes
 * from, so every later step (parse, chunk, cite) works on it and a quote is
 * a verbatim substring of it.
 *
 * Output shape: one paragraph per line (`\n` between paragraphs, no blank
 * lines); metadata-table rows keep their tab separators ("索引号:\tvalue\t分类:\t…").
 */
import { headingMarker, SENTENCE_END } from './parse/headings.ts';
import { LABEL_PARAGRAPH, isSignatureLine } from './parse/layout.ts';
import { startsWithMetadataKey } from './parse/metadata.ts';
import { isFurnitureLine } from './parse/furniture.ts';

/** Han ideographs, CJK punctuation/symbols, full-width forms and curly quotes: text that needs no spaces. */
const WIDE = /[\u2E80-\u2FFF\u3001-\u303F\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF\u2014-\u201F\u2026\u00B7]/u;
const DIGIT = /[0-9]/;

/** Any horizontal space except the tab, which separates metadata-table cells. */
const SPACES = /[ \u00A0\u1680\u2000-\u200B\u202F\u205F\u3000\uFEFF]+/g;

/**
 * Invisible format characters other than the zero-width space and BOM (which
 * SPACES treats as spaces): joiners, direction marks and embeddings, word
 * joiner and invisible operators. Pasted web and chat text carries them, and
 * they split words the search must see whole; questions drop them too.
 */
const INVISIBLE = /[\u200C-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069]/g;

/** Full-width letters and digits (ＡＢＣ１２３) fold to ASCII; full-width punctuation stays. */
function foldFullWidth(s: string): string {
  return s.replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/**
 * Mirrors of traditional-character pages gloss characters with pinyin:
 * 「國家醫(yī)療保障局」, 「會(huì)議」. The gloss is the mirror's, not the reply's, and it
 * breaks every word it sits in, so it goes. Only a tone-marked syllable in
 * brackets right after a Chinese character is a gloss ((B), (一) and (2020) stay).
 */
const PINYIN_GLOSS = /(?<=[\u3400-\u9fff\uf900-\ufaff])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{0,6}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{0,6}[)）]/g;
function dropPinyinGlosses(s: string): string {
  return s.includes('(') || s.includes('（') ? s.replace(PINYIN_GLOSS, '') : s;
}

/**
 * Removes stray spaces inside one line. A space goes when either neighbour is
 * wide (CJK) text — 「具身 智能」, 「2025 年」, 「， 现答复」 — when both are digits
 * (「300 0」 → 「3000」), or just inside a bracket (「( 一)」). It stays between
 * Latin words and between a word and a number ("Windows 10").
 */
export function cleanSpaces(line: string): string {
  const s = line.replace(SPACES, ' ');
  // Linear: the text between spaces is copied as slices, and the last kept
  // character is tracked in a variable. (Reading it back from the string
  // being built flattened that string at every space: 83 s for a 4 MB line.)
  const out: string[] = [];
  let prev: string | undefined;
  let start = 0;
  for (let i = s.indexOf(' '); i !== -1; i = s.indexOf(' ', i + 1)) {
    if (i > start) {
      out.push(s.slice(start, i));
      prev = s[i - 1];
    }
    start = i + 1;
    const next = s[i + 1];
    if (prev === undefined || next === undefined || next === ' ' || next === '\t' || prev === '\t') continue;
    const drop =
      WIDE.test(prev) ||
      WIDE.test(next) ||
      (DIGIT.test(prev) && DIGIT.test(next)) ||
      /[([{]/.test(prev) ||
      /[)\]}]/.test(next);
    if (!drop) {
      out.push(' ');
      prev = ' ';
    }
  }
  if (start < s.length) out.push(s.slice(start));
  return out.join('');
}

/** Display width: wide characters count 2, like a fixed-pitch PDF line. */
function width(line: string): number {
  // Code-point ranges of WIDE, tested without the regex: this runs over every character of every file.
  let w = 0;
  for (let i = 0; i < line.length; i++) {
    const cp = line.codePointAt(i) as number;
    if (cp > 0xffff) i++;
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

/** Whether WIDE matches the code point `cp`. */
function isWide(cp: number): boolean {
  if (cp < 0x2e80) return cp === 0xb7 || (cp >= 0x2014 && cp <= 0x201f) || cp === 0x2026;
  return (
    cp <= 0x2fff ||
    (cp >= 0x3001 && cp <= 0x303f) ||
    (cp >= 0x3040 && cp <= 0x30ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xffef)
  );
}

/**
 * The width lines were wrapped at, when the text looks PDF-wrapped: many
 * lines end within ~12% of the same width. Null for texts whose paragraphs
 * are single lines (the widths are then all different).
 */
function wrapWidth(lines: string[]): number | null {
  const widths = lines.filter((l) => l !== '').map(width).filter((w) => w >= 20);
  if (widths.length < 5) return null;
  // Histogram with prefix sums, so a long document costs O(lines + max width), not O(lines²).
  // A loop, not Math.max(...widths): spreading 200,000 line widths overflows the call stack.
  let widest = 0;
  for (const w of widths) if (w > widest) widest = w;
  const max = Math.min(widest, 4000);
  const atMost = new Array<number>(max + 2).fill(0);
  for (const w of widths) if (w <= max) atMost[w + 1]! += 1;
  for (let i = 1; i < atMost.length; i++) atMost[i]! += atMost[i - 1]!;
  let best = 0;
  let bestW = 0;
  for (let w = 40; w <= max; w++) {
    const n = atMost[w + 1]! - atMost[Math.ceil(w * 0.88)]!;
    if (n >= best) {
      best = n;
      bestW = w;
    }
  }
  return best >= Math.max(5, widths.length * 0.4) ? bestW : null;
}

const DATE_LINE = /^[0-9〇零一二三四五六七八九十○Ｏ ]{4,}年[0-9〇零一二三四五六七八九十○ ]{1,4}月[0-9〇零一二三四五六七八九十○ ]{1,5}日$/;
const DOC_NUMBER_LINE = /^[\u4e00-\u9fff]{1,15}\s*[〔［[【(（]\s*\d{4}\s*[〕］\]】)）]\s*\d+\s*号$/;
const CONTACT_LINE = /^[（(]?\s*联系人/;

/**
 * A paragraph being assembled from wrapped lines. Only its first and last
 * {@link EDGE} characters are kept as strings besides the parts: every test
 * on it looks at its start or its end (or needs it short), so each line costs
 * the same however long the paragraph has grown. Testing the whole growing
 * string at every line was quadratic on a long paragraph.
 */
interface Paragraph {
  parts: string[];
  length: number;
  hasTab: boolean;
  /** The first EDGE characters (the whole text while it is short). */
  head: string;
  /** The last EDGE characters. */
  tail: string;
}

/** Characters kept at each end of a paragraph: far more than any test below looks at. */
const EDGE = 256;

function paragraphOf(line: string): Paragraph {
  return { parts: [line], length: line.length, hasTab: line.includes('\t'), head: line.slice(0, EDGE), tail: line.slice(-EDGE) };
}

function extend(p: Paragraph, piece: string): void {
  p.parts.push(piece);
  p.length += piece.length;
  p.hasTab ||= piece.includes('\t');
  if (p.head.length < EDGE) p.head = (p.head + piece).slice(0, EDGE);
  p.tail = (p.tail + piece).slice(-EDGE);
}

/**
 * Lines that stand alone whatever their punctuation: metadata rows, dates,
 * 发文字号, contact, closing labels (抄送：/会签：/附件：) and a signing body
 * on its own line (「吉林省商务厅」), which must not be glued to a 会签 line above it.
 * Dates, 发文字号 and signatures are short lines; past EDGE characters only
 * the tests anchored at the start apply.
 */
function standsAlone(line: string | Paragraph): boolean {
  const p = typeof line === 'string' ? paragraphOf(line) : line;
  const whole = p.length <= EDGE ? p.head : null;
  return (
    p.hasTab ||
    LABEL_PARAGRAPH.test(p.head) ||
    CONTACT_LINE.test(p.head) ||
    startsWithMetadataKey(p.head) ||
    (whole !== null && (isSignatureLine(whole) || DATE_LINE.test(whole) || DOC_NUMBER_LINE.test(whole) || isFurnitureLine(whole.trim())))
  );
}

/** True when `line` is only a heading (「一、关于…建议」, 「(三)下步工作」), not a heading followed by body text. */
function isPureHeading(line: string): boolean {
  // A heading's text is at most 80 wide; anything this long is body text.
  if (line.length > EDGE) return false;
  const marker = headingMarker(line);
  if (!marker) return false;
  const rest = line.slice(marker.length).replace(/[。：:]\s*$/, '');
  return !/[。！？；]/.test(rest) && width(rest) <= 80;
}

/**
 * Decides whether the line break between non-empty lines `a` and `b`
 * (possibly with blank lines between, as PDF extraction leaves them) is a
 * wrap inside a sentence. A break is kept when `a` ends a sentence, when
 * either line stands alone (date, 发文字号, metadata, contact), when `b`
 * starts a numbered heading, when `a` is a whole heading line that was not
 * cut at the wrap width, or when `a` closes a title (…的答复). Everything
 * else is joined: a line that stops mid-sentence continues on the next one.
 */
function isSoftBreak(a: Paragraph, b: string, wrapAt: number | null): boolean {
  const end = a.tail.replace(/[”’」』"']+$/, '');
  if (SENTENCE_END.test(end)) return false;
  if (standsAlone(a) || standsAlone(b)) return false;
  if (headingMarker(b)) return false;
  if (/(?:答复|答复函|复函|会办意见|答复摘要)$/.test(a.tail)) return false;
  if (a.length <= EDGE && isPureHeading(a.head) && (wrapAt === null || width(a.head) < wrapAt * 0.85)) return false;
  if (wrapAt === null) return isContinuation(a, b);
  return true;
}

/** Whether `line` opens more `open` brackets than it closes. */
function unclosed(line: string, open: string, close: string): boolean {
  let depth = 0;
  for (const c of line) depth += c === open ? 1 : c === close ? -1 : 0;
  return depth > 0;
}

/**
 * In text that is not wrapped at a fixed width (a saved web page, a pasted
 * capture, a .docx), a line break is a paragraph break — page captures put
 * every metadata cell, menu item and counter on a line of its own, and
 * gluing them was how furniture got into titles. Only a break that visibly
 * falls inside a phrase is joined: after an opening bracket, quote or a
 * comma, before closing punctuation, when the next line finishes the
 * sentence, and the two halves of a title printed over two lines
 * (「关于对省十四届人大四次会议」 / 「第0147号代表建议的答复」).
 */
function isContinuation(a: Paragraph, b: string): boolean {
  if (/[、，,（(《“‘「『]$/.test(a.tail)) return true;
  // Bracket balance over the paragraph while it is short, else over its end.
  const text = a.length <= EDGE ? a.head : a.tail;
  if (unclosed(text, '《', '》') || unclosed(text, '“', '”') || unclosed(text, '（', '）')) return true;
  // The next line finishes the sentence this one started (a docx export or PDF tool cut it).
  if (/[。！？；!?;][”’」』"']*$/.test(b)) return true;
  if (/^[，。、；：）)》”’」』]/.test(b)) return true;
  return a.length <= EDGE && /^(?:关于|对)/.test(a.head) && width(a.head) <= 80 && !/[。；：:]/.test(a.head) && /(?:答复|答复函|复函|的函|意见|摘要)$/.test(b) && width(b) <= 80 && !/[。；]/.test(b);
}

/** Glues the next half of a wrapped sentence on: nothing in CJK text, one space between Latin words. */
function glue(a: Paragraph, b: string): void {
  if (/[A-Za-z]$/.test(a.tail) && /^[A-Za-z]/.test(b)) extend(a, ' ');
  extend(a, b);
}

/**
 * Normalizes raw reply text (see the module comment for the output shape):
 * - line breaks inside a sentence are joined, also across the blank lines PDF
 *   extraction puts between the halves; paragraph breaks are kept;
 * - stray spaces between CJK characters, around CJK punctuation and inside
 *   numbers are removed (「300 0 余家」 → 「3000余家」, 「2025 年 5 月 27 日」 →
 *   「2025年5月27日」); spaces between Latin words stay;
 * - full-width letters and digits fold to ASCII; CJK punctuation is unchanged;
 * - U+3000 and indentation are trimmed; 「( 一)」 becomes 「(一)」;
 * - a BOM, invisible format characters (U+200C–U+200F, U+202A–U+202E,
 *   U+2060–U+2064, U+2066–U+2069) and CR line ends are dropped.
 * It is idempotent: normalizing normalized text changes nothing.
 */
export function normalize(raw: string): string {
  const lines = dropPinyinGlosses(foldFullWidth(raw.replace(/^\uFEFF/, '').replace(INVISIBLE, '')))
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(SPACES, ' ').replace(/^[ \t]+|[ \t]+$/g, ''));
  const wrapAt = wrapWidth(lines);

  const paragraphs: string[] = [];
  let current: Paragraph | null = null;
  for (const line of lines) {
    if (line === '') continue;
    if (current !== null && isSoftBreak(current, line, wrapAt)) {
      glue(current, line);
    } else {
      if (current !== null) paragraphs.push(current.parts.join(''));
      current = paragraphOf(line);
    }
  }
  if (current !== null) paragraphs.push(current.parts.join(''));

  return paragraphs
    .map((p) => (p.includes('\t') ? p.replace(/\t+/g, '\t') : p))
    .map(cleanSpaces)
    .filter((p) => p !== '')
    .join('\n');
}

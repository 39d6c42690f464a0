/**
 * How Chinese official replies number their headings. Shared by the
 * normalizer (a line that starts a heading is never glued onto the previous
 * line) and the section parser (which builds the tree from them).
 */
import { cnNumber } from '../../src/domain/numbers.ts';

export { cnNumber };

/** The numbering styles, in the order replies usually nest them. */
export type HeadingStyle = 'cn' | 'cn-di' | 'paren-cn' | 'arabic' | 'paren-arabic' | 'cn-shi';

const CN_NUM = '[一二三四五六七八九十]{1,3}';

/**
 * Patterns for the start of a heading, tolerant of the stray spaces PDF
 * extraction leaves (「( 一)」). `cn-shi` (一是…) is listed last: it is an
 * inline enumeration and only the section parser decides when it counts.
 */
const PATTERNS: Array<[HeadingStyle, RegExp]> = [
  ['cn', new RegExp(`^(${CN_NUM})\\s*[、．.]`)],
  // 「第一，」/「第二、」 at the start of a paragraph: a top-level heading in some replies.
  // The punctuation is required so 「第一批…」 and 「第二届…」 are not headings.
  ['cn-di', new RegExp(`^第(${CN_NUM})\\s*[、，,．.：:]`)],
  ['paren-cn', new RegExp(`^[（(]\\s*(${CN_NUM})\\s*[）)]\\s*[、.．]?`)],
  // "1." but not "1.63亿元" or "2025年": the marker must not be followed by a digit.
  ['arabic', /^(\d{1,2})\s*[.．、](?!\d)/],
  ['paren-arabic', /^[（(]\s*(\d{1,2})\s*[）)]\s*[、.．]?/],
  ['cn-shi', new RegExp(`^(${CN_NUM})是(?!否)`)],
];

/** A heading marker found at the start of a line. */
export interface HeadingMarker {
  style: HeadingStyle;
  /** The ordinal as a number (一 → 1, 十二 → 12, "3" → 3). */
  ordinal: number;
  /** Length of the marker text, e.g. 2 for 「一、」, 3 for 「（一）」. */
  length: number;
}


/**
 * The heading marker at the start of `line`, or null. With `includeShi`
 * false (the default) 「一是」 enumerations are not reported, because they
 * usually run inline inside a paragraph rather than start a section.
 */
export function headingMarker(line: string, includeShi = false): HeadingMarker | null {
  for (const [style, re] of PATTERNS) {
    if (style === 'cn-shi' && !includeShi) continue;
    const m = re.exec(line);
    if (m && m[1] !== undefined) {
      // A bare marker with nothing after it is not a heading (e.g. a list number alone on a line).
      if (line.length <= m[0].length) continue;
      return { style, ordinal: cnNumber(m[1]), length: m[0].length };
    }
  }
  return null;
}

/** Sentence-final punctuation: a line ending in one of these ends a sentence. */
export const SENTENCE_END = /[。！？；：!?;:…]$/;

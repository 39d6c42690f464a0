/**
 * Builds the section tree of a reply from its own numbering: 一、 / （一）or
 * (一) / 1. / (1) / 一是…, nested in the order they first appear (a reply that
 * goes 一、 → 1. nests 1. under 一、). Each section's `text` is its own body —
 * a verbatim run of the normalized text, without the heading and without its
 * children — so a chunk quoted from it can be found in the document.
 *
 * 一是/二是 enumerations usually run inline inside one paragraph (「一是…；二是…」);
 * splitting them would cut sentences apart, so they stay in the text. Only when
 * they start paragraphs of their own (a paragraph starting 「一是」 and another
 * starting 「二是」) do they become sections.
 *
 * Front matter and closing become sections named 开头 and 落款 so the title
 * lines, the opening paragraph and the contact line can be searched and cited
 * too; a reply with no numbered headings is a single section named 正文.
 */
import type { Section } from '../../src/types.ts';
import { CLOSING_SECTION, FRONT_SECTION, WHOLE_SECTION } from '../../src/domain/roles.ts';
import { headingMarker, type HeadingStyle } from './headings.ts';
import type { Layout } from './layout.ts';

/** Names of the sections that are not numbered in the reply itself (the shared lexicon of parts, src/domain/roles.ts). */
export { CLOSING_SECTION, FRONT_SECTION, WHOLE_SECTION } from '../../src/domain/roles.ts';

/** Headings longer than this (in characters) are cut at the first comma; the rest is body text. */
const MAX_HEADING = 60;

/**
 * Splits a heading paragraph into its heading and the body text that follows
 * on the same line: 「一、优化产业布局与技术创新。省商务厅…」 → heading
 * 「一、优化产业布局与技术创新」, body 「省商务厅…」. A trailing 。 or ： is
 * dropped from a heading that stands alone.
 */
export function splitHeading(paragraph: string, markerLength: number): { heading: string; body: string } {
  const rest = paragraph.slice(markerLength);
  const stop = /[。：:！？；]/.exec(rest);
  if (stop && stop.index <= MAX_HEADING) {
    return { heading: paragraph.slice(0, markerLength + stop.index).trim(), body: rest.slice(stop.index + 1).trim() };
  }
  if (paragraph.length <= MAX_HEADING) return { heading: paragraph, body: '' };
  const comma = /[，,]/.exec(rest);
  const cut = comma && comma.index <= 40 ? comma.index : 0;
  return { heading: paragraph.slice(0, markerLength + cut).trim(), body: rest.slice(cut + (comma && cut ? 1 : 0)).trim() };
}

/** Whether 一是/二是 start paragraphs of their own in `paragraphs` (then they are headings). */
function shiStartsParagraphs(paragraphs: string[]): boolean {
  const ordinals = new Set(paragraphs.map((p) => headingMarker(p, true)).filter((m) => m?.style === 'cn-shi').map((m) => m!.ordinal));
  return ordinals.has(1) && ordinals.has(2);
}

interface Open {
  style: HeadingStyle;
  section: Section;
}

/** Sections of the numbered body, in document order (parents before children). */
function bodySections(body: string[]): Section[] {
  const includeShi = shiStartsParagraphs(body);
  const sections: Section[] = [];
  const bodies = new Map<Section, string[]>();
  const items = new Map<Section, string>();
  const stack: Open[] = [];
  for (const paragraph of body) {
    const marker = headingMarker(paragraph, includeShi);
    const current = stack[stack.length - 1];
    if (!marker) {
      if (current) bodies.get(current.section)!.push(paragraph);
      continue;
    }
    const level = stack.findIndex((o) => o.style === marker.style);
    if (level >= 0) stack.length = level;
    const { heading, body: inline } = splitHeading(paragraph, marker.length);
    const section: Section = { path: [...stack.map((o) => o.section.heading), heading], heading, text: '' };
    sections.push(section);
    bodies.set(section, inline ? [inline] : []);
    items.set(section, paragraph.slice(marker.length).trim());
    stack.push({ style: marker.style, section });
  }
  for (const s of sections) s.text = bodies.get(s)!.join('\n');
  // A numbered item that is all heading (「（1）扩大风险补偿资金池规模。」, a whole
  // sentence with nothing after it) and has no children would have no text,
  // hence no chunk: its words could never be found or quoted. Its text is the
  // item itself, verbatim.
  const parents = new Set(sections.map((s) => s.path.slice(0, -1).join('\u0000')));
  for (const s of sections) {
    if (s.text === '' && !parents.has(s.path.join('\u0000'))) s.text = items.get(s)!;
  }
  return sections;
}

/** The section tree of a reply (see the module comment). */
export function parseSections(parts: Layout): Section[] {
  const { front, body, closing } = parts;
  if (body.length === 0) {
    const all = [...front, ...closing];
    return all.length > 0 ? [{ path: [WHOLE_SECTION], heading: WHOLE_SECTION, text: all.join('\n') }] : [];
  }
  const sections: Section[] = [];
  if (front.length > 0) sections.push({ path: [FRONT_SECTION], heading: FRONT_SECTION, text: front.join('\n') });
  sections.push(...bodySections(body));
  if (closing.length > 0) sections.push({ path: [CLOSING_SECTION], heading: CLOSING_SECTION, text: closing.join('\n') });
  return sections;
}

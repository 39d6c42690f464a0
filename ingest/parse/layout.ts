/**
 * Splits a reply's lines (normalized, furniture and metadata removed) into
 * its parts: the front matter (title, 发文字号, salutation, opening
 * paragraph), the numbered body, and the closing (signature, date, contact).
 * Fields and sections are then read from the part where they live, so a
 * 发文字号 cited in the body (「(吉科发资〔2022〕167号)」) is never mistaken for
 * the reply's own.
 */
import { cnNumber, headingMarker } from './headings.ts';
import { DATE_LINE, DAMAGED_DATE_LINE } from '../../src/domain/numbers.ts';
import { isBodyName } from '../../src/domain/bodies.ts';

/** The parts of a reply, each a list of paragraphs (lines of normalized text). */
export interface Layout {
  /** Paragraphs before the first numbered heading. */
  front: string[];
  /** From the first numbered heading to the closing. */
  body: string[];
  /** Signature, date, contact and 此复 lines at the end. */
  closing: string[];
}

/** A date on its own line, as under a signature. */
export const DATE_PARAGRAPH = DATE_LINE;
/**
 * The labels of a contact, one grammar for the closing's layout and the contact field: who (联系人 / 承办人 /
 * 经办人 / 联系单位 / 联系单位及承办人 …), perhaps 姓名, perhaps the phone joined to it (及电话, 及联系电话,
 * 和联系方式 …); or the phone alone (联系电话, 联系方式). 「联系人姓名及电话：」, 「经办人及联系电话：」 and
 * 「联系单位及承办人：」 are all one label.
 */
const CONTACT_PERSON = '联系单位及(?:联系人|承办人)|承办单位联系人|联系人|承办人|经办人';
const CONTACT_PHONE_JOINED = '(?:姓名)?(?:(?:及|和|与)(?:联系)?(?:电话|方式|手机))?';
/** The label before a person's name. */
export const CONTACT_PERSON_LABEL = `(?:${CONTACT_PERSON})${CONTACT_PHONE_JOINED}`;
/** Any contact label: a person's, a unit's (联系单位), or the phone's alone. */
export const CONTACT_LABEL_SOURCE = `(?:(?:${CONTACT_PERSON}|联系单位)${CONTACT_PHONE_JOINED}|联系电话|联系方式)`;
/** A contact line in any of the forms seen: 联系人 / 联 系 人 (normalized) / 承办人 / 经办人 / 联系电话, optionally in brackets. */
export const CONTACT_PARAGRAPH = new RegExp(`^[（(]?\\s*${CONTACT_LABEL_SOURCE}\\s*[:：]`);

/** A signing body on its own line, optionally followed by the date (「吉林省科学技术厅2025年5月28日」). */
export function isSignatureLine(p: string): boolean {
  const name = p.replace(/[0-9〇零一二三四五六七八九十○]{4}年.*日$/, '').replace(/[（(]\s*(?:盖章|印章)\s*[）)]$/, '').trim();
  return name.length >= 2 && isBodyName(name) && !headingMarker(p);
}

/**
 * Labelled lines of the closing: 抄送/抄报 (copies to), 会签 (co-signing
 * departments), 主送, 附件 (annex), 联系人/联系电话, 签发人. Exported for the
 * normalizer, which never glues such a line onto its neighbours.
 */
export const LABEL_PARAGRAPH = /^(?:抄送|抄报|会签|主送|附件\s*\d*|联系人|联系电话|签发人|签发|承办人|经办人|办理结果|答复类别)\s*[：:]/;
/** The courtesy line before the signature: 「感谢您对…的关心和支持。」, 「欢迎继续提出宝贵意见。」 */
const COURTESY_PARAGRAPH = /^(?:再次)?(?:衷心|非常|诚挚)?感谢(?:您|你|贵)[^。！]{0,60}[。！]$|^欢迎[^。！]{0,40}(?:意见|建议|监督|指导)[^。！]{0,10}[。！]$/;
/** 「附件」 alone or 「附件：…」 / 「附件1：…」: the start of an annex list. */
const ANNEX_PARAGRAPH = /^附件\s*\d*\s*(?:[：:]|$)/;
/** Longest line taken as an annex list item; a body paragraph is longer or ends a sentence. */
const MAX_ANNEX_ITEM = 60;

/** True for a line that belongs to the closing: signature, date, contact, labels, 此复, courtesy. */
function isClosingLine(p: string): boolean {
  return (
    DATE_PARAGRAPH.test(p) ||
    DAMAGED_DATE_LINE.test(p) ||
    CONTACT_PARAGRAPH.test(p) ||
    LABEL_PARAGRAPH.test(p) ||
    COURTESY_PARAGRAPH.test(p) ||
    /^(?:此复|特此答复|特此函复|专此答复|此致)[。.]?$/.test(p) ||
    /^[（(]\s*此件(?:主动|不予|依申请)?公开(?:发布)?\s*[)）]$/.test(p) ||
    isSignatureLine(p)
  );
}

/**
 * Index of an 附件 line whose following lines up to `end` are all short list
 * items (no sentence inside), or null. Looks back at most 20 lines.
 */
function annexStart(rest: string[], end: number): number | null {
  for (let i = end - 1; i >= Math.max(0, end - 20); i--) {
    const p = rest[i]!;
    if (ANNEX_PARAGRAPH.test(p)) return i;
    if (p.length > MAX_ANNEX_ITEM || /[。！？；]./.test(p)) return null;
  }
  return null;
}

/** A top-level heading marker inside a line, right after the end of a sentence or of the opening (「…答复如下:一、」). */
const INLINE_TOP_HEADING = /(?<=[。：:；！？!?])\s*([一二三四五六七八九十]{1,3})、/g;

/**
 * A reply whose body a page flattened into one table cell has its numbered headings inside one line
 * (「…现答复如下:一、工作现状…。二、下一步计划一是…」). The line is split before each of them — only when they
 * run 一、二、… in order, each after a sentence end, so a list inside a sentence (「一、二级公路」) stays; and
 * {@link layout} does it only for a reply none of whose lines starts with a heading.
 */
export function splitInlineHeadings(line: string): string[] {
  if (line.length < 80 || !line.includes('、')) return [line];
  const at = [...line.matchAll(INLINE_TOP_HEADING)].map((m) => ({ index: m.index + m[0].length - m[1]!.length - 1, ordinal: cnNumber(m[1]!) }));
  const run: number[] = [];
  for (const h of at) if (h.ordinal === run.length + 1) run.push(h.index);
  if (run.length < 2) return [line];
  const pieces = [line.slice(0, run[0])];
  for (let k = 0; k < run.length; k++) pieces.push(line.slice(run[k], run[k + 1] ?? line.length));
  return pieces.map((p) => p.trim()).filter((p) => p !== '');
}

/** Splits lines (one paragraph each) into the parts of a reply. */
export function layout(lines: readonly string[]): Layout {
  const kept = lines.filter((l) => l.trim() !== '');
  // Only a reply with no heading at the start of any line is flattened; elsewhere an inline 一、…二、… is a list in a paragraph.
  const rest = kept.some((l) => headingMarker(l) !== null) ? kept : kept.flatMap(splitInlineHeadings);
  let end = rest.length;
  for (;;) {
    while (end > 0 && isClosingLine(rest[end - 1]!)) end--;
    // An 附件 list (「附件：」 then 「1.…」 「2.…」) sits between the body and the signature;
    // its numbers must not open sections. Take it into the closing and keep walking back.
    const annex = annexStart(rest, end);
    if (annex === null) break;
    end = annex;
  }
  const first = rest.findIndex((p, i) => i < end && headingMarker(p) !== null);
  const start = first < 0 ? end : first;
  return { front: rest.slice(0, start), body: rest.slice(start, end), closing: rest.slice(end) };
}

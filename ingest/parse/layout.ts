/**
 * Splits a normalized reply into its three parts: the site's metadata table,
 * the front matter (title, 发文字号, salutation, opening paragraph), the
 * numbered body, and the closing (signature, date, contact). Fields and
 * sections are then read from the part where they live, so a 发文字号 cited in
 * the body (「(吉科发资〔2022〕167号)」) is never mistaken for the reply's own.
 */
import { headingMarker } from './headings.ts';

/** The parts of a reply, each a list of paragraphs (lines of normalized text). */
export interface Layout {
  /** Metadata-table cells by key without its colon (索引号, 分类, 发文机关, 成文日期, 标题, 发文字号, 发布日期 …). */
  meta: Map<string, string>;
  /** Paragraphs before the first numbered heading. */
  front: string[];
  /** From the first numbered heading to the closing. */
  body: string[];
  /** Signature, date, contact and 此复 lines at the end. */
  closing: string[];
}

export const DATE_PARAGRAPH = /^[0-9〇零一二三四五六七八九十○]{4}年[0-9〇零一二三四五六七八九十○]{1,3}月[0-9〇零一二三四五六七八九十○]{1,3}日$/;
export const CONTACT_PARAGRAPH = /^[（(]?联系人/;
/** A signing body: a short line naming an organisation (吉林省工业和信息化厅, 省科技厅, 某某市人民政府). */
export const SIGNATURE_PARAGRAPH = /^[\u4e00-\u9fff（）()]{2,30}(?:厅|局|委|委员会|办公室|办|院|部|会|联|政府|中心|署|处|室)$/;

/**
 * Labelled lines of the closing: 抄送/抄报 (copies to), 会签 (co-signing
 * departments), 主送, 附件 (annex), 联系人/联系电话. Exported for the
 * normalizer, which never glues such a line onto its neighbours.
 */
export const LABEL_PARAGRAPH = /^(?:抄送|抄报|会签|主送|附件\s*\d*|联系人|联系电话)\s*[：:]/;
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
    CONTACT_PARAGRAPH.test(p) ||
    LABEL_PARAGRAPH.test(p) ||
    COURTESY_PARAGRAPH.test(p) ||
    /^(?:此复|特此答复|特此函复)[。.]?$/.test(p) ||
    (SIGNATURE_PARAGRAPH.test(p) && !headingMarker(p))
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

/** Longest metadata-table row: 索引号, 分类, 标题 … rows are under 200 characters. */
const MAX_META_ROW = 1000;

/** Reads "key:\tvalue\tkey:\tvalue" rows; returns null when `line` is not such a row. */
function metaCells(line: string): Array<[string, string]> | null {
  // A table row is a few short cells; a longer line with a tab is text (a reply flattened onto one line), not metadata to drop.
  if (!line.includes('\t') || line.length > MAX_META_ROW) return null;
  const cells = line.split('\t').map((c) => c.trim());
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < cells.length; i++) {
    const key = /^([^:：]{1,10})[:：]$/.exec(cells[i]!);
    if (!key) continue;
    const value = cells[i + 1] ?? '';
    if (/[:：]$/.test(value) && value.length <= 11) continue; // an empty cell followed by the next key
    pairs.push([key[1]!, value]);
    i++;
  }
  return pairs.length > 0 ? pairs : null;
}

/** Splits normalized text (one paragraph per line) into its parts. */
export function layout(normalized: string): Layout {
  const meta = new Map<string, string>();
  const rest: string[] = [];
  for (const line of normalized.split('\n')) {
    const cells = metaCells(line);
    if (cells) for (const [k, v] of cells) meta.set(k, v);
    else if (line.trim() !== '') rest.push(line);
  }

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
  return { meta, front: rest.slice(0, start), body: rest.slice(start, end), closing: rest.slice(end) };
}

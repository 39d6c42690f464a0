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

/** Reads "key:\tvalue\tkey:\tvalue" rows; returns null when `line` is not such a row. */
function metaCells(line: string): Array<[string, string]> | null {
  if (!line.includes('\t')) return null;
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
  while (end > 0) {
    const p = rest[end - 1]!;
    const closingLine =
      DATE_PARAGRAPH.test(p) ||
      CONTACT_PARAGRAPH.test(p) ||
      /^(?:此复|特此答复|特此函复)[。.]?$/.test(p) ||
      (SIGNATURE_PARAGRAPH.test(p) && !headingMarker(p));
    if (!closingLine) break;
    end--;
  }
  const first = rest.findIndex((p, i) => i < end && headingMarker(p) !== null);
  const start = first < 0 ? end : first;
  return { meta, front: rest.slice(0, start), body: rest.slice(start, end), closing: rest.slice(end) };
}

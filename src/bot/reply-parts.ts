/**
 * A reply cut into the parts /doc offers as buttons: one per top-level
 * section (开头, 一、…, 二、…, 落款), each with its chunks in reading order.
 * Parts come from the stored chunks, not from `sections`, so what a button
 * shows is exactly the text the answers cite.
 */
import type { StoredChunk, StoredReply } from '../store/types.ts';

export interface ReplyPart {
  /** Button label: 「一」「二」… from the headings' own numbering, else 【1】【2】… */
  label: string;
  /** The top-level heading, or 正文 for chunks outside any section. */
  heading: string;
  chunks: StoredChunk[];
}

const NUMERAL = '[一二三四五六七八九十百零〇两]+';
const MARKERS = [new RegExp(`^第?(${NUMERAL})[、，,．.]`), /^(\d{1,3})[、，,．.]/, new RegExp(`^[（(](${NUMERAL}|\\d{1,3})[）)]`)];
/** Headings short enough to be their own label (开头, 落款, 正文). */
const SHORT_HEADING = 4;

/** The heading's own number (一 for 一、…, 3 for 3. …, 开头 for 开头), or null when it has none. */
function marker(heading: string): string | null {
  for (const re of MARKERS) {
    const m = re.exec(heading);
    if (m) return m[1]!;
  }
  return [...heading].length <= SHORT_HEADING ? heading : null;
}

/**
 * The reply's parts in reading order: consecutive chunks under the same
 * top-level section form one part. Labels use the headings' numbering when
 * every part has one and they are distinct (so the button reads like the
 * section list above it), else plain 【1】【2】….
 */
export function replyParts(reply: StoredReply, chunk: (id: string) => StoredChunk | undefined): ReplyPart[] {
  const parts: Array<Omit<ReplyPart, 'label'>> = [];
  for (const id of reply.chunkIds) {
    const c = chunk(id);
    if (!c) continue;
    const heading = c.metadata.section[0] ?? '正文';
    const last = parts.at(-1);
    if (last && last.heading === heading) last.chunks.push(c);
    else parts.push({ heading, chunks: [c] });
  }
  const marks = parts.map((p) => marker(p.heading));
  const usable = marks.every((m) => m !== null) && new Set(marks).size === marks.length;
  return parts.map((p, i) => ({ ...p, label: usable ? `「${marks[i]}」` : `【${i + 1}】` }));
}

/**
 * Listings by the reply's own sections: 「答复中提到了哪些支持措施？」 of a reply
 * written as 一、… （一）主要措施 （二）主要成效 （三）下步打算 under each point is
 * answered with every 主要措施 section, each under its point, rather than the
 * one sentence that shares most words with the question. Replies are chunked
 * by their sections, so the section headings say what each passage is.
 */
import { DraftBuilder } from './citations.ts';
import { replyLabel } from './fields.ts';
import type { Passage } from './retrieve.ts';
import { splitSentences } from './text.ts';
import type { Citation, Draft } from './types.ts';
import type { StoredChunk, StoredReply } from '../store/types.ts';

/** The question asks for a list (哪些, 有什么, 列出 …). */
export const ASKS_LIST = /哪些|有什么(?:措施|举措|办法|做法|政策|支持|成效|成果)|都有什么|列一下|列出|罗列/u;

/**
 * Words of a question that name a kind of section, with the heading words that kind goes by.
 * Promises (下一步, 打算) are left to the commitments composer.
 */
const SECTION_KINDS: Array<{ asked: RegExp; heading: RegExp; label: string }> = [
  { asked: /措施|举措|做法|办法|支持|政策/u, heading: /措施|举措|做法|工作开展|主要工作|开展情况|办理情况/u, label: '措施' },
  { asked: /成效|成果|效果|进展|成绩/u, heading: /成效|成果|效果|进展/u, label: '成效' },
];

/** At most this many sections are listed, and this many sentences of each quoted. */
const MAX_SECTIONS = 6;
const SENTENCES_PER_SECTION = 2;

export interface SectionListing {
  answer: string;
  citations: Citation[];
  draft: Draft;
}

/**
 * The listing, or null when the question does not ask for a list of a kind of
 * section, or the best passage's reply has fewer than two such sections.
 */
export function answerSections(question: string, passages: readonly Passage[], chunksOf: (replyId: string) => StoredChunk[]): SectionListing | null {
  if (!ASKS_LIST.test(question)) return null;
  const kind = SECTION_KINDS.find((k) => k.asked.test(question));
  const best = passages[0];
  if (!kind || !best) return null;
  const reply: StoredReply = best.reply;
  // Each section once: its first chunk, in reading order.
  const seen = new Set<string>();
  const sections = chunksOf(reply.id).filter((c) => {
    const path = c.metadata.section;
    const heading = path[path.length - 1] ?? '';
    const key = path.join(' > ');
    if (!kind.heading.test(heading) || seen.has(key) || c.metadata.text.trim() === '') return false;
    seen.add(key);
    return true;
  });
  if (sections.length < 2) return null;
  const b = new DraftBuilder();
  b.own(`${replyLabel(reply)}中列出的${kind.label}（共 ${sections.length} 部分${sections.length > MAX_SECTIONS ? `，列出前 ${MAX_SECTIONS} 部分` : ''}）：`);
  for (const c of sections.slice(0, MAX_SECTIONS)) {
    const parent = c.metadata.section.length > 1 ? c.metadata.section[c.metadata.section.length - 2] : c.metadata.section[0];
    const sentences = splitSentences(c.metadata.text);
    const shown = sentences.slice(0, SENTENCES_PER_SECTION);
    const first = shown[0];
    const last = shown[shown.length - 1];
    if (!first || !last) continue;
    // One line per section: two sentences when they share a paragraph, else the first.
    const span = c.metadata.text.slice(first.start, last.end);
    const text = span.includes('\n') ? first.text : span;
    b.own(`${parent ?? ''}：`);
    b.quote(text, c, reply, '· ', text.length < c.metadata.text.trim().length ? '（节选）' : '');
  }
  return b.result();
}

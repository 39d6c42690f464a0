/**
 * Turns a parsed reply into LangChain Documents, one per section body (the
 * lowest-level sections, plus any parent section's own text before its
 * children), split at sentence ends when longer than the budget.
 *
 * `pageContent` (what gets embedded) starts with a short context header —
 * 《proposal title》 (or the reply title) and the section path joined by
 * ' > ' — so a chunk such as 「（三）下步打算」 still knows what it is about;
 * `metadata.text` (what users see and quotes must come from) is the body
 * alone, a verbatim substring of the section text.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { Document } from '@langchain/core/documents';
import type { ChunkMetadata, ParsedReply, ReplyFields } from '../src/types.ts';
import { passageRole } from '../src/domain/roles.ts';
import { DafuInputError } from '../src/errors.ts';

/** Default budget in characters; the same default as the CHUNK_SIZE setting. ~500 Chinese characters is a few paragraphs, small enough for a precise citation. */
export const DEFAULT_CHUNK_SIZE = 500;
/** Default overlap in characters; the same default as CHUNK_OVERLAP. Whole sentences only, so it is at most this much. */
export const DEFAULT_CHUNK_OVERLAP = 80;

/** Options of {@link chunkReply}. */
export interface ChunkOptions {
  /** Hash of the file's content; ids derive from it so the same content always yields the same ids. */
  fileHash: string;
  /** Budget per chunk body in characters (default {@link DEFAULT_CHUNK_SIZE}; pass config CHUNK_SIZE). */
  chunkSize?: number;
  /** Characters of the previous part repeated at the start of the next one (default {@link DEFAULT_CHUNK_OVERLAP}; pass config CHUNK_OVERLAP). */
  overlap?: number;
}

interface Span {
  start: number;
  end: number;
}

/** Sentence spans of `text`: each ends after 。！？； (and any closing quotes) or at a line end; whitespace between is left out. */
export function sentences(text: string): Span[] {
  const spans: Span[] = [];
  const re = /[。！？；!?;][”’」』"']*|\n/g;
  let start = 0;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s) spans.push({ start: s, end: e });
  };
  for (const m of text.matchAll(re)) {
    push(m.index + m[0].length);
    start = m.index + m[0].length;
  }
  push(text.length);
  return spans;
}

/**
 * Splits `text` into parts of at most `size` characters at sentence ends,
 * each part after the first starting with the last whole sentences of the
 * previous part that fit in `overlap`. A single sentence longer than `size`
 * is cut into windows of `size` characters overlapping by `overlap`, the only
 * case where a cut falls mid-sentence. Every part is a substring of `text`.
 */
export function splitText(text: string, size: number, overlap: number): string[] {
  const spans = sentences(text);
  if (spans.length === 0) return [];
  const whole = { start: spans[0]!.start, end: spans[spans.length - 1]!.end };
  if (whole.end - whole.start <= size) return [text.slice(whole.start, whole.end)];

  const parts: string[] = [];
  let i = 0;
  while (i < spans.length) {
    const first = spans[i]!;
    if (first.end - first.start > size) {
      const step = Math.max(1, size - overlap);
      for (let s = first.start; s < first.end; s += step) {
        parts.push(text.slice(s, Math.min(s + size, first.end)));
        if (s + size >= first.end) break;
      }
      i++;
      continue;
    }
    let j = i + 1;
    while (j < spans.length && spans[j]!.end - first.start <= size) j++;
    parts.push(text.slice(first.start, spans[j - 1]!.end));
    if (j >= spans.length) break;
    // Step back over whole sentences that fit in the overlap, but always move forward.
    let k = j;
    while (k - 1 > i && spans[j - 1]!.end - spans[k - 1]!.start <= overlap) k--;
    // The next part must have room for at least one new sentence after the repeated ones.
    while (k < j && spans[j]!.end - spans[k]!.start > size) k++;
    i = k;
  }
  return parts;
}

/** The embedding header: 《proposal title》 (else the title, else the file name) and the section path. */
function contextHeader(reply: ParsedReply, path: string[]): string {
  const about = reply.proposalTitle ? `《${reply.proposalTitle}》` : (reply.title ?? basename(reply.file));
  return [about, ...path].join(' > ');
}

/** Stable chunk id: the first 32 hex digits of sha256(fileHash:order:part). */
export function chunkId(fileHash: string, order: number, part: number): string {
  return createHash('sha256').update(`${fileHash}:${order}:${part}`).digest('hex').slice(0, 32);
}

/**
 * Chunks a parsed reply (see the module comment). Sections with no text of
 * their own (a parent whose body is all in its children) give no chunk.
 * @throws DafuInputError when the budget or overlap is not usable.
 */
export function chunkReply(reply: ParsedReply, opts: ChunkOptions): Document<ChunkMetadata>[] {
  const size = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const overlap = opts.overlap ?? DEFAULT_CHUNK_OVERLAP;
  if (!Number.isInteger(size) || size < 1) throw new DafuInputError(`ingest/chunk: chunk size must be a positive integer, got ${size} (CHUNK_SIZE)`);
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= size) {
    throw new DafuInputError(`ingest/chunk: overlap must be at least 0 and smaller than the chunk size ${size}, got ${overlap} (CHUNK_OVERLAP)`);
  }
  const { file, sections: _sections, commitments: _commitments, ...rest } = reply;
  const fields: ReplyFields = rest;
  const docs: Document<ChunkMetadata>[] = [];
  let order = 0;
  for (const section of reply.sections) {
    const parts = splitText(section.text, size, overlap);
    parts.forEach((text, part) => {
      const id = chunkId(opts.fileHash, order, part);
      const metadata: ChunkMetadata = { ...fields, id, file, section: section.path, order, part, parts: parts.length, text, role: passageRole(section.path) };
      docs.push(new Document<ChunkMetadata>({ pageContent: `${contextHeader(reply, section.path)}\n${text}`, metadata, id }));
      order++;
    });
  }
  return docs;
}

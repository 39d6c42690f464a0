/**
 * The on-disk form of `records.json`, and its conversion to and from the
 * in-memory {@link RecordsFile}.
 *
 * Why a compact form: a chunk's text is a slice of its section's text, its
 * metadata repeats every field of its reply, and its pageContent is a
 * context header plus that text again. Stored literally, that was five
 * copies of the corpus (records.json alone was ~5× the corpus). On disk a
 * chunk is now `[sectionIndex, start, end, part, parts, role]` into its reply's
 * sections, and a commitment `[actor, sectionIndex, start, end, departments]`; everything
 * else is rebuilt on reading, identical to what was written.
 *
 * Lossless by construction: the encoder decodes each compact entry and
 * compares it with the original; anything that does not come back exactly
 * (a chunk whose text is not a slice of its section, a header that is not
 * the usual one) is stored verbatim instead.
 */
import type { PassageRole } from '../domain/roles.ts';
import type { ChunkMetadata, Commitment, ReplyFields, Section } from '../types.ts';
import type { RecordsFile } from './layout.ts';
import type { StoredChunk, StoredReply } from './types.ts';

/** `[sectionIndex, start, end, part, parts, role]`: the text is `sections[sectionIndex].text.slice(start, end)`. */
type ChunkRef = [number, number, number, number, number, PassageRole];
/** `[actor, sectionIndex, start, end, departments]`: the text is a slice of that section, the path is the section's. */
type CommitmentRef = [string | null, number, number, number, string[]];

/** A reply on disk: the reply without its commitments, plus compact chunks and commitments. */
export interface CompactReply extends Omit<StoredReply, 'commitments'> {
  /** First part of every chunk's context header (《proposal title》, else the title, else the file name). */
  about: string;
  /** Aligned with `chunkIds`. */
  chunks: Array<ChunkRef | StoredChunk>;
  commitments: Array<CommitmentRef | Commitment>;
}

/** Version of the compact form: 3 added each chunk's role and each commitment's departments. One constant for the whole-file and the streamed writer. */
export const RECORDS_VERSION = 3;

/** Content of `records.json`. */
export interface CompactRecordsFile {
  format: 'dafu-records';
  version: typeof RECORDS_VERSION;
  replies: CompactReply[];
}

/** The reply's own fields, which every chunk's metadata repeats. */
function replyFields(reply: StoredReply | CompactReply): ReplyFields {
  const { file: _f, sections: _s, commitments: _c, id: _i, hash: _h, chunkIds: _ids, ...rest } = reply as StoredReply;
  const { about: _a, chunks: _ch, ...fields } = rest as typeof rest & { about?: unknown; chunks?: unknown };
  return fields;
}

/** Equality of JSON values; strings and string arrays (all chunk metadata holds) without serializing. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  return typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b);
}

function sameChunk(a: StoredChunk, b: StoredChunk): boolean {
  if (a.id !== b.id || a.replyId !== b.replyId || a.pageContent !== b.pageContent) return false;
  const ma = a.metadata as unknown as Record<string, unknown>;
  const mb = b.metadata as unknown as Record<string, unknown>;
  const keys = new Set([...Object.keys(ma), ...Object.keys(mb)]);
  for (const k of keys) if (!sameValue(ma[k], mb[k])) return false;
  return true;
}

function header(about: string, path: readonly string[]): string {
  return [about, ...path].join(' > ');
}

function decodeChunk(ref: ChunkRef, order: number, reply: CompactReply, fields: ReplyFields): StoredChunk | undefined {
  const [s, start, end, part, parts, role] = ref;
  const section: Section | undefined = reply.sections[s];
  const id = reply.chunkIds[order];
  if (!section || id === undefined) return undefined;
  const text = section.text.slice(start, end);
  const metadata: ChunkMetadata = { ...fields, id, file: reply.file, section: section.path, order, part, parts, text, role };
  return { id, replyId: reply.id, pageContent: `${header(reply.about, section.path)}\n${text}`, metadata };
}

function decodeCommitment(ref: CommitmentRef, reply: CompactReply): Commitment | undefined {
  const [actor, s, start, end, departments] = ref;
  const section = reply.sections[s];
  return section ? { actor, departments, section: section.path, text: section.text.slice(start, end) } : undefined;
}

/** The context header's first part, taken from the first chunk (they all share it when made by ingest/chunk.ts). */
function aboutOf(chunks: readonly StoredChunk[]): string {
  const c = chunks[0];
  if (!c) return '';
  const head = c.pageContent.slice(0, Math.max(0, c.pageContent.length - c.metadata.text.length - 1));
  const suffix = c.metadata.section.length ? ` > ${c.metadata.section.join(' > ')}` : '';
  return head.endsWith(suffix) ? head.slice(0, head.length - suffix.length) : head;
}

/** Index of the first section at or after `from` whose path is `path` and whose text contains `text` at or after `at`. */
function findSection(sections: readonly Section[], path: readonly string[], text: string, from: number): { s: number; start: number } | null {
  const key = JSON.stringify(path);
  for (let s = Math.max(0, from); s < sections.length; s++) {
    const section = sections[s] as Section;
    if (JSON.stringify(section.path) !== key) continue;
    const start = section.text.indexOf(text);
    if (start >= 0) return { s, start };
  }
  return null;
}

function encodeReply(reply: StoredReply, chunksById: ReadonlyMap<string, StoredChunk>): CompactReply {
  const chunks = reply.chunkIds.map((id) => {
    const c = chunksById.get(id);
    if (!c) throw new Error(`records: reply ${reply.file} lists chunk ${id}, which is not among the chunks`);
    return c;
  });
  const { commitments, ...rest } = reply;
  const compact: CompactReply = { ...rest, about: aboutOf(chunks), chunks: [], commitments: [] };
  const fields = replyFields(reply);
  let from = 0;
  chunks.forEach((c, order) => {
    // Parts of one section are consecutive; a new section starts after the previous chunk's one.
    const found = findSection(reply.sections, c.metadata.section, c.metadata.text, c.metadata.part > 0 ? from : from + (order > 0 ? 1 : 0));
    const ref: ChunkRef | null = found ? [found.s, found.start, found.start + c.metadata.text.length, c.metadata.part, c.metadata.parts, c.metadata.role] : null;
    const back = ref ? decodeChunk(ref, order, compact, fields) : undefined;
    if (ref && back && sameChunk(back, c)) {
      compact.chunks.push(ref);
      from = ref[0];
    } else {
      compact.chunks.push(c);
    }
  });
  for (const commitment of commitments) {
    const found = findSection(reply.sections, commitment.section, commitment.text, 0);
    const ref: CommitmentRef | null = found ? [commitment.actor, found.s, found.start, found.start + commitment.text.length, commitment.departments] : null;
    const back = ref ? decodeCommitment(ref, compact) : undefined;
    compact.commitments.push(ref && back && sameValue(back, commitment) ? ref : commitment);
  }
  return compact;
}

/**
 * One reply's entry in the compact form, from the reply and its own chunks:
 * for a writer that streams `records.json` reply by reply (see
 * {@link RECORDS_JSON_HEAD}) instead of holding every reply until the end.
 */
export function encodeReplyRecord(reply: StoredReply, chunks: readonly StoredChunk[]): CompactReply {
  return encodeReply(reply, new Map(chunks.map((c) => [c.id, c])));
}

/**
 * `records.json` streamed: this, then each {@link encodeReplyRecord} as JSON
 * separated by commas, then {@link RECORDS_JSON_TAIL}; the same bytes as
 * `JSON.stringify(encodeRecords(records))`.
 */
export const RECORDS_JSON_HEAD = `{"format":"dafu-records","version":${RECORDS_VERSION},"replies":[`;
export const RECORDS_JSON_TAIL = ']}';

/** The compact on-disk form of `records` (see the module comment). Throws if a reply lists a chunk that is missing. */
export function encodeRecords(records: RecordsFile): CompactRecordsFile {
  const byId = new Map(records.chunks.map((c) => [c.id, c]));
  return { format: 'dafu-records', version: RECORDS_VERSION, replies: records.replies.map((r) => encodeReply(r, byId)) };
}

/** Rebuilds the records from their compact form; throws on anything that is not one (the caller reports a damaged store). */
export function decodeRecords(json: unknown): RecordsFile {
  const j = json as Partial<CompactRecordsFile> | null;
  if (!j || j.format !== 'dafu-records' || j.version !== RECORDS_VERSION || !Array.isArray(j.replies)) throw new Error('not a dafu records file (or an unsupported version)');
  const replies: StoredReply[] = [];
  const chunks: StoredChunk[] = [];
  for (const compact of j.replies) {
    const fields = replyFields(compact);
    compact.chunks.forEach((entry, order) => {
      const c = Array.isArray(entry) ? decodeChunk(entry, order, compact, fields) : entry;
      if (!c) throw new Error(`chunk ${order} of ${compact.file} points outside its reply`);
      chunks.push(c);
    });
    const commitments = compact.commitments.map((entry) => {
      const c = Array.isArray(entry) ? decodeCommitment(entry, compact) : entry;
      if (!c) throw new Error(`a commitment of ${compact.file} points outside its reply`);
      return c;
    });
    const { about: _a, chunks: _c, commitments: _cm, ...reply } = compact;
    replies.push({ ...reply, commitments });
  }
  return { replies, chunks };
}

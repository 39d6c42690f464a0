/**
 * 「省科技厅做了什么？」/「省商务厅为通钢做了哪些工作」: what a department
 * did, as a listing like the commitments answer — grouped by reply, each
 * line a verbatim quote with its marker, capped with a count of what is left
 * out. A three-sentence extract answers such a question with one sentence
 * and hides the rest of the work.
 */
import type { StoredChunk, StoredReply } from '../store/types.ts';
import { DraftBuilder } from './citations.ts';
import { replyHeading } from './commitments.ts';
import { canonicalDepartment, findDepartments } from '../domain/departments.ts';
import { type WeightedTerm, coverage } from './relevance.ts';
import { splitSentences } from './text.ts';
import type { Citation, Draft } from './types.ts';

/** 做了什么 / 做了哪些工作 / 采取了哪些措施 / 开展了哪些工作 / 有哪些举措 / 干了什么. */
const DONE_CUES = /(?:做|干|办)了(?:什么|哪些|啥|些什么)|(?:做|开展|采取|实施|推进|落实)了?(?:哪些|什么|些什么)(?:工作|措施|举措|行动|事)|有(?:哪些|什么)(?:工作|措施|举措)|(?:做|开展)了.{0,8}(?:哪些|什么)工作|(?:哪些|什么)(?:工作|措施|举措)/u;

/** True when `question` asks what was done (not what will be done: the commitments route comes first). */
export function asksWhatWasDone(question: string): boolean {
  return DONE_CUES.test(question);
}

/** Section headings of what a reply plans rather than what was done; those are the commitments answer's. */
const PLAN_SECTION = /下一?步|下阶段|打算|工作安排|工作计划|今后/u;
/** The opening and the signature say who and when, not what was done. */
const FRAME_SECTION = /^(?:开头|落款)$/u;

/** Words of such a question that only say "which work" (jieba pieces included), not what the work is about. */
const GENERIC = new Set(['工作', '措施', '举措', '行动', '事情', '哪些', '什么', '做', '做了', '开展', '采取', '实施', '推进', '落实', '有', '了', '干', '办']);

/** Most lines listed; the rest are counted (default, so a listing stays a screenful). */
export const ACTIVITY_LIMIT = 12;
/** Characters of a passage quoted for one line: its opening sentences up to this length (at least the first). */
const QUOTE_CHARS = 160;

export interface ActivityQuery {
  /** Canonical departments asked about. */
  departments: readonly string[];
  /** Replies in scope (after filters and lookup). */
  scope: readonly StoredReply[];
  /** Topic terms of the question (see {@link activityTopicTerms}). */
  terms: readonly WeightedTerm[];
  chunksOf(replyId: string): StoredChunk[];
  /** Sentences that are promises (next steps): not "done". */
  isPromise(replyId: string, sentence: string): boolean;
  /** Canonical departments a chunk names (the engine's CorpusIndex keeps them): a chunk naming none asked about has no sentence to list. */
  named?(chunk: StoredChunk): ReadonlySet<string>;
  /** The departments' {@link activityLines} over `scope`, when already known (the CorpusIndex keeps them per department); default: worked out here. */
  lines?: readonly ActivityLine[];
  limit?: number;
}

/** One thing a department did: a verbatim slice of a chunk, with its place in reading order. */
export interface ActivityLine {
  reply: StoredReply;
  chunk: StoredChunk;
  text: string;
  order: number;
}

interface Line extends ActivityLine {
  /** Topic coverage of the chunk (1 without topic terms). */
  score: number;
}

/** The opening sentences of `text` from `from`, as one verbatim slice of at most QUOTE_CHARS (at least one sentence). */
function opening(text: string, from = 0): string {
  const sentences = splitSentences(text).filter((s) => s.start >= from);
  const first = sentences[0];
  if (!first) return '';
  let end = first.end;
  for (const s of sentences.slice(1)) {
    if (Array.from(text.slice(first.start, s.end)).length > QUOTE_CHARS) break;
    // A new line is a new paragraph: stop there so a line reads as one thought.
    if (text.slice(end, s.start).includes('\n')) break;
    end = s.end;
  }
  return text.slice(first.start, end);
}

/** Per top-level part: the departments its first sentence names (empty when it names none, e.g. 「近年来，我省…」). */
function sectionOwners(chunks: readonly StoredChunk[]): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const c of chunks) {
    const head = c.metadata.section[0] ?? '';
    if (owners.has(head)) continue;
    const first = splitSentences(c.metadata.text)[0]?.text ?? '';
    owners.set(head, findDepartments(first).map((m) => m.department));
  }
  return owners;
}

/**
 * Topic terms of `question` beyond who and "which work": generic words,
 * department names and their pieces (jieba cuts 省工信厅 into 工信 …) removed.
 */
export function activityTopicTerms(question: string, terms: readonly WeightedTerm[]): WeightedTerm[] {
  const mentions = findDepartments(question).map((m) => m.text);
  return terms.filter((t) => !GENERIC.has(t.term) && findDepartments(t.term).length === 0 && !mentions.some((m) => m.includes(t.term)));
}

/**
 * The listing, or null when the replies in scope show nothing the department
 * did. Replies the department issued contribute each passage of their
 * non-planning parts (its opening sentences); other replies contribute the
 * sentences that name the department. With topic terms, passages covering at
 * least half of them are kept (all, if none does — the department's own
 * sentences still answer 「为通钢做了哪些工作」 when they write 通化钢铁).
 */
/**
 * What the departments did, as lines in reading order (reply by reply):
 * replies they issued contribute each passage of their non-planning parts
 * (its opening sentences); other replies, the sentences that name them.
 * Independent of the question's topic, so the CorpusIndex keeps it per
 * department.
 */
export function activityLines(query: Pick<ActivityQuery, 'departments' | 'scope' | 'chunksOf' | 'isPromise' | 'named'>): ActivityLine[] {
  const depts = new Set(query.departments);
  const lines: ActivityLine[] = [];
  let order = 0;
  for (const reply of query.scope) {
    const issued = reply.issuer !== null && depts.has(canonicalDepartment(reply.issuer));
    const chunks = query.chunksOf(reply.id);
    const owners = sectionOwners(chunks);
    for (const chunk of chunks) {
      const path = chunk.metadata.section;
      if (path.some((s) => PLAN_SECTION.test(s)) || (path.length === 1 && FRAME_SECTION.test(path[0] as string))) continue;
      const text = chunk.metadata.text;
      // In a joint reply a part that opens with another department (「省商务厅积极推动…」) is that department's work.
      const owner = owners.get(path[0] ?? '') ?? [];
      if (issued && (owner.length === 0 || owner.some((d) => depts.has(d)))) {
        const quote = opening(text);
        if (Array.from(quote).length >= 8 && !query.isPromise(reply.id, quote)) lines.push({ reply, chunk, text: quote, order: order++ });
        continue;
      }
      if (query.named && ![...query.named(chunk)].some((d) => depts.has(d))) continue;
      for (const s of splitSentences(text)) {
        if (Array.from(s.text).length < 8 || query.isPromise(reply.id, s.text)) continue;
        if (!findDepartments(s.text).some((m) => depts.has(m.department))) continue;
        lines.push({ reply, chunk, text: s.text, order: order++ });
      }
    }
  }
  return lines;
}

export function answerActivities(query: ActivityQuery): { answer: string; citations: Citation[]; draft: Draft } | null {
  const found = query.lines ?? activityLines(query);
  // A passage's coverage of the topic, worked out once per chunk (several lines may come from one chunk).
  const coverageOf = new Map<string, number>();
  const scoreOf = (chunk: StoredChunk): number => {
    if (query.terms.length === 0) return 1;
    let score = coverageOf.get(chunk.id);
    if (score === undefined) coverageOf.set(chunk.id, (score = coverage(query.terms, `${chunk.metadata.text} ${chunk.metadata.section.join(' ')}`)));
    return score;
  };
  if (found.length === 0) return null;
  const limit = query.limit ?? ACTIVITY_LIMIT;
  let matching: readonly ActivityLine[];
  let chosen: ActivityLine[];
  if (query.terms.length === 0) {
    // No topic: every line in reading order (lines come in it), so the first `limit` are the ones shown.
    matching = found;
    chosen = found.slice(0, limit);
  } else {
    const lines: Line[] = found.map((l) => ({ ...l, score: scoreOf(l.chunk) }));
    const onTopic = lines.filter((l) => l.score >= 0.5);
    const scored = onTopic.length > 0 ? onTopic : lines;
    matching = scored;
    // Best-covering first; shown grouped by reply.
    chosen = [...scored].sort((a, b) => b.score - a.score || a.order - b.order).slice(0, limit);
  }
  const byReply = new Map<string, ActivityLine[]>();
  for (const l of chosen.sort((a, b) => a.order - b.order)) byReply.set(l.reply.id, [...(byReply.get(l.reply.id) ?? []), l]);

  const b = new DraftBuilder();
  const who = query.departments.join('、');
  // Lines come reply by reply: count the changes of reply.
  let replyCount = 0;
  for (const [i, l] of matching.entries()) if (i === 0 || (matching[i - 1] as ActivityLine).reply.id !== l.reply.id) replyCount++;
  const partial = matching.length > chosen.length ? `，以下列出前 ${chosen.length} 条` : '';
  b.own(`${who}：共 ${matching.length} 条相关工作，来自 ${replyCount} 份答复${partial}。`);
  for (const items of byReply.values()) {
    b.own(`  ▸ ${replyHeading((items[0] as ActivityLine).reply)}`);
    for (const l of items) b.quote(l.text, l.chunk, l.reply, '  · ');
  }
  const left = matching.length - chosen.length;
  if (left > 0) b.own(`另有 ${left} 条未列出，可加上主题或答复编号缩小范围再问。`);
  return b.result();
}

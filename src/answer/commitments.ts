/**
 * Commitment answers (下一步 / 承诺 / 打算 / 「X厅答应了什么」): answered
 * from the commitments extracted at ingest, grouped by the department that
 * made them, each sentence quoted verbatim with its citation.
 */
import type { Store, StoredChunk, StoredReply } from '../store/types.ts';
import { CitationList } from './citations.ts';
import { canonicalDepartment, findDepartments } from './departments.ts';
import { type WeightedTerm, coverage } from './relevance.ts';
import { splitSentences } from './text.ts';
import type { Citation, CommitmentEntry } from './types.ts';

/** Words that make a question about promises rather than about what was done. */
const COMMITMENT_CUES = /下一步|下步|下阶段|承诺|打算|答应|计划|将要|准备怎么|今后|未来.{0,3}(?:工作|安排|怎么)|后续/u;

/**
 * Share of the topic terms a promise must cover to be quoted for a topical
 * commitment question: half, so 「黑土地保护下一步怎么做」 does not get the
 * 知识产权保护 promise just for sharing 保护.
 */
const MIN_TOPIC_COVERAGE = 0.5;

/** True when `question` asks what a department promised or plans. */
export function isCommitmentQuestion(question: string): boolean {
  return COMMITMENT_CUES.test(question);
}

/** Canonical departments an actor string names (「省委组织部、省教育厅」 names two). */
export function actorDepartments(actor: string | null): string[] {
  if (!actor) return [];
  const found = findDepartments(actor).map((d) => d.department);
  return found.length > 0 ? found : [canonicalDepartment(actor)];
}

/** The chunk of `chunks` containing `text` verbatim, else the one containing its first sentence, else null. */
function chunkContaining(chunks: readonly StoredChunk[], text: string): StoredChunk | null {
  const whole = chunks.find((c) => c.metadata.text.includes(text));
  if (whole) return whole;
  const first = splitSentences(text)[0]?.text;
  return (first && chunks.find((c) => c.metadata.text.includes(first))) || null;
}

/** Every commitment of the store with where it comes from; the actor falls back to the issuer. */
export function commitmentEntries(store: Store): CommitmentEntry[] {
  const out: CommitmentEntry[] = [];
  for (const reply of store.replies) {
    const chunks = store.chunksOf(reply.id);
    for (const c of reply.commitments) {
      out.push({
        actor: c.actor ?? reply.issuer,
        section: c.section,
        text: c.text,
        reply: { id: reply.id, file: reply.file, title: reply.title, proposalTitle: reply.proposalTitle, docNumber: reply.docNumber, issuer: reply.issuer, date: reply.date },
        chunkId: chunkContaining(chunks, c.text)?.id ?? null,
      });
    }
  }
  return out;
}

/**
 * Commitments matching `filter`: a department (any alias, matched against the
 * actor) or else a keyword in the text. No filter → all.
 */
export function filterCommitments(entries: readonly CommitmentEntry[], filter?: string): CommitmentEntry[] {
  const f = filter?.trim();
  if (!f) return [...entries];
  const depts = findDepartments(f).map((d) => d.department);
  if (depts.length > 0) return entries.filter((e) => actorDepartments(e.actor).some((d) => depts.includes(d)));
  return entries.filter((e) => e.text.includes(f) || (e.actor ?? '').includes(f));
}

export interface CommitmentAnswer {
  answer: string;
  citations: Citation[];
}

export interface CommitmentQuery {
  /** Canonical departments named in the question (the actors asked about). */
  departments: readonly string[];
  /** Replies the question is restricted to (by number, name, filter); undefined = all. */
  replyIds?: ReadonlySet<string>;
  /** Topic terms without department names and cue words; empty for 「X厅下一步打算做什么」. */
  terms: readonly WeightedTerm[];
  /** Most sentences listed; default 6. */
  limit?: number;
}

/**
 * Answers from commitments, or null when none fit (the caller then answers
 * extractively). With topic terms, the sentences covering at least half of
 * them, best first; without, each commitment's opening sentences in reading
 * order. Output groups lines under 「部门：」 headers; every line is a verbatim
 * sentence and its marker.
 */
export function answerCommitments(store: Store, entries: readonly CommitmentEntry[], query: CommitmentQuery): CommitmentAnswer | null {
  const limit = query.limit ?? 6;
  const replyById = new Map(store.replies.map((r) => [r.id, r]));
  let pool = entries.filter((e) => !query.replyIds || query.replyIds.has(e.reply.id));
  if (query.departments.length > 0) pool = pool.filter((e) => actorDepartments(e.actor).some((d) => query.departments.includes(d)));
  if (pool.length === 0) return null;

  interface Candidate {
    entry: CommitmentEntry;
    reply: StoredReply;
    chunk: StoredChunk;
    sentence: string;
    score: number;
    order: number;
  }
  const candidates: Candidate[] = [];
  let order = 0;
  for (const entry of pool) {
    const reply = replyById.get(entry.reply.id);
    if (!reply) continue;
    const chunks = store.chunksOf(reply.id);
    splitSentences(entry.text).forEach((s, i) => {
      // Only sentences we can cite verbatim are ever shown.
      const chunk = chunks.find((c) => c.metadata.text.includes(s.text));
      if (!chunk || Array.from(s.text).length < 6) return;
      const score = query.terms.length > 0 ? coverage(query.terms, s.text) : 1 - i * 0.1;
      candidates.push({ entry, reply, chunk, sentence: s.text, score, order: order++ });
    });
  }

  let chosen: Candidate[];
  if (query.terms.length > 0) {
    chosen = candidates.filter((c) => c.score >= MIN_TOPIC_COVERAGE).sort((a, b) => b.score - a.score || a.order - b.order).slice(0, limit);
  } else {
    // No topic: the opening sentences of each commitment, at most two each, so every promise shows.
    const perEntry = new Map<CommitmentEntry, number>();
    chosen = candidates.filter((c) => {
      const n = perEntry.get(c.entry) ?? 0;
      perEntry.set(c.entry, n + 1);
      return n < 2;
    }).slice(0, limit);
  }
  if (chosen.length === 0) return null;

  // Group by the actor asked about (or the entry's first department), keeping first-seen order.
  const groups = new Map<string, Candidate[]>();
  for (const c of chosen) {
    const depts = actorDepartments(c.entry.actor);
    const key = depts.find((d) => query.departments.includes(d)) ?? (depts.length === 1 ? (depts[0] as string) : c.entry.actor ?? '未署名部门');
    const g = groups.get(key) ?? [];
    g.push(c);
    groups.set(key, g);
  }
  const list = new CitationList();
  const lines: string[] = [];
  for (const [actor, items] of groups) {
    lines.push(`${actor}：`);
    for (const c of items) lines.push(`· ${c.sentence}[${list.add(c.chunk, c.reply)}]`);
  }
  return { answer: lines.join('\n'), citations: list.list() };
}

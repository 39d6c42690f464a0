/**
 * Hybrid retrieval: exact lookup and filters decide which replies are in
 * play, dense (HNSW) and lexical (BM25) search rank their chunks, fusion
 * merges the rankings, and a per-reply cap keeps the top results diverse.
 */
import type { Store, StoredChunk, StoredReply } from '../store/types.ts';
import type { PassageScores } from './types.ts';
import { type Filters, isEmpty, replyYear } from './filters.ts';
import { type FusedHit, type RankedList, capPerGroup, fuse } from './fuse.ts';
import { type LookupResult, canonicalProposalNumber, recipientName } from './lookup.ts';
import { type TermScorer, type WeightedTerm, coverage, coverageOfLowercase } from './relevance.ts';
import type { Question } from './understand.ts';
import { CorpusIndex, type ReplySelection } from './corpus-index.ts';

/** A retrieved chunk with its reply and everything needed to explain its rank. */
/** A retrieved passage; its `relevance` counts the reply's header with the chunk. */
export interface Passage extends PassageScores {
  chunk: StoredChunk;
  reply: StoredReply;
}

export interface RetrieveOptions {
  k: number;
  maxPerReply: number;
  fusion: 'rrf' | 'weighted';
  /** Filters given explicitly (strict). */
  filters?: Filters;
  /** Restrict to these replies (a follow-up about "this" reply). */
  replyIds?: readonly string[];
  /** Most hits of the lookup list; default {@link lookupCap} of the candidate pool. */
  lookupCap?: number;
  /** The store's index built by the engine; default: built for this call (slow on a big store: for tests). */
  corpus?: CorpusIndex;
}

export interface Retrieval {
  question: string;
  passages: Passage[];
  lookup: LookupResult;
  /** Filters actually applied (explicit ones, plus parsed ones that left something to search). */
  filters: Filters;
  /** Topic terms of the question (identifiers removed) with their weights. */
  topicTerms: WeightedTerm[];
  /** Best passage relevance (0 when nothing was retrieved). */
  relevance: number;
  /** True when explicit filters or named identifiers exclude every reply. */
  nothingMatches: boolean;
  /** The replies searched (after filters and lookup). */
  scope: StoredReply[];
  timings: Record<string, number>;
}

// What passages are scored on (the CorpusIndex computes it once per chunk); re-exported for retrieve's callers.
export { replyContext, scoringText, scoringTextAndMentions } from './scoring-text.ts';

/**
 * Most hits the lookup list contributes: enough to hold every chunk of a few
 * named replies (the usual case, unchanged), but a body named by hundreds of
 * replies (省工商联) no longer sends thousands of chunks through fusion and
 * rerank; its best-covering chunks are kept, at most two per reply first.
 */
export function lookupCap(pool: number): number {
  return pool * 4;
}

/**
 * Most chunks of the replies a question names that the lookup list scores
 * one by one; above it (a proposing body named by hundreds of replies) the
 * candidates are the best {@link lookupCap} of them by BM25, so the
 * cost no longer grows with the number of replies named.
 */
export const LOOKUP_SCAN_LIMIT = 1000;

const now = () => performance.now();

/** Where `question` first names `reply` (a year it was issued, its number, its recipient), or Infinity. */
function mentionAt(question: string, reply: StoredReply): number {
  const at: number[] = [];
  const year = replyYear(reply);
  if (year) at.push(question.search(new RegExp(`${year}\\s*年`, 'u')));
  if (reply.proposalNumber) {
    const canon = canonicalProposalNumber(reply.proposalNumber);
    for (const m of question.matchAll(/\d{4}\s*[Ww]\s*\d+|\d{1,5}(?=\s*号)/gu)) if (canonicalProposalNumber(m[0]) === canon) at.push(m.index ?? -1);
  }
  const name = recipientName(reply.recipient);
  if (name) at.push(question.indexOf(name));
  const found = at.filter((i) => i >= 0);
  return found.length > 0 ? Math.min(...found) : Infinity;
}

/**
 * The best hit of each reply a spanning question names — by number or name
 * (lookup targets), else by a year it states — in the order the question
 * names them; empty when it names fewer than two.
 */
function reservedHits(question: string, look: LookupResult, fused: readonly FusedHit[], replyOf: (h: FusedHit) => string, replyById: ReadonlyMap<string, StoredReply>): FusedHit[] {
  const best = new Map<string, FusedHit>();
  for (const h of fused) if (!best.has(replyOf(h))) best.set(replyOf(h), h);
  const named = [...best.entries()]
    .map(([id, h]) => ({ h, at: (() => { const r = replyById.get(id); return r ? mentionAt(question, r) : Infinity; })() }))
    .filter((x) => x.at < Infinity);
  // Per named year or number only the best-ranked reply (fused is best first).
  const seen = new Set<number>();
  const picked = named.filter((x) => (seen.has(x.at) ? false : (seen.add(x.at), true))).sort((a, b) => a.at - b.at);
  return picked.length >= 2 ? picked.map((x) => x.h) : [];
}

/** Share of the final score that comes from the fused rank; the rest is term coverage. */
const FUSED_WEIGHT = 0.5;

/**
 * The replies in play so far: every reply (null), or a subset in store order
 * with, when it came from one selection, that selection's id set.
 */
interface Pool {
  replies: readonly StoredReply[] | null;
  ids: ReadonlySet<string> | null;
}

/** `pool` ∩ `sel`, in store order, walking the smaller of the two (both are in store order). */
function narrow(pool: Pool, sel: ReplySelection): Pool {
  if (pool.replies === null) return { replies: sel.replies, ids: sel.ids };
  if (pool.ids && sel.replies.length < pool.replies.length) {
    const ids = pool.ids;
    return { replies: sel.replies.filter((r) => ids.has(r.id)), ids: null };
  }
  return { replies: pool.replies.filter((r) => sel.ids.has(r.id)), ids: null };
}

/**
 * The replies a question may be answered from: explicit filters strictly,
 * parsed filters and lookup targets only when they leave something. Filters
 * are the {@link CorpusIndex}'s selections, so a question does not pass over
 * every reply to apply them.
 */
function allowedReplies(store: Store, corpus: CorpusIndex, parsed: Filters, look: LookupResult, options: RetrieveOptions): { replies: StoredReply[]; ids: ReadonlySet<string> | null; filters: Filters; nothing: boolean } {
  const explicit = options.filters ?? {};
  const none = { replies: [], ids: null, filters: explicit, nothing: true };
  let pool: Pool = { replies: null, ids: null };
  for (const key of ['year', 'kind', 'session'] as const) {
    const value = explicit[key];
    if (value) pool = narrow(pool, corpus.select(key, value));
  }
  const size = (p: Pool) => (p.replies === null ? store.replies.length : p.replies.length);
  if (options.replyIds) {
    const wanted = new Set(options.replyIds);
    pool = { replies: (pool.replies ?? store.replies).filter((r) => wanted.has(r.id)), ids: null };
  }
  if (size(pool) === 0) return none;

  if (look.targets.length > 0) {
    // In store order, as a filter of the pool would give.
    // Positions sorted as numbers (a typed array), then read back from the store's replies.
    const at = Int32Array.from(new Set(look.targets), (r) => corpus.position(r)).sort();
    const targets = Array.from(at.filter((i) => i >= 0), (i) => store.replies[i] as StoredReply);
    const ids = pool.replies === null ? null : pool.ids ?? new Set(pool.replies.map((r) => r.id));
    const targeted = ids === null ? targets : targets.filter((r) => ids.has(r.id));
    if (targeted.length === 0 && !isEmpty(explicit)) return none;
    if (targeted.length > 0) pool = { replies: targeted, ids: null };
  } else if (look.unmatched.length > 0 && look.docNumbers.length + look.proposalNumbers.length > 0 && !options.replyIds) {
    // The question names a number no reply has: searching by meaning would answer about another document.
    return none;
  }

  const merged: Filters = { ...explicit };
  for (const key of ['year', 'kind', 'session'] as const) {
    const value = parsed[key];
    if (!value || explicit[key]) continue;
    const narrowed = narrow(pool, corpus.select(key, value));
    if (size(narrowed) > 0) {
      pool = narrowed;
      merged[key] = value;
    }
  }
  if (parsed.department && !explicit.department) {
    const issued = narrow(pool, corpus.select('department', parsed.department));
    if (size(issued) > 0) {
      pool = issued;
      merged.department = parsed.department;
    }
  }
  return { replies: (pool.replies ?? store.replies).slice(), ids: pool.ids, filters: merged, nothing: false };
}

/**
 * Retrieves the top passages for `question`.
 * Candidates: `max(40, 8k)` from each retriever; a "lookup" list ranks every
 * chunk of the replies named in the question by term coverage, so a reply
 * found by its number is never lost because its wording is unusual.
 */
export async function retrieve(store: Store, scorer: TermScorer, question: Question, options: RetrieveOptions): Promise<Retrieval> {
  const timings: Record<string, number> = {};
  let t = now();
  const q = question.text;
  const corpus = options.corpus ?? new CorpusIndex(store);
  const look = question.subject;
  const { replies, ids, filters, nothing } = allowedReplies(store, corpus, question.stated, look, options);
  const replyById = corpus.replyById;
  const restricted = replies.length < store.replies.length;
  // Unrestricted: every reply is allowed, with no per-question set of all ids; a filter's selection brings its own.
  const allowed = restricted ? (ids ?? new Set(replies.map((r) => r.id))) : null;
  const coverageOf = (terms: readonly WeightedTerm[], c: StoredChunk, r: StoredReply) => coverageOfLowercase(terms, corpus.lowercaseScoringText(c, r));

  const topicTerms = scorer.weigh(question.terms);
  timings.lookup = now() - t;

  const empty: Retrieval = { question: q, passages: [], lookup: look, filters, topicTerms, relevance: 0, nothingMatches: true, scope: [], timings };
  if (nothing || replies.length === 0) return empty;

  const pool = Math.max(40, options.k * 8);
  const keep = (id: string) => {
    const c = store.chunk(id);
    if (!c || (allowed !== null && !allowed.has(c.replyId))) return false;
    if (!filters.department) return true;
    const r = replyById.get(c.replyId);
    return r ? corpus.chunkMatchesDepartment(c, r, filters.department) : false;
  };

  t = now();
  // A restricted search asks for more so enough survive the filter.
  const denseHits = await store.denseSearch(q, restricted ? pool * 3 : pool);
  timings.dense = now() - t;
  t = now();
  const lexicalHits = store.lexicalSearch(q, restricted ? pool * 3 : pool);
  timings.lexical = now() - t;

  t = now();
  const lists: RankedList[] = [
    { name: 'dense', hits: denseHits.filter((h) => keep(h.id)).map((h) => ({ id: h.id, score: 1 - h.distance })) },
    { name: 'lexical', hits: lexicalHits.filter((h) => keep(h.id)).map((h) => ({ id: h.id, score: h.score })) },
  ];
  if (look.targets.length > 0 || options.replyIds) {
    const full = scorer.weigh(question.words);
    const named = replies.reduce((n, r) => n + r.chunkIds.length, 0);
    const cap = options.lookupCap ?? lookupCap(pool);
    // A body named by hundreds of replies (省工商联): score only the chunks among them that share the most words with the question.
    const candidates =
      named > LOOKUP_SCAN_LIMIT
        ? store.lexicalSearch(q, cap, allowed ?? undefined).flatMap((h) => {
            const c = store.chunk(h.id);
            const r = c && keep(c.id) ? replyById.get(c.replyId) : undefined;
            return c && r ? [{ c, r }] : [];
          })
        : replies.flatMap((r) => store.chunksOf(r.id).filter((c) => keep(c.id)).map((c) => ({ c, r })));
    const scored = candidates.map(({ c, r }) => ({ id: c.id, reply: r.id, score: coverageOf(full, c, r) })).sort((a, b) => b.score - a.score);
    // Over the cap: the best two per reply first (so many replies stay represented), then the rest by score.
    let capped = scored;
    if (scored.length > cap) {
      const first = capPerGroup(scored, (h) => h.reply, 2, cap);
      const taken = new Set(first);
      capped = [...first, ...scored.filter((h) => !taken.has(h))].slice(0, cap).sort((a, b) => b.score - a.score);
    }
    lists.push({ name: 'lookup', hits: capped.map(({ id, score }) => ({ id, score })) });
  }
  let fused: FusedHit[] = fuse(lists, { method: options.fusion });

  // Departments named in the question (not as a filter) favour passages that speak for them.
  const departments = look.departments;
  if (departments.length > 0) {
    fused = fused
      .map((h) => {
        const c = store.chunk(h.id);
        const r = c ? replyById.get(c.replyId) : undefined;
        const hit = c && r && departments.some((d) => corpus.chunkMatchesDepartment(c, r, d));
        return hit ? { ...h, score: h.score * 1.25, scores: { ...h.scores, department: 1 } } : h;
      })
      .sort((a, b) => b.score - a.score);
  }

  // Rerank by term coverage: the same evidence abstention and sentence choice
  // rely on, so the passages shown first are the ones that can answer. Half
  // fused rank (normalized), half coverage; the fused ranks stay in diagnostics.
  const maxScore = fused[0]?.score ?? 1;
  const relevanceOf = new Map<string, number>();
  for (const h of fused) {
    const c = store.chunk(h.id);
    const r = c ? replyById.get(c.replyId) : undefined;
    const rel = !c || !r ? 0 : topicTerms.length > 0 ? coverageOf(topicTerms, c, r) : look.targets.length > 0 || options.replyIds ? 1 : 0;
    relevanceOf.set(h.id, rel);
  }
  const blended = (h: FusedHit) => FUSED_WEIGHT * (maxScore > 0 ? h.score / maxScore : 0) + (1 - FUSED_WEIGHT) * (relevanceOf.get(h.id) ?? 0);
  fused = fused.map((h) => ({ h, b: blended(h) })).sort((a, b) => b.b - a.b).map(({ h, b }) => ({ ...h, score: b }));

  const perReply = look.targets.length > 0 ? Math.max(options.maxPerReply, Math.ceil(options.k / look.targets.length)) : options.maxPerReply;
  const replyOf = (h: FusedHit) => store.chunk(h.id)?.replyId ?? h.id;
  // A question spanning replies (「2024年和2025年的答复分别…」) reserves the first slots for each reply it names, in its order.
  const reserved = question.asks.spans ? reservedHits(q, look, fused, replyOf, replyById) : [];
  const rest = capPerGroup(fused.filter((h) => !reserved.includes(h)), replyOf, perReply, options.k);
  const counts = new Map<string, number>();
  const top = [...reserved, ...rest].filter((h) => {
    const n = counts.get(replyOf(h)) ?? 0;
    counts.set(replyOf(h), n + 1);
    return n < perReply;
  }).slice(0, options.k);
  const passages: Passage[] = [];
  for (const h of top) {
    const chunk = store.chunk(h.id);
    const reply = chunk ? replyById.get(chunk.replyId) : undefined;
    if (!chunk || !reply) continue;
    const relevance = relevanceOf.get(h.id) ?? 0;
    passages.push({ chunk, reply, score: h.score, ranks: h.ranks, scores: h.scores, relevance });
  }
  timings.fusion = now() - t;
  const relevance = passages.reduce((m, p) => Math.max(m, p.relevance), 0);
  return { question: q, passages, lookup: look, filters, topicTerms, relevance, nothingMatches: false, scope: replies, timings };
}

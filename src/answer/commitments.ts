/**
 * Commitment answers (下一步 / 承诺 / 打算 / 「X厅答应了什么」): answered
 * from the commitments extracted at ingest, grouped by the department that
 * made them, each sentence quoted verbatim with its citation.
 */
import { foldVariants } from '../domain/fold.ts';
import type { Store, StoredChunk, StoredReply } from '../store/types.ts';
import { DraftBuilder } from './citations.ts';
import { canonicalDepartment, findDepartments } from '../domain/departments.ts';
import { type WeightedTerm, coverage } from './relevance.ts';
import { splitSentences } from './text.ts';
import { groupedBy } from '../util/grouped.ts';
import type { Citation, CommitmentEntry, Draft, ListedEntry } from './types.ts';

/** Words that make a question about promises rather than about what was done. */
/** 「计划」 as a plan, not in a body's name (民航局发展计划司, 计划财务处). */
const COMMITMENT_CUES = /下一步|下步|下阶段|承诺|打算|答应|计划(?![司处科]|财务)|将要|准备怎么|今后|未来.{0,3}(?:工作|安排|怎么)|后续/u;

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
        // As ingest stored them (the actor's, else the issuer's canonical departments).
        departments: c.departments,
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
 * Commitments matching `filter` (departments by any alias, years, keywords;
 * all must hold; no filter → all), each under its group heading and listed by
 * group, then by reply.
 */
export function filterCommitments(entries: readonly CommitmentEntry[], filter?: string, yearOf?: (e: CommitmentEntry) => string | null): ListedEntry[] {
  const f = filter?.trim();
  // Departments named anywhere in the filter; what remains is years and keywords, each of which must hold too.
  const mentions = f ? findDepartments(f) : [];
  const depts = mentions.map((d) => d.department);
  let rest = f ?? '';
  for (const m of mentions) rest = rest.replace(m.text, ' ');
  const tokens = rest.split(/[\s,，、;；]+/u).filter(Boolean);
  const isYear = (t: string) => /^(?:19|20)\d{2}年?$/.test(t);
  const years = tokens.filter(isYear).map((t) => t.slice(0, 4));
  const keywords = tokens.filter((t) => !isYear(t));
  const kept = entries.filter(
    (e) =>
      (depts.length === 0 || e.departments.some((d) => depts.includes(d))) &&
      (years.length === 0 || years.includes(yearOf?.(e) ?? e.reply.date?.slice(0, 4) ?? '')) &&
      keywords.every((k) => e.text.includes(k) || (e.actor ?? '').includes(k)),
  );
  // Grouped here, once, so the bot, the terminal and any other front end list alike.
  const listed = kept.map((e) => ({ ...e, group: commitmentGroup(e, depts) }));
  return groupedBy(listed, (e) => e.group, (e) => e.reply.id);
}

export interface CommitmentAnswer {
  answer: string;
  draft: Draft;
  citations: Citation[];
}

export interface CommitmentQuery {
  /** Canonical departments named in the question (the actors asked about). */
  departments: readonly string[];
  /** Replies the question is restricted to (by number, name, filter); undefined = all. */
  replyIds?: ReadonlySet<string>;
  /** Topic terms without department names and cue words; empty for 「X厅下一步打算做什么」. */
  terms: readonly WeightedTerm[];
  /**
   * Most lines shown; default {@link LIST_LIMIT} when listing, {@link TOPIC_LIMIT}
   * for a topical question. Whatever is left out is counted in the answer, never dropped silently.
   */
  limit?: number;
}

/**
 * Lines a listing shows before it says how many more there are: enough for
 * every promise of one department across a year's replies; a whole store's
 * worth is better browsed with /commitments, which pages.
 */
export const LIST_LIMIT = 40;
/** Best-matching sentences a topical commitment question shows. */
export const TOPIC_LIMIT = 8;
/**
 * Characters of a promise quoted in a listing: its opening sentences up to
 * this length (always at least the first), so each line reads as the whole
 * promise without pasting a page; the full passage is a tap or /source away.
 */
const QUOTE_CHARS = 160;
/** Longest enumerated promise quoted whole rather than by its opening. */
const WHOLE_CHARS = 600;
/** A promise made of items: 一是…二是…, （一）…（二）…, 1.…2. */
const ENUMERATED = /二是|第二[，、,]|[（(]二[)）]|(?:^|[。；;\n])\s*2\s*[.．、]/u;

/**
 * Words that, in a commitment question, only say "which promises"
 * (「有哪些下一步工作」, 「答复了哪些事项」), not what they are about.
 */
const GENERIC_TERMS = new Set(['工作', '事项', '事情', '内容', '措施', '举措', '事', '东西', '部分', '方面', '哪些', '这些', '所有', '全部', '一下', '列出', '具体']);

/**
 * Topic terms that say what the promise is about: generic "which work" words
 * and pieces of the cue words (jieba cuts 下一步 into 下 + 一步) removed.
 */
export function commitmentTopicTerms(question: string, terms: readonly WeightedTerm[]): WeightedTerm[] {
  const cues = [...question.matchAll(new RegExp(COMMITMENT_CUES.source, 'gu'))].map((m) => m[0]);
  return terms.filter((t) => !GENERIC_TERMS.has(t.term) && !cues.some((c) => c.includes(t.term)));
}

/** The group a commitment belongs to: the canonical department asked about, or its single department (as ingest stored them), or its actor as written. */
export function commitmentGroup(entry: Pick<CommitmentEntry, 'actor' | 'departments'>, asked: readonly string[] = []): string {
  const depts = entry.departments;
  return depts.find((d) => asked.includes(d)) ?? (depts.length === 1 ? (depts[0] as string) : entry.actor ?? '未署名部门');
}

/** How a reply is named under a department in a listing: its 发文字号 (or title), and to whom it replied. */
export function replyHeading(r: Pick<StoredReply, 'docNumber' | 'title' | 'proposalTitle' | 'recipient' | 'file'>): string {
  const named = r.docNumber ?? r.title;
  const name = named ?? (r.proposalTitle ? `《${r.proposalTitle}》的答复` : r.file);
  const to = r.recipient?.replace(/^尊敬的/, '');
  return to ? `${name}（${named ? '答复' : ''}${to}）` : name;
}

/** What answering needs of one commitment, worked out once: finding its sentences in the reply's chunks is the costly part. */
export interface PreparedCommitment {
  reply: StoredReply;
  /** Canonical departments of its actor. */
  departments: string[];
  /** Its opening sentences (up to {@link QUOTE_CHARS}) as one verbatim slice of one chunk, or null when none is citable or it is under 6 characters. */
  listing: { text: string; chunk: StoredChunk } | null;
  /** Its sentences of 6+ characters that occur verbatim in a chunk, with the first such chunk, in order. */
  sentences: Array<{ text: string; chunk: StoredChunk }>;
}

/** Locates `entry`'s citable sentences in `reply`'s chunks. */
export function prepareCommitment(store: Store, entry: CommitmentEntry, reply: StoredReply): PreparedCommitment {
  const chunks = store.chunksOf(reply.id);
  const sentences = splitSentences(entry.text);
  // The opening sentences as one contiguous slice, so the listing line is one verbatim quote of one chunk.
  let end = 0;
  let listing: { text: string; chunk: StoredChunk } | null = null;
  for (const s of sentences) {
    if (end > 0 && Array.from(entry.text.slice(0, s.end)).length > QUOTE_CHARS) break;
    const text = entry.text.slice(sentences[0]?.start ?? 0, s.end);
    const chunk = chunks.find((c) => c.metadata.text.includes(text));
    if (!chunk) break;
    listing = { text, chunk };
    end = s.end;
  }
  // An enumerated promise (一是…二是…, （一）…（二）…) is quoted whole when one chunk holds it: its first item alone misleads.
  const whole = entry.text.trim();
  if (ENUMERATED.test(whole) && Array.from(whole).length <= WHOLE_CHARS) {
    const chunk = chunks.find((c) => c.metadata.text.includes(whole));
    if (chunk) listing = { text: whole, chunk };
  }
  if (listing && Array.from(listing.text).length < 6) listing = null;
  const citable: Array<{ text: string; chunk: StoredChunk }> = [];
  for (const s of sentences) {
    // Only sentences we can cite verbatim are ever shown.
    const chunk = chunks.find((c) => c.metadata.text.includes(s.text));
    if (chunk && Array.from(s.text).length >= 6) citable.push({ text: s.text, chunk });
  }
  return { reply, departments: entry.departments, listing, sentences: citable };
}

/**
 * One entries list's commitments, prepared once (the engine's CorpusIndex
 * holds one per store), so composing a commitment answer only scores
 * sentences instead of searching every reply's chunks for every promise,
 * and a department's promises are found without a pass over all of them.
 */
export interface CommitmentIndex {
  /** The prepared form of `entries[i]` (null when its reply is not in the store). */
  prepared(i: number): PreparedCommitment | null;
  /** Positions (ascending, so in the list's order) of the entries whose actor names one of `departments`. */
  ofDepartments(departments: readonly string[]): number[];
  /** Positions (ascending) of the entries of these replies. */
  ofReplies(replyIds: Iterable<string>): number[];
  /**
   * Every prepared sentence has a number: entry by entry, each entry's
   * `sentences` in order. The numbers (ascending) of those that can cover at
   * least `min` of `terms` (see {@link coverage}): the ones containing a term
   * of the rarest set that carries more than `1 − min` of the weight — a
   * sentence without any of them misses too much weight to reach `min`.
   */
  sentencesCovering(terms: readonly WeightedTerm[], min: number): Iterable<number>;
  /**
   * Over the whole store: how many entries of `departments` (all entries
   * when empty) have a listing line, and from how many replies. Counted on
   * first use per department set and kept, so listing every promise of a
   * department (or of the store) shows its first lines without counting all.
   */
  listingCounts(departments: readonly string[]): { total: number; replies: number };
  /** The entry a sentence number belongs to. */
  entryOfSentence(sentence: number): number;
  /** The number of entry `i`'s first sentence. */
  firstSentence(i: number): number;
  /**
   * Builds the character-pair index that finds a term's sentences without
   * reading them all (see {@link SentencePairs}), calling `pause` between
   * steps so it can run in the background; until it is done, a term's
   * sentences are found by reading every sentence, with the same result.
   */
  indexSentences(pause: () => Promise<void>): Promise<void>;
}

/**
 * Which sentences hold each pair of adjacent characters (UTF-16 code
 * units, as `includes` compares them), in ascending sentence order. A term
 * of two or more characters can only be in sentences holding its rarest
 * pair, so `includes` is asked of those few instead of every promise
 * sentence of the store (≈ 10^5 at a province's scale, several ms per new
 * term in a question).
 */
class SentencePairs {
  readonly #lists = new Map<number, number[] | Int32Array>();

  static async build(sentences: readonly string[], pause: () => Promise<void>, step = 4096): Promise<SentencePairs> {
    const pairs = new SentencePairs();
    const last = new Map<number, number>();
    const growing = pairs.#lists as Map<number, number[]>;
    for (let n = 0; n < sentences.length; n++) {
      if (n % step === 0) await pause();
      const text = sentences[n] as string;
      for (let i = 0; i + 1 < text.length; i++) {
        const code = text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1);
        if (last.get(code) === n) continue;
        last.set(code, n);
        const list = growing.get(code);
        if (list) list.push(n);
        else growing.set(code, [n]);
      }
    }
    // Typed arrays once complete: a quarter of the memory, and nothing for the collector to walk.
    for (const [code, list] of growing) pairs.#lists.set(code, Int32Array.from(list));
    return pairs;
  }

  /** The sentences that may hold `term` (≥ 2 characters): those holding its rarest pair, ascending. */
  candidates(term: string): ArrayLike<number> {
    let best: ArrayLike<number> | undefined;
    for (let i = 0; i + 1 < term.length; i++) {
      const list = this.#lists.get(term.charCodeAt(i) * 65536 + term.charCodeAt(i + 1));
      if (!list) return [];
      if (!best || list.length < best.length) best = list;
    }
    return best ?? [];
  }
}

/** Terms whose sentence lists are kept (questions reuse terms; the bound keeps odd ones from piling up). */
const TERM_CACHE = 1024;

/**
 * Prepares every entry for {@link answerCommitments}: each promise's
 * sentences located in its chunks, and the entries indexed by department
 * and by reply. Built once per store by the engine's CorpusIndex.
 */
export function prepareCommitments(store: Store, entries: readonly CommitmentEntry[], replyById?: ReadonlyMap<string, StoredReply>): CommitmentIndex {
  const byId = replyById ?? new Map(store.replies.map((r) => [r.id, r]));
  const prepared = entries.map((e) => {
    const reply = byId.get(e.reply.id);
    return reply ? prepareCommitment(store, e, reply) : null;
  });
  const byDepartment = new Map<string, number[]>();
  const byReply = new Map<string, number[]>();
  const push = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  };
  for (const [i, e] of entries.entries()) {
    for (const d of new Set(prepared[i]?.departments ?? [])) push(byDepartment, d, i);
    push(byReply, e.reply.id, i);
  }
  const union = (lists: Iterable<readonly number[] | undefined>): number[] => {
    const found = new Set<number>();
    for (const list of lists) for (const i of list ?? []) found.add(i);
    return [...found].sort((a, b) => a - b);
  };
  // Sentence numbers: entry i's sentences are first[i] … first[i + 1] − 1.
  const first = new Int32Array(entries.length + 1);
  const lower: string[] = [];
  const entryOf: number[] = [];
  for (const [i, p] of prepared.entries()) {
    first[i] = lower.length;
    for (const sentence of p?.sentences ?? []) {
      // Folded, as questions are: a traditional reply's promise is found by a simplified question.
      const l = foldVariants(sentence.text).toLowerCase();
      // The sentence itself when folding and lower-casing change nothing (most Chinese text): no second copy.
      lower.push(l === sentence.text ? sentence.text : l);
      entryOf.push(i);
    }
  }
  first[entries.length] = lower.length;
  const withTerm = new Map<string, Int32Array>();
  let pairs: SentencePairs | undefined;
  let indexing: Promise<void> | undefined;
  const sentencesWith = (term: string): Int32Array => {
    const key = term.toLowerCase();
    let list = withTerm.get(key);
    if (!list) {
      const found: number[] = [];
      if (pairs && key.length >= 2) {
        const candidates = pairs.candidates(key);
        for (let k = 0; k < candidates.length; k++) {
          const n = candidates[k] as number;
          if ((lower[n] as string).includes(key)) found.push(n);
        }
      } else for (let n = 0; n < lower.length; n++) if ((lower[n] as string).includes(key)) found.push(n);
      list = Int32Array.from(found);
      if (withTerm.size >= TERM_CACHE) withTerm.delete(withTerm.keys().next().value as string);
      withTerm.set(key, list);
    }
    return list;
  };
  const counts = new Map<string, { total: number; replies: number }>();
  const ofDepartments = (departments: readonly string[]): readonly number[] =>
    departments.length === 1 ? (byDepartment.get(departments[0] as string) ?? []) : union(departments.map((d) => byDepartment.get(d)));
  return {
    prepared: (i) => prepared[i] ?? null,
    listingCounts(departments) {
      const key = departments.join('\u0000');
      let c = counts.get(key);
      if (!c) {
        c = { total: 0, replies: 0 };
        const asked = departments.length > 0 ? ofDepartments(departments) : null;
        let last: string | null = null;
        for (let k = 0, n = asked ? asked.length : entries.length; k < n; k++) {
          const i = asked ? (asked[k] as number) : k;
          const p = prepared[i];
          if (!p?.listing || (departments.length > 0 && !p.departments.some((d) => departments.includes(d)))) continue;
          c.total++;
          if (p.reply.id !== last) {
            c.replies++;
            last = p.reply.id;
          }
        }
        if (counts.size >= TERM_CACHE) counts.delete(counts.keys().next().value as string);
        counts.set(key, c);
      }
      return c;
    },
    // One department (the usual question) is its stored list, not a copy.
    ofDepartments: (departments) => ofDepartments(departments) as number[],
    ofReplies: (replyIds) => union(Array.from(replyIds, (id) => byReply.get(id))),
    sentencesCovering(terms, min) {
      const total = terms.reduce((sum, t) => sum + t.weight, 0);
      if (total <= 0 || min <= 0) return Array.from({ length: lower.length }, (_, n) => n);
      const lists = terms.map((t) => ({ weight: t.weight, list: sentencesWith(t.term) })).sort((a, b) => a.list.length - b.list.length);
      // A hair over 1 − min, so rounding cannot leave out a sentence at exactly min.
      const needed = (1 - min) * total * (1 + 1e-9);
      const picked: Int32Array[] = [];
      let weight = 0;
      for (const { weight: w, list } of lists) {
        if (weight > needed) break;
        picked.push(list);
        weight += w;
      }
      if (picked.length === 1) return picked[0] as Int32Array;
      return [...new Set(picked.flatMap((l) => Array.from(l)))].sort((a, b) => a - b);
    },
    entryOfSentence: (n) => entryOf[n] as number,
    firstSentence: (i) => first[i] as number,
    indexSentences(pause) {
      indexing ??= SentencePairs.build(lower, pause).then((built) => void (pairs = built));
      return indexing;
    },
  };
}

/**
 * Answers from commitments, or null when none fit (the caller then answers
 * otherwise). Without topic terms it lists every promise in scope (up to
 * {@link LIST_LIMIT}, saying how many more there are), grouped by department
 * and then by reply, each as its opening sentences; with topic terms, the
 * sentences covering at least half of them, best first. Every quoted line is
 * a verbatim slice of the chunk its marker cites.
 */
export function answerCommitments(store: Store, entries: readonly CommitmentEntry[], query: CommitmentQuery, index: CommitmentIndex = prepareCommitments(store, entries)): CommitmentAnswer | null {
  interface Candidate {
    entry: CommitmentEntry;
    reply: StoredReply;
    chunk: StoredChunk;
    sentence: string;
    score: number;
    order: number;
  }
  const asked = query.departments;
  const inScope = (i: number): PreparedCommitment | null => {
    const p = index.prepared(i);
    if (!p || (query.replyIds && !query.replyIds.has((entries[i] as CommitmentEntry).reply.id))) return null;
    return asked.length === 0 || p.departments.some((d) => asked.includes(d)) ? p : null;
  };
  const listing = query.terms.length === 0;
  const limit = query.limit ?? (listing ? LIST_LIMIT : TOPIC_LIMIT);
  // What is shown (the best `limit`), and how many matched in all and from how many replies (said in the answer).
  let chosen: Candidate[];
  let total: number;
  let replyCount = 0;
  if (listing) {
    // A department's promises come from the index, not a pass over every promise per question;
    // only the first `limit` become candidates, the rest are counted (entries come reply by reply).
    const positions = asked.length > 0 ? index.ofDepartments(asked) : null;
    chosen = [];
    total = 0;
    let lastReply: string | null = null;
    const n = positions ? positions.length : entries.length;
    // Over the whole store the counts are kept: stop once the shown lines are found.
    const counted = query.replyIds ? null : index.listingCounts(asked);
    for (let k = 0; k < n && !(counted && chosen.length >= limit); k++) {
      const i = positions ? (positions[k] as number) : k;
      const p = inScope(i);
      if (!p?.listing) continue;
      const entry = entries[i] as CommitmentEntry;
      if (entry.reply.id !== lastReply) {
        replyCount++;
        lastReply = entry.reply.id;
      }
      if (chosen.length < limit) chosen.push({ entry, reply: p.reply, chunk: p.listing.chunk, sentence: p.listing.text, score: 1, order: total });
      total++;
    }
    if (counted) ({ total, replies: replyCount } = counted);
  } else {
    // Only sentences holding one of the rarest terms that carry over half the weight can cover half of it:
    // those are scored, not every sentence of every promise in scope.
    const matching: Candidate[] = [];
    for (const sid of index.sentencesCovering(query.terms, MIN_TOPIC_COVERAGE)) {
      const i = index.entryOfSentence(sid);
      const p = inScope(i);
      if (!p) continue;
      const s = p.sentences[sid - index.firstSentence(i)] as { text: string; chunk: StoredChunk };
      const score = coverage(query.terms, s.text);
      if (score >= MIN_TOPIC_COVERAGE) matching.push({ entry: entries[i] as CommitmentEntry, reply: p.reply, chunk: s.chunk, sentence: s.text, score, order: sid });
    }
    matching.sort((x, y) => y.score - x.score || x.order - y.order);
    total = matching.length;
    chosen = matching.slice(0, limit);
  }
  if (total === 0) return null;

  // Group by department (first-seen order), then by reply within a department (first-seen order).
  const groups = new Map<string, Map<string, Candidate[]>>();
  for (const c of chosen) {
    const key = commitmentGroup(c.entry, query.departments);
    const byReply = groups.get(key) ?? new Map<string, Candidate[]>();
    const items = byReply.get(c.reply.id) ?? [];
    items.push(c);
    byReply.set(c.reply.id, items);
    groups.set(key, byReply);
  }
  const b = new DraftBuilder();
  const partial = total > chosen.length ? `，以下列出前 ${chosen.length} 条` : '';
  const single = groups.size === 1;
  if (listing && !single) b.own(`共 ${total} 条下一步工作安排，来自 ${replyCount} 份答复，按部门列出${partial}：`);
  for (const [actor, byReply] of groups) {
    const count = [...byReply.values()].reduce((n, items) => n + items.length, 0);
    if (!listing) b.own(`${actor}：`);
    else if (single) b.own(`${actor}：共 ${total} 条下一步工作安排，来自 ${replyCount} 份答复${partial}。`);
    else b.own(`${actor}（${count} 条）：`);
    for (const items of byReply.values()) {
      const reply = (items[0] as Candidate).reply;
      if (listing) b.own(`  ▸ ${replyHeading(reply)}`);
      // A quote shorter than the promise says so: the rest is a tap on its source away.
      for (const c of items) b.quote(c.sentence, c.chunk, c.reply, `${listing ? '  ' : ''}· `, c.sentence.trim().length < c.entry.text.trim().length ? '（节选）' : '');
    }
  }
  const left = total - chosen.length;
  if (left > 0) b.own(listing ? `另有 ${left} 条未列出，可按部门或答复缩小范围再问，或在机器人中用 /commitments 翻页查看。` : `另有 ${left} 句相关内容未列出。`);
  return b.result();
}

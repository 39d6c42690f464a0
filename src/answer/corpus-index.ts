/**
 * What the engine knows about a store before any question: built once when
 * the engine is created, read by every question. Replies by id, each chunk's
 * scoring text and named departments, term statistics for relevance, the
 * full-text search for identifiers the records miss, the commitments
 * prepared and indexed by department and reply, and replies by year, kind,
 * session and issuing department. Per-question work then looks things up
 * here instead of recomputing them over the whole corpus (or hiding them in
 * module-level caches keyed by objects, which outlived nothing but made the
 * cost invisible).
 *
 * A store's replies and chunks never change while it is open (ingest writes
 * a new store and the engine is rebuilt), so nothing here is invalidated.
 */
import type { Store, StoredChunk, StoredReply } from '../store/types.ts';
import { type ActivityLine, activityLines } from './activities.ts';
import { type CommitmentIndex, commitmentEntries, prepareCommitments } from './commitments.ts';
import { canonicalDepartment, findDepartments } from '../domain/departments.ts';
import { type Filters, chunkDepartments, chunkMatchesDepartment, replyMatches, replyYear } from './filters.ts';
import { type FullTextSearch, fullTextSearch } from './lookup.ts';
import { TermScorer } from './relevance.ts';
import { scoringText, scoringTextAndMentions } from './scoring-text.ts';
import type { CommitmentEntry } from './types.ts';

/** The replies one filter value selects, in store order, with their ids as a set (for per-chunk checks). */
export interface ReplySelection {
  replies: readonly StoredReply[];
  ids: ReadonlySet<string>;
}

/**
 * Most distinct filter values whose selections are kept. Values come from
 * questions (years, kinds, sessions, departments), so a handful in practice;
 * the bound keeps a flood of odd values from growing memory without limit.
 */
const SELECTION_CACHE = 256;

/**
 * Department sets whose activity lines are kept: working them out reads
 * every reply a department issued or names (a fifth of a province's replies
 * for a busy one), so it is done once per department, not per question.
 */
const ACTIVITY_CACHE = 16;

/**
 * Departments whose activity lines {@link CorpusIndex.warm} works out in the
 * background after the store opens, busiest first, and keeps for the store's
 * life. Their cost grows with the replies a department is involved in, so the
 * busiest are the ones a first question would otherwise wait for (24–48 ms
 * each at 10^5 chunks); a small department's lines cost little on demand.
 */
const ACTIVITY_PINNED = 16;
/** Replies read per background step: short steps, so a question arriving meanwhile waits a millisecond or two, not a department's whole pass. */
const WARM_STEP_REPLIES = 64;

/** Yields to the event loop (questions, I/O) without keeping the process alive for it. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve).unref());

/** The kinds parseFilters (filters.ts) takes from a question: their replies are listed when the index is built. */
const PARSED_KINDS = ['党派团体提案', '代表建议', '委员提案'] as const;

function groupBy<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class CorpusIndex {
  readonly store: Store;
  readonly replyById: ReadonlyMap<string, StoredReply>;
  /** Number of chunks in the store. */
  readonly chunkCount: number;
  /** Document frequencies over every chunk's scoring text (IDF of question terms). */
  readonly scorer: TermScorer;
  /** Each reply's whole text, for identifiers its record fields do not hold. */
  readonly fullText: FullTextSearch;
  /** Every commitment of the store, in store order. */
  readonly entries: readonly CommitmentEntry[];
  /** The entries prepared (sentences located in their chunks) and indexed by department and reply. */
  readonly commitments: CommitmentIndex;

  /** Keyed by the reply object (an identity hash), not its id: a question naming a fifth of the replies asks this of each of them. */
  readonly #position = new Map<StoredReply, number>();
  readonly #scoring = new Map<string, string>();
  readonly #named = new Map<string, ReadonlySet<string>>();
  readonly #issuer = new Map<string, ReadonlySet<string>>();
  readonly #byYear = new Map<string, StoredReply[]>();
  /**
   * Replies grouped by the one field a session or department filter reads
   * (the session line, the issuer line): a filter value is then tested once
   * per distinct line (a few dozen) instead of once per reply.
   */
  readonly #bySession = new Map<string | null, StoredReply[]>();
  readonly #byIssuer = new Map<string | null, StoredReply[]>();
  /** The replies of each kind a question can state ({@link PARSED_KINDS}), found in the pass that builds the index. */
  readonly #byKind = new Map<string, StoredReply[]>(PARSED_KINDS.map((k) => [k, []]));
  /** Canonical department → replies it issued (canonical issuer line) or whose chunks name it, in store order. */
  readonly #involving = new Map<string, StoredReply[]>();
  readonly #selections = new Map<string, ReplySelection>();
  readonly #activities = new Map<string, readonly ActivityLine[]>();
  /** Activity lines of the busiest departments, worked out by {@link warm}; never evicted. */
  readonly #pinned = new Map<string, readonly ActivityLine[]>();
  #warming: Promise<void> | undefined;
  readonly #warmStep: number;

  /** `warmStepReplies`: replies per background step of {@link warm} (tests make it small to cross step boundaries). */
  constructor(store: Store, options: { warmStepReplies?: number } = {}) {
    this.store = store;
    this.#warmStep = options.warmStepReplies ?? WARM_STEP_REPLIES;
    this.replyById = new Map(store.replies.map((r) => [r.id, r]));
    const texts: string[] = [];
    const sets = new Map<string, ReadonlySet<string>>();
    for (const [i, r] of store.replies.entries()) {
      this.#position.set(r, i);
      const involved = new Set<string>();
      if (r.issuer) involved.add(canonicalDepartment(r.issuer));
      for (const c of store.chunksOf(r.id)) {
        const { text, base, mentions } = scoringTextAndMentions(c, r);
        // Kept lower-cased (what coverage compares): scoring a passage then does not lower-case it again.
        const lowered = text.toLowerCase();
        const lower = lowered === text ? text : lowered;
        this.#scoring.set(c.id, lower);
        texts.push(lower);
        // The chunk's own text opens its scoring text (then a space, which no name spans): its mentions
        // are those that end within it, found in the same pass. Folding that changed it: found again.
        const own = c.metadata.text;
        const found = base.startsWith(`${own} `) ? new Set(mentions.filter((m) => m.index + m.text.length <= own.length).map((m) => m.department)) : chunkDepartments(c);
        // One shared set per combination of departments (a few thousand, not one per chunk): fewer objects for the collector to walk on every major GC.
        const key = [...found].join('\u0000');
        let named = sets.get(key);
        if (!named) sets.set(key, (named = found));
        this.#named.set(c.id, named);
        for (const d of named) involved.add(d);
      }
      for (const d of involved) {
        const list = this.#involving.get(d);
        if (list) list.push(r);
        else this.#involving.set(d, [r]);
      }
      groupBy(this.#bySession, r.session, r);
      groupBy(this.#byIssuer, r.issuer, r);
      for (const [kind, list] of this.#byKind) if (replyMatches(r, { kind })) list.push(r);
      const year = replyYear(r);
      if (year) {
        const list = this.#byYear.get(year);
        if (list) list.push(r);
        else this.#byYear.set(year, [r]);
      }
    }
    this.chunkCount = texts.length;
    this.scorer = new TermScorer(texts);
    // Built with the index, not on the first question naming a number the records miss: at 10^5
    // chunks that is ~0.3 s, which a user would wait for in the middle of a conversation.
    this.fullText = fullTextSearch({
      *[Symbol.iterator]() {
        for (const r of store.replies) yield [r, [r.title, r.docNumber, r.proposalNumber, ...store.chunksOf(r.id).map((c) => c.metadata.text)].filter(Boolean).join('\n')] as [StoredReply, string];
      },
    }, true);
    this.entries = commitmentEntries(store);
    this.commitments = prepareCommitments(store, this.entries, this.replyById);
  }

  /** Where `reply` stands in the store's replies (for keeping store order); -1 when it is not the store's. */
  position(reply: StoredReply): number {
    return this.#position.get(reply) ?? this.#positionById(reply.id);
  }

  /** A reply object that is not the store's own (a copy): looked up by id. */
  #positionById(id: string): number {
    const r = this.replyById.get(id);
    return r ? (this.#position.get(r) ?? -1) : -1;
  }

  /** The text a passage is scored on (see {@link scoringText}), lower-cased, computed when the index was built. */
  lowercaseScoringText(chunk: StoredChunk, reply: StoredReply): string {
    return this.#scoring.get(chunk.id) ?? scoringText(chunk, reply).toLowerCase();
  }

  /**
   * The replies of `scope` (default: all) that `departments` issued (by the
   * canonical issuer line) or whose chunks name one of them, in store order:
   * the only replies that can show what those departments did.
   */
  repliesInvolving(departments: readonly string[], scope?: readonly StoredReply[]): StoredReply[] {
    const lists = departments.map((d) => this.#involving.get(d) ?? []);
    const union = lists.length === 1 ? (lists[0] as StoredReply[]) : [...new Set(lists.flat())].sort((a, b) => this.position(a) - this.position(b));
    if (!scope || scope.length === this.store.replies.length) return union.slice();
    const inScope = new Set(scope.map((r) => r.id));
    return union.filter((r) => inScope.has(r.id));
  }

  /** True when `sentence` is (part of) one of the reply's promises, or holds one: next steps, not work done. */
  isPromise(replyId: string, sentence: string): boolean {
    return this.commitments.ofReplies([replyId]).some((i) => {
      const e = this.entries[i] as CommitmentEntry;
      return e.text.includes(sentence) || sentence.includes(e.text);
    });
  }

  /**
   * What `departments` did in the replies of `scope` (see {@link activityLines}):
   * worked out once per department set over every reply involving them, then
   * narrowed to the scope.
   */
  activityLines(departments: readonly string[], scope: readonly StoredReply[]): readonly ActivityLine[] {
    const key = departments.join('\u0000');
    let all = this.#pinned.get(key) ?? this.#activities.get(key);
    if (!all) {
      all = activityLines({ ...this.#activitySource(departments), scope: this.repliesInvolving(departments) });
      if (this.#activities.size >= ACTIVITY_CACHE) this.#activities.delete(this.#activities.keys().next().value as string);
      this.#activities.set(key, all);
    }
    if (scope.length === this.store.replies.length) return all;
    const ids = new Set(scope.map((r) => r.id));
    return all.filter((l) => ids.has(l.reply.id));
  }

  #activitySource(departments: readonly string[]) {
    return { departments, chunksOf: (id: string) => this.store.chunksOf(id), isPromise: (id: string, s: string) => this.isPromise(id, s), named: this.chunkDepartments };
  }

  /**
   * Works out, in the background, what a question would otherwise compute on
   * first use: the promise sentences' character-pair index, the store's own (BM25 term bounds), then the activity lines of the {@link ACTIVITY_PINNED} departments
   * involved in the most replies, a few dozen replies per step so questions
   * keep being answered meanwhile (they compute what is not ready yet
   * themselves, with the same result). Its steps do not keep the process
   * alive: a one-shot command exits when its answer is out. Resolves when
   * done; later calls return the same promise.
   */
  startWarm(): Promise<void> {
    this.#warming ??= (async () => {
      await this.commitments.indexSentences(yieldToLoop);
      await this.store.warm?.(yieldToLoop);
      const busiest = [...this.#involving.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1)).slice(0, ACTIVITY_PINNED);
      for (const [department, replies] of busiest) {
        const source = this.#activitySource([department]);
        const lines: ActivityLine[] = [];
        for (let i = 0; i < replies.length; i += this.#warmStep) {
          await yieldToLoop();
          // Numbered on from the previous step: the same lines, in the same order, as one pass over all replies.
          for (const l of activityLines({ ...source, scope: replies.slice(i, i + this.#warmStep) })) lines.push({ ...l, order: lines.length });
        }
        this.#pinned.set(department, lines);
        this.#activities.delete(department);
      }
    })();
    return this.#warming;
  }

  /** {@link startWarm}, keeping the process alive until it is done: for a caller that waits for it. */
  warm(): Promise<void> {
    const keepAlive = setInterval(() => undefined, 1 << 30);
    return this.startWarm().finally(() => clearInterval(keepAlive));
  }

  /** Canonical departments a chunk's text names (found when the index was built). */
  chunkDepartments = (chunk: StoredChunk): ReadonlySet<string> => {
    let named = this.#named.get(chunk.id);
    if (!named) this.#named.set(chunk.id, (named = chunkDepartments(chunk)));
    return named;
  };

  /** The department filter on a chunk (issued by it, or naming it), with the chunk's departments kept. */
  chunkMatchesDepartment(chunk: StoredChunk, reply: StoredReply, department: string): boolean {
    return chunkMatchesDepartment(chunk, reply, department, this.chunkDepartments);
  }

  /** The replies of the groups whose first reply `test` accepts, in store order. */
  #groupsWhere(groups: ReadonlyMap<string | null, StoredReply[]>, test: (r: StoredReply) => boolean): StoredReply[] {
    const hit = [...groups.values()].filter((g) => test(g[0] as StoredReply));
    if (hit.length === 1) return hit[0] as StoredReply[];
    return hit.flat().sort((a, b) => this.position(a) - this.position(b));
  }

  /** Canonical departments in a reply's issuer line. */
  issuerDepartments(reply: StoredReply): ReadonlySet<string> {
    let found = this.#issuer.get(reply.id);
    if (!found) this.#issuer.set(reply.id, (found = new Set(reply.issuer ? findDepartments(reply.issuer).map((d) => d.department) : [])));
    return found;
  }

  /**
   * The replies one filter selects (`year`, `kind`, `session`: as
   * {@link replyMatches}; `department`: issued by it), in store order. A year
   * is looked up; the others are worked out on the first question that uses
   * the value and kept, so later questions do not pass over every reply.
   */
  select(key: keyof Filters, value: string): ReplySelection {
    const cacheKey = `${key}\u0000${value}`;
    let s = this.#selections.get(cacheKey);
    if (s) return s;
    let replies: readonly StoredReply[];
    if (key === 'year') replies = this.#byYear.get(value) ?? [];
    else if (key === 'kind' && this.#byKind.has(value)) replies = this.#byKind.get(value) as StoredReply[];
    // Each group shares the line the filter reads, so its first reply decides for all of it.
    else if (key === 'department') replies = this.#groupsWhere(this.#byIssuer, (r) => this.issuerDepartments(r).has(value));
    else if (key === 'session') replies = this.#groupsWhere(this.#bySession, (r) => replyMatches(r, { session: value }));
    else replies = this.store.replies.filter((r) => replyMatches(r, { [key]: value }));
    s = { replies, ids: new Set(replies.map((r) => r.id)) };
    if (this.#selections.size >= SELECTION_CACHE) this.#selections.delete(this.#selections.keys().next().value as string);
    this.#selections.set(cacheKey, s);
    return s;
  }
}

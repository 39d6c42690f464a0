/**
 * A small Okapi BM25 index over {@link tokenize}'s Chinese tokens.
 *
 * Written here rather than taken from a full-text library because those
 * either treat a CJK run as one token by default or carry features (fuzzy,
 * prefix, field boosts) that only slow down what we need: exact terms such
 * as 吉工信议案〔2025〕6号 found quickly. It is rebuilt from all chunks on every
 * ingest (tokenizing is fast compared with embedding), so there is no
 * incremental update path that could leave stale postings behind.
 */
import { tokenize as defaultTokenize } from './tokenize.ts';

/** JSON form, see {@link Bm25Index.toJSON} (verbose: the store uses {@link Bm25Index.toBuffer}). */
export interface Bm25Json {
  format: 'dafu-bm25';
  version: 1;
  k1: number;
  b: number;
  ids: string[];
  /** Token count per document, same order as `ids`. */
  lengths: number[];
  /** term → flat postings [docIndex, termFrequency, docIndex, termFrequency, …]. */
  postings: Record<string, number[]>;
}

/** Header of the binary form; the postings follow it. */
interface Bm25BinaryHeader {
  format: 'dafu-bm25';
  version: 2;
  k1: number;
  b: number;
  ids: string[];
  lengths: number[];
  /** Terms in the order their postings follow. */
  terms: string[];
  /** Total number of (document, frequency) pairs, so the reader allocates once. */
  pairs: number;
}

/** First bytes of the binary form. */
const MAGIC = Buffer.from('DAFUBM25', 'latin1');

export interface Bm25Options {
  /** Term-frequency saturation; default 1.2 (the usual choice, fine for ~500-character chunks). */
  k1?: number;
  /** Length normalization; default 0.75. */
  b?: number;
  /** Default {@link defaultTokenize}; must be the same at build and query time. */
  tokenize?: (text: string) => string[];
}

/** Adds documents one at a time; {@link Bm25Builder.finish} gives the index (see {@link Bm25Index.builder}). */
export interface Bm25Builder {
  /** Indexes a document's tokens (from the same tokenizer the queries will use); a repeated id throws. */
  add(id: string, tokens: readonly string[]): void;
  finish(): Bm25Index;
}

export interface Bm25Hit {
  id: string;
  score: number;
}

export class Bm25Index {
  private readonly avgLength: number;
  private readonly tokenize: (text: string) => string[];

  private constructor(
    private readonly k1: number,
    private readonly b: number,
    private readonly ids: string[],
    private readonly lengths: number[],
    private readonly postings: Map<string, ArrayLike<number>>,
    tokenize: (text: string) => string[],
  ) {
    this.tokenize = tokenize;
    const total = lengths.reduce((a, n) => a + n, 0);
    this.avgLength = ids.length ? total / ids.length : 0;
  }

  /** Indexes `docs`; ids must be unique (a repeated id is a bug upstream, so it throws). */
  static build(docs: Iterable<{ id: string; text: string }>, opts: Bm25Options = {}): Bm25Index {
    const tokenize = opts.tokenize ?? defaultTokenize;
    function* tokenized() {
      for (const { id, text } of docs) yield { id, tokens: tokenize(text) };
    }
    return Bm25Index.fromTokens(tokenized(), opts);
  }

  /**
   * Indexes documents already tokenized (with the same tokenizer the queries
   * will use): the Postgres store keeps each chunk's tokens, so every reader
   * builds the same index without running jieba over the corpus again.
   */
  static fromTokens(docs: Iterable<{ id: string; tokens: readonly string[] }>, opts: Bm25Options = {}): Bm25Index {
    const builder = Bm25Index.builder(opts);
    for (const { id, tokens } of docs) builder.add(id, tokens);
    return builder.finish();
  }

  /**
   * An index built one document at a time, for an ingest that streams its
   * replies (nothing but the postings is kept). Postings grow in typed
   * arrays (4 bytes per number instead of a JS array's 8, ~1.3× slack
   * instead of up to 2×): at 10^5 chunks they are most of what an ingest
   * holds besides the vectors.
   */
  static builder(opts: Bm25Options = {}): Bm25Builder {
    const tokenize = opts.tokenize ?? defaultTokenize;
    const ids: string[] = [];
    const lengths: number[] = [];
    const lists = new Map<string, { data: Uint32Array; used: number }>();
    const seen = new Set<string>();
    const tf = new Map<string, number>();
    return {
      add(id, tokens) {
        if (seen.has(id)) throw new Error(`bm25: duplicate document id ${id}`);
        seen.add(id);
        const doc = ids.length;
        ids.push(id);
        lengths.push(tokens.length);
        tf.clear();
        for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
        for (const [term, n] of tf) {
          let list = lists.get(term);
          if (!list) lists.set(term, (list = { data: new Uint32Array(4), used: 0 }));
          if (list.used + 2 > list.data.length) {
            const grown = new Uint32Array(Math.max(8, Math.ceil(list.data.length * 1.3) + 2));
            grown.set(list.data);
            list.data = grown;
          }
          list.data[list.used++] = doc;
          list.data[list.used++] = n;
        }
      },
      finish() {
        const postings = new Map<string, ArrayLike<number>>();
        for (const [term, list] of lists) postings.set(term, list.data.subarray(0, list.used));
        return new Bm25Index(opts.k1 ?? 1.2, opts.b ?? 0.75, ids, lengths, postings, tokenize);
      },
    };
  }

  /** Restores an index saved with {@link toJSON}; throws on anything that is not one. */
  static fromJSON(json: unknown, opts: Pick<Bm25Options, 'tokenize'> = {}): Bm25Index {
    const j = json as Partial<Bm25Json> | null;
    if (!j || j.format !== 'dafu-bm25' || j.version !== 1 || !Array.isArray(j.ids) || !Array.isArray(j.lengths) || typeof j.postings !== 'object' || j.postings === null) {
      throw new Error('bm25: not a dafu BM25 index (or an unsupported version)');
    }
    return new Bm25Index(j.k1 ?? 1.2, j.b ?? 0.75, j.ids, j.lengths, new Map(Object.entries(j.postings)), opts.tokenize ?? defaultTokenize);
  }

  toJSON(): Bm25Json {
    const postings: Record<string, number[]> = {};
    for (const [term, list] of this.postings) postings[term] = Array.from(list);
    return { format: 'dafu-bm25', version: 1, k1: this.k1, b: this.b, ids: this.ids, lengths: this.lengths, postings };
  }

  /**
   * The compact binary form the store keeps (bm25.bin): `DAFUBM25`, the
   * header's byte length (uint32 LE), a JSON header (ids, lengths, terms),
   * then per term its postings as varints: count, then (document gap,
   * frequency) pairs. About a quarter of the JSON form's size, which wrote
   * every posting as decimal text.
   */
  toBuffer(): Buffer {
    const terms = [...this.postings.keys()];
    let pairs = 0;
    for (const list of this.postings.values()) pairs += list.length / 2;
    const header: Bm25BinaryHeader = { format: 'dafu-bm25', version: 2, k1: this.k1, b: this.b, ids: this.ids, lengths: this.lengths, terms, pairs };
    const head = Buffer.from(JSON.stringify(header), 'utf8');
    // Sized exactly (a first pass over the postings) rather than for the worst case of 5 bytes
    // per varint, which at 10^5 chunks was a ~200 MB buffer for ~50 MB of postings.
    const size = (v: number): number => (v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5);
    let bytes = 0;
    for (const list of this.postings.values()) {
      bytes += size(list.length / 2);
      let prev = 0;
      for (let i = 0; i < list.length; i += 2) {
        bytes += size((list[i] as number) - prev) + size(list[i + 1] as number);
        prev = list[i] as number;
      }
    }
    let out = Buffer.allocUnsafe(MAGIC.length + 4 + head.length + bytes);
    MAGIC.copy(out, 0);
    out.writeUInt32LE(head.length, MAGIC.length);
    head.copy(out, MAGIC.length + 4);
    let at = MAGIC.length + 4 + head.length;
    const put = (v: number): void => {
      while (v >= 0x80) {
        out[at++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      out[at++] = v;
    };
    for (const term of terms) {
      const list = this.postings.get(term) as ArrayLike<number>;
      put(list.length / 2);
      let prev = 0;
      for (let i = 0; i < list.length; i += 2) {
        const doc = list[i] as number;
        put(doc - prev);
        prev = doc;
        put(list[i + 1] as number);
      }
    }
    out = out.subarray(0, at);
    return out;
  }

  /** Restores an index saved with {@link toBuffer}; throws on anything that is not one. */
  static fromBuffer(buf: Uint8Array, opts: Pick<Bm25Options, 'tokenize'> = {}): Bm25Index {
    const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    const bad = (why: string) => new Error(`bm25: not a dafu BM25 index (${why})`);
    if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw bad('no DAFUBM25 mark');
    const headLength = bytes.readUInt32LE(MAGIC.length);
    let h: Partial<Bm25BinaryHeader>;
    try {
      h = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headLength)) as Partial<Bm25BinaryHeader>;
    } catch {
      throw bad('unreadable header');
    }
    if (h.format !== 'dafu-bm25' || h.version !== 2 || !Array.isArray(h.ids) || !Array.isArray(h.lengths) || !Array.isArray(h.terms) || typeof h.pairs !== 'number') {
      throw bad('unsupported version');
    }
    // All postings live in one typed array (4 bytes per number instead of a JS array's 8); each term gets a view of it.
    const all = new Uint32Array(2 * h.pairs);
    let at = MAGIC.length + 4 + headLength;
    const get = (): number => {
      let v = 0;
      let shift = 0;
      for (;;) {
        if (at >= bytes.length) throw bad('truncated');
        const byte = bytes[at++] as number;
        v += (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80) return v;
        shift += 7;
      }
    };
    const postings = new Map<string, Uint32Array>();
    let filled = 0;
    for (const term of h.terms) {
      const n = get();
      if (filled + 2 * n > all.length) throw bad('more postings than announced');
      const start = filled;
      let doc = 0;
      for (let i = 0; i < n; i++) {
        doc += get();
        all[filled++] = doc;
        all[filled++] = get();
      }
      postings.set(term, all.subarray(start, filled));
    }
    return new Bm25Index(h.k1 ?? 1.2, h.b ?? 0.75, h.ids, h.lengths, postings, opts.tokenize ?? defaultTokenize);
  }

  /** Number of indexed documents. */
  get size(): number {
    return this.ids.length;
  }

  /** The indexed document ids, in build order. */
  documentIds(): readonly string[] {
    return this.ids;
  }

  /**
   * The `k` best documents for `query`, best first; only documents sharing
   * at least one token with the query are returned (so possibly fewer than k).
   * Each distinct query token counts once, so repeating a word does not skew it.
   * With `accept` (a predicate on ids, the set of ids, or the sorted indices
   * of the accepted documents), only the documents it accepts are ranked (the
   * best k of those, not the best k filtered afterwards). Sorted indices are
   * the cheapest form: the search then skips through the postings to them.
   */
  search(query: string, k: number, accept?: ((id: string, doc: number) => boolean) | ReadonlySet<string> | Int32Array): Bm25Hit[] {
    const n = this.ids.length;
    if (n === 0 || k <= 0) return [];
    const norms = this.norms();
    // Terms in scoring order: a document's score is the sum of its terms' contributions in
    // this order (rarest, highest-weighted first), so every way of finding the top k below
    // adds the same numbers in the same order and gives bit-identical scores (and ties).
    const terms: Term[] = [];
    for (const term of new Set(this.tokenize(query))) {
      const list = this.postings.get(term);
      if (!list || list.length === 0) continue;
      const df = list.length / 2;
      const gain = Math.log(1 + (n - df + 0.5) / (df + 0.5)) * (this.k1 + 1);
      terms.push({ list, gain, bound: gain * this.maxFactor(term, list, norms), at: 0, slot: 0 });
    }
    if (terms.length === 0) return [];
    terms.sort((x, y) => y.gain - x.gain);
    terms.forEach((t, i) => (t.slot = i));

    // A set of ids becomes the sorted list of their document indices.
    let allowed: Int32Array | undefined;
    if (accept instanceof Int32Array) allowed = accept;
    else if (accept instanceof Set) {
      const index = (this.indexOfId ??= new Map(this.ids.map((id, i) => [id, i])));
      const docs: number[] = [];
      for (const id of accept as ReadonlySet<string>) {
        const doc = index.get(id);
        if (doc !== undefined) docs.push(doc);
      }
      allowed = Int32Array.from(docs).sort();
    }
    const test = typeof accept === 'function' ? accept : undefined;
    return this.maxScore(terms, k, norms, allowed, test).map((h) => ({ id: this.ids[h.doc] as string, score: h.score }));
  }

  /**
   * MaxScore (Turtle & Flood), document at a time, exact: each term knows the
   * most it adds to any document (`bound`). Terms sorted by bound; once the
   * k-th best score exceeds the bounds of the weakest terms together, a
   * document holding only those terms cannot enter the top k, so only the
   * other (rarer) terms' postings are walked for candidates and the weak
   * ones are looked up (galloping search) for those candidates alone. Common
   * words then cost a few lookups per candidate instead of a walk of
   * postings that span most of the corpus. Documents are visited in index
   * order, so a later document enters the top k only with a strictly higher
   * score: ties keep the lower index, as a full evaluation sorts them.
   */
  private maxScore(terms: Term[], k: number, norms: Float64Array, allowed: Int32Array | undefined, test: ((id: string, doc: number) => boolean) | undefined): Array<{ doc: number; score: number }> {
    const byBound = [...terms].sort((x, y) => x.bound - y.bound);
    const m = byBound.length;
    // below[i]: the bounds of byBound[0..i-1] together (what the weaker terms can still add).
    const below = new Float64Array(m + 1);
    for (let i = 0; i < m; i++) below[i + 1] = (below[i] as number) + (byBound[i] as Term).bound;
    // The contributions of the document being scored, by scoring slot (NaN: term absent).
    const parts = new Float64Array(terms.length);
    const heap = new TopK(k);
    // Terms byBound[0..weak-1] cannot make a document enter on their own.
    let weak = 0;
    let threshold = -Infinity;
    // Bounds are compared with a margin so float rounding in a partial sum never skips a document that full evaluation would keep.
    const under = (bound: number) => bound < threshold - Math.abs(threshold) * 1e-9;
    // Cursor into `allowed`: candidates leapfrog between it and the postings, so a small
    // allowed set skips most of each list and a large one costs one step per posting.
    let next = 0;
    for (;;) {
      // The next candidate: the lowest document in the strong terms' postings.
      let doc = Infinity;
      for (let i = weak; i < m; i++) {
        const t = byBound[i] as Term;
        if (t.at < t.list.length) {
          const d = t.list[t.at] as number;
          if (d < doc) doc = d;
        }
      }
      if (doc === Infinity) break;
      if (allowed) {
        while (next < allowed.length && (allowed[next] as number) < doc) next = gallop(allowed, next, doc);
        if (next >= allowed.length) break;
        const want = allowed[next] as number;
        if (want > doc) {
          for (let i = weak; i < m; i++) {
            const t = byBound[i] as Term;
            t.at = seek(t.list, t.at, want);
          }
          continue;
        }
      }
      const refused = test !== undefined && !test(this.ids[doc] as string, doc);
      parts.fill(Number.NaN);
      let partial = 0;
      for (let i = weak; i < m; i++) {
        const t = byBound[i] as Term;
        if (t.at < t.list.length && t.list[t.at] === doc) {
          if (!refused) {
            const tf = t.list[t.at + 1] as number;
            const c = (t.gain * tf) / (tf + (norms[doc] as number));
            parts[t.slot] = c;
            partial += c;
          }
          t.at += 2;
        }
      }
      if (refused) continue;
      if (heap.full && under(partial + (below[weak] as number))) continue;
      // The weak terms, strongest first, while the document can still enter.
      let out = false;
      for (let i = weak - 1; i >= 0; i--) {
        const t = byBound[i] as Term;
        t.at = seek(t.list, t.at, doc);
        if (t.at < t.list.length && t.list[t.at] === doc) {
          const tf = t.list[t.at + 1] as number;
          const c = (t.gain * tf) / (tf + (norms[doc] as number));
          parts[t.slot] = c;
          partial += c;
        }
        if (under(partial + (below[i] as number))) {
          out = true;
          break;
        }
      }
      if (out) continue;
      let score = 0;
      for (let s = 0; s < parts.length; s++) {
        const c = parts[s] as number;
        if (c === c) score += c;
      }
      if (!heap.offer(doc, score)) continue;
      if (heap.full) {
        threshold = heap.minScore;
        while (weak < m && under(below[weak + 1] as number)) weak++;
      }
    }
    return heap.sorted();
  }

  /**
   * Works out what the first search using a term would (the length
   * normalization, and each common term's largest contribution), calling
   * `pause` between steps so it runs in the background. Searches meanwhile
   * compute what is not ready themselves, with the same numbers.
   */
  async warm(pause: () => Promise<void>, minPostings = 256, step = 2048): Promise<void> {
    const norms = this.norms();
    let done = 0;
    for (const [term, list] of this.postings) {
      // A rare term's bound is cheap on demand; a common one's reads postings spanning much of the corpus.
      if (list.length / 2 < minPostings) continue;
      this.maxFactor(term, list, norms);
      done += list.length / 2;
      if (done >= step * 64) {
        done = 0;
        await pause();
      }
    }
  }

  /** BM25's length normalization per document, computed on the first search. */
  private norms(): Float64Array {
    return (this.lengthNorms ??= Float64Array.from(this.lengths, (len) => this.k1 * (1 - this.b + (this.b * len) / (this.avgLength || 1))));
  }

  /** The most tf/(tf + norm) reaches in a term's postings (its contribution per unit of IDF weight), worked out once per term. */
  private maxFactor(term: string, list: ArrayLike<number>, norms: Float64Array): number {
    let best = this.factors.get(term);
    if (best !== undefined) return best;
    best = 0;
    for (let i = 0; i < list.length; i += 2) {
      const tf = list[i + 1] as number;
      const f = tf / (tf + (norms[list[i] as number] as number));
      if (f > best) best = f;
    }
    this.factors.set(term, best);
    return best;
  }

  private readonly factors = new Map<string, number>();
  private indexOfId?: Map<string, number>;
  private lengthNorms?: Float64Array;
}

/** A query term during a search: its postings, weight, bound and cursor (a pair index into `list`). */
interface Term {
  list: ArrayLike<number>;
  /** IDF × (k1 + 1): what the term adds to a document is gain · tf / (tf + norm). */
  gain: number;
  /** The most it adds to any document. */
  bound: number;
  at: number;
  /** Its place in the scoring order. */
  slot: number;
}

/**
 * The first pair index ≥ `from` whose document is ≥ `doc` in flat postings
 * [doc, tf, doc, tf, …] sorted by doc: galloping, then binary search, so a
 * lookup costs the log of the distance skipped, not of the whole list.
 */
function seek(list: ArrayLike<number>, from: number, doc: number): number {
  const pairs = list.length / 2;
  let lo = from / 2;
  if (lo >= pairs || (list[2 * lo] as number) >= doc) return 2 * lo;
  let step = 1;
  let hi = lo + 1;
  while (hi < pairs && (list[2 * hi] as number) < doc) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  if (hi > pairs) hi = pairs;
  // list[2*lo] < doc; list[2*hi] >= doc or hi === pairs.
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((list[2 * mid] as number) < doc) lo = mid;
    else hi = mid;
  }
  return 2 * hi;
}

/** The first index ≥ `from` of sorted `docs` whose value is ≥ `doc` (galloping, then binary search). */
function gallop(docs: Int32Array, from: number, doc: number): number {
  if (from >= docs.length || (docs[from] as number) >= doc) return from;
  let lo = from;
  let step = 1;
  let hi = lo + 1;
  while (hi < docs.length && (docs[hi] as number) < doc) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  if (hi > docs.length) hi = docs.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((docs[mid] as number) < doc) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The k best documents offered in increasing index order, by score (ties:
 * the earlier, lower index), in a bounded min-heap.
 */
class TopK {
  private readonly docs: number[] = [];
  private readonly scores: number[] = [];
  constructor(private readonly k: number) {}

  get full(): boolean {
    return this.docs.length >= this.k;
  }

  /** The k-th best score so far (when full). */
  get minScore(): number {
    return this.scores[0] as number;
  }

  /** Keeps `doc` if it is among the k best so far; documents come in increasing order, so an equal score loses. */
  offer(doc: number, score: number): boolean {
    const { docs, scores } = this;
    if (docs.length < this.k) {
      let i = docs.length;
      docs.push(doc);
      scores.push(score);
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(i, p)) break;
        this.swap(i, p);
        i = p;
      }
      return true;
    }
    if (!(score > (scores[0] as number))) return false;
    docs[0] = doc;
    scores[0] = score;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < docs.length && this.worse(l, w)) w = l;
      if (r < docs.length && this.worse(r, w)) w = r;
      if (w === i) return true;
      this.swap(i, w);
      i = w;
    }
  }

  /** Best first; equal scores by index. */
  sorted(): Array<{ doc: number; score: number }> {
    return this.docs.map((doc, i) => ({ doc, score: this.scores[i] as number })).sort((a, b) => b.score - a.score || a.doc - b.doc);
  }

  /** Heap slot a ranks below slot b (lower score, or equal and later). */
  private worse(a: number, b: number): boolean {
    const sa = this.scores[a] as number;
    const sb = this.scores[b] as number;
    return sa < sb || (sa === sb && (this.docs[a] as number) > (this.docs[b] as number));
  }

  private swap(a: number, b: number): void {
    const { docs, scores } = this;
    [docs[a], docs[b]] = [docs[b] as number, docs[a] as number];
    [scores[a], scores[b]] = [scores[b] as number, scores[a] as number];
  }
}

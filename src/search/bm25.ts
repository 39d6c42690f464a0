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
   * With `accept` (a predicate on ids, or the set of ids), only the documents
   * it accepts are ranked (the best k of those, not the best k filtered
   * afterwards). A set is the cheaper form when most documents are refused.
   */
  search(query: string, k: number, accept?: ((id: string, doc: number) => boolean) | ReadonlySet<string>): Bm25Hit[] {
    const n = this.ids.length;
    if (n === 0 || k <= 0) return [];
    // One score array per index, reused: a search resets only the documents it
    // touched instead of allocating and zeroing an array the size of the corpus.
    const scores = (this.scratch ??= new Float64Array(n));
    const norms = (this.lengthNorms ??= Float64Array.from(this.lengths, (len) => this.k1 * (1 - this.b + (this.b * len) / (this.avgLength || 1))));
    // Rarest (highest-scoring) terms first. A term adds less than idf·(k1+1) to
    // any document, so once the k-th best score exceeds what the remaining
    // terms could add together, no untouched document can enter the top k:
    // those terms then only update the candidates (looked up in their sorted
    // postings) instead of walking postings that span most of the corpus.
    // The top k and their scores are exactly those of a full evaluation.
    const terms: Array<{ list: ArrayLike<number>; gain: number }> = [];
    for (const term of new Set(this.tokenize(query))) {
      const list = this.postings.get(term);
      if (!list) continue;
      const df = list.length / 2;
      terms.push({ list, gain: Math.log(1 + (n - df + 0.5) / (df + 0.5)) * (this.k1 + 1) });
    }
    terms.sort((x, y) => y.gain - x.gain);
    let remaining = terms.reduce((sum, t) => sum + t.gain, 0);
    const touched: number[] = [];
    // Documents `accept` refused are marked -1 so they are asked once.
    const refused: number[] = [];
    let pruning = false;
    // A set of ids becomes a mask over document indices (set here, cleared at the end).
    let allowed: number[] | undefined;
    const mask = accept instanceof Set ? (this.maskScratch ??= new Uint8Array(n)) : undefined;
    if (mask) {
      const index = (this.indexOfId ??= new Map(this.ids.map((id, i) => [id, i])));
      allowed = [];
      for (const id of accept as ReadonlySet<string>) {
        const doc = index.get(id);
        if (doc !== undefined) {
          mask[doc] = 1;
          allowed.push(doc);
        }
      }
    }
    const refuses = (doc: number): boolean => (mask ? mask[doc] === 0 : accept !== undefined && !(accept as (id: string, doc: number) => boolean)(this.ids[doc] as string, doc));
    try {
      for (const { list, gain } of terms) {
        remaining -= gain;
        const probes = touched.length * Math.log2(list.length + 2);
        if (pruning && probes < list.length / 2) {
          for (const doc of touched) {
            const tf = findTf(list, doc);
            if (tf > 0) scores[doc] = (scores[doc] as number) + (gain * tf) / (tf + (norms[doc] as number));
          }
          continue;
        }
        for (let i = 0; i < list.length; i += 2) {
          const doc = list[i] as number;
          const before = scores[doc] as number;
          if (before < 0) continue;
          if (before === 0) {
            if (pruning) continue;
            if (refuses(doc)) {
              scores[doc] = -1;
              refused.push(doc);
              continue;
            }
            touched.push(doc);
          }
          const tf = list[i + 1] as number;
          scores[doc] = before + (gain * tf) / (tf + (norms[doc] as number));
        }
        // The k-th best score exceeds what the remaining terms could add exactly when k documents
        // do: counted in one pass (stopping at k) rather than a top-k heap over every touched
        // document after each term (a common term touches most of the corpus).
        if (!pruning && touched.length >= k) {
          let above = 0;
          for (const doc of touched) if ((scores[doc] as number) > remaining && ++above >= k) break;
          pruning = above >= k;
        }
      }
      return topK(touched, scores, k).map((doc) => ({ id: this.ids[doc] as string, score: scores[doc] as number }));
    } finally {
      for (const doc of touched) scores[doc] = 0;
      for (const doc of refused) scores[doc] = 0;
      if (mask && allowed) for (const doc of allowed) mask[doc] = 0;
    }
  }

  private scratch?: Float64Array;
  private maskScratch?: Uint8Array;
  private indexOfId?: Map<string, number>;
  private lengthNorms?: Float64Array;
}

/** Term frequency of `doc` in flat postings [doc, tf, doc, tf, …] sorted by doc (binary search); 0 when absent. */
function findTf(list: ArrayLike<number>, doc: number): number {
  let lo = 0;
  let hi = list.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const d = list[2 * mid] as number;
    if (d === doc) return list[2 * mid + 1] as number;
    if (d < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/**
 * The `k` best of `docs` by `scores` (ties: lower index first), best first,
 * with a bounded min-heap: O(t log k) for t touched documents instead of
 * sorting all of them (a common term touches most of the corpus).
 */
function topK(docs: readonly number[], scores: Float64Array, k: number): number[] {
  // `worse(a, b)`: a ranks below b.
  const worse = (a: number, b: number) => (scores[a] as number) < (scores[b] as number) || ((scores[a] as number) === (scores[b] as number) && a > b);
  const heap: number[] = [];
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l] as number, heap[m] as number)) m = l;
      if (r < heap.length && worse(heap[r] as number, heap[m] as number)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m] as number, heap[i] as number];
      i = m;
    }
  };
  for (const doc of docs) {
    if (heap.length < k) {
      heap.push(doc);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!worse(heap[i] as number, heap[p] as number)) break;
        [heap[i], heap[p]] = [heap[p] as number, heap[i] as number];
        i = p;
      }
    } else if (worse(heap[0] as number, doc)) {
      heap[0] = doc;
      down(0);
    }
  }
  return heap.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
}

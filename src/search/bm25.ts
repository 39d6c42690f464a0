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

/** On-disk form, see {@link Bm25Index.toJSON}. */
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

export interface Bm25Options {
  /** Term-frequency saturation; default 1.2 (the usual choice, fine for ~500-character chunks). */
  k1?: number;
  /** Length normalization; default 0.75. */
  b?: number;
  /** Default {@link defaultTokenize}; must be the same at build and query time. */
  tokenize?: (text: string) => string[];
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
    private readonly postings: Map<string, number[]>,
    tokenize: (text: string) => string[],
  ) {
    this.tokenize = tokenize;
    const total = lengths.reduce((a, n) => a + n, 0);
    this.avgLength = ids.length ? total / ids.length : 0;
  }

  /** Indexes `docs`; ids must be unique (a repeated id is a bug upstream, so it throws). */
  static build(docs: Iterable<{ id: string; text: string }>, opts: Bm25Options = {}): Bm25Index {
    const tokenize = opts.tokenize ?? defaultTokenize;
    const ids: string[] = [];
    const lengths: number[] = [];
    const postings = new Map<string, number[]>();
    const seen = new Set<string>();
    for (const { id, text } of docs) {
      if (seen.has(id)) throw new Error(`bm25: duplicate document id ${id}`);
      seen.add(id);
      const doc = ids.length;
      ids.push(id);
      const tokens = tokenize(text);
      lengths.push(tokens.length);
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [term, n] of tf) {
        let list = postings.get(term);
        if (!list) postings.set(term, (list = []));
        list.push(doc, n);
      }
    }
    return new Bm25Index(opts.k1 ?? 1.2, opts.b ?? 0.75, ids, lengths, postings, tokenize);
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
    return { format: 'dafu-bm25', version: 1, k1: this.k1, b: this.b, ids: this.ids, lengths: this.lengths, postings: Object.fromEntries(this.postings) };
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
   */
  search(query: string, k: number): Bm25Hit[] {
    const n = this.ids.length;
    if (n === 0 || k <= 0) return [];
    const scores = new Float64Array(n);
    const touched: number[] = [];
    for (const term of new Set(this.tokenize(query))) {
      const list = this.postings.get(term);
      if (!list) continue;
      const df = list.length / 2;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let i = 0; i < list.length; i += 2) {
        const doc = list[i] as number;
        const tf = list[i + 1] as number;
        const norm = 1 - this.b + (this.b * (this.lengths[doc] as number)) / (this.avgLength || 1);
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = (scores[doc] as number) + (idf * tf * (this.k1 + 1)) / (tf + this.k1 * norm);
      }
    }
    touched.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
    return touched.slice(0, k).map((doc) => ({ id: this.ids[doc] as string, score: scores[doc] as number }));
  }
}

/**
 * How much of a question a passage covers: the IDF-weighted share of the
 * question's content terms that occur in the passage. It needs no model, so
 * it behaves the same with the tiny test model and the real one, and it is
 * what abstention and sentence choice are based on.
 */
import { bigrams, isFillerWord, isPhrasingWord, isTopicWord } from './text.ts';
import { foldVariants } from '../domain/fold.ts';
import { mulberry32 } from '../util/prng.ts';

/** The weight an unseen phrasing word keeps, as a share of its IDF. */
const PHRASING_SHARE = 0.35;

/** A question term with its weight (rarer in the corpus → heavier). */
export interface WeightedTerm {
  term: string;
  weight: number;
  /** A noun-like word (text.ts isTopicWord): what the question is about, rather than what is done with it (申请, 需要). */
  topic?: boolean;
}

/**
 * Most texts a document frequency is counted over. A corpus of up to this
 * many chunks is counted exactly; a larger one through a stratified
 * sample of this many, scaled up, so a question's new terms cost the same
 * (well under a millisecond each) at 10^4 or 10^6 chunks instead of a scan
 * of every chunk's text per term (≈10 ms per term at 10^5 chunks).
 */
export const DF_SAMPLE = 4096;

/**
 * Document frequencies over a fixed set of texts, computed lazily per term
 * and cached (questions reuse terms). Above {@link DF_SAMPLE} texts they are
 * estimated from a fixed, stratified sample (deterministic): IDF needs
 * the order of magnitude, and a term absent from the sample is rarer than
 * one text in {@link DF_SAMPLE}.
 */
export class TermScorer {
  private readonly texts: string[];
  private readonly total: number;
  private readonly cache = new Map<string, number>();

  constructor(texts: Iterable<string>) {
    const all = Array.isArray(texts) ? (texts as string[]) : Array.from(texts);
    this.total = all.length;
    const step = all.length / DF_SAMPLE;
    // Stratified: one text from each of DF_SAMPLE equal stretches, at a seeded random place in
    // it, so a corpus with a period (every reply's header chunk) cannot alias with the sample.
    const jitter = mulberry32(0xdf5a);
    const picked = all.length <= DF_SAMPLE ? all : Array.from({ length: DF_SAMPLE }, (_, i) => all[Math.floor((i + jitter()) * step)] as string);
    this.texts = picked.map((t) => t.toLowerCase());
  }

  /** Number of texts containing `term` (case-insensitive substring); estimated from the sample above {@link DF_SAMPLE} texts. */
  df(term: string): number {
    const key = term.toLowerCase();
    let n = this.cache.get(key);
    if (n === undefined) {
      n = 0;
      for (const t of this.texts) if (t.includes(key)) n++;
      if (this.total > this.texts.length) n = Math.round((n * this.total) / this.texts.length);
      this.cache.set(key, n);
    }
    return n;
  }

  /** Smoothed IDF, always > 0 so a term every passage has still counts a little. */
  idf(term: string): number {
    return Math.log(1 + (this.total + 1) / (this.df(term) + 0.5));
  }

  /**
   * Weights for `terms`. A CJK word of 3+ characters that occurs nowhere is
   * replaced by its bigrams sharing its weight, so 交流活动 still partly
   * matches 交流促进活动 while 长白山 (absent, as are its bigrams) stays absent.
   */
  weigh(terms: readonly string[]): WeightedTerm[] {
    const out: WeightedTerm[] = [];
    for (const term of terms) {
      // A word of the asker's own phrasing that no reply uses (那段, 为啥, 不好, 以前, 几条) would get the
      // heaviest weight of all and sink every passage's coverage: it says nothing of the topic, so it is left out.
      // (A longer one, 几公里, still shares its bigrams below: 公里 is topic.)
      if (this.df(term) === 0 && Array.from(term).length <= 2 && isFillerWord(term)) continue;
      // An unseen verb or time word of the asker's (加开 for 新增, 接下来 for 下一步) is how they put it, not the
      // topic: it still counts, so a question about something no reply does is not covered in full, but lightly.
      const w = this.df(term) === 0 && isPhrasingWord(term) ? PHRASING_SHARE * this.idf(term) : this.idf(term);
      const chars = Array.from(term);
      const topic = isTopicWord(term);
      if (this.df(term) === 0 && chars.length >= 3 && /^[\u3400-\u9fff]+$/u.test(term)) {
        const parts = bigrams(term);
        for (const p of parts) out.push({ term: p, weight: w / parts.length, topic });
      } else {
        out.push({ term, weight: w, topic });
      }
    }
    return out;
  }
}

/**
 * IDF-weighted share (0..1) of `terms` present in `text`; 0 when there are no terms. The text is folded, as the
 * question is: a simplified question covers a traditional reply's sentence (「與縣科協…對接」 holds 对接).
 */
export function coverage(terms: readonly WeightedTerm[], text: string): number {
  return coverageOfLowercase(terms, foldVariants(text).toLowerCase());
}

/** {@link coverage} of a text already lower-cased (the CorpusIndex keeps scoring texts so: lower-casing a long CJK string per passage per question is not free). */
export function coverageOfLowercase(terms: readonly WeightedTerm[], lower: string): number {
  let total = 0;
  let hit = 0;
  let topics = 0;
  let topicsHit = 0;
  for (const { term, weight, topic } of terms) {
    total += weight;
    const found = lower.includes(term.toLowerCase());
    if (found) hit += weight;
    if (topic) {
      topics++;
      if (found) topicsHit++;
    }
  }
  const share = total > 0 ? hit / total : 0;
  // 「公租房申请需要什么条件？」 is not about a passage that shares only 申请 and 需要: with none of the question's
  // nouns, a text is not about its topic however many of its verbs it shares.
  return topics > 0 && topicsHit === 0 ? Math.min(share, NOUNLESS_COVERAGE) : share;
}

/** The most coverage a text sharing none of the question's nouns can have (below the default relevance bar). */
const NOUNLESS_COVERAGE = 0.4;

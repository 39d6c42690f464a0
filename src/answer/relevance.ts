/**
 * How much of a question a passage covers: the IDF-weighted share of the
 * question's content terms that occur in the passage. It needs no model, so
 * it behaves the same with the tiny test model and the real one, and it is
 * what abstention and sentence choice are based on.
 */
import { bigrams } from './text.ts';

/** A question term with its weight (rarer in the corpus → heavier). */
export interface WeightedTerm {
  term: string;
  weight: number;
}

/**
 * Document frequencies over a fixed set of texts, computed lazily per term
 * and cached (questions reuse terms, and a corpus of tens of thousands of
 * chunks is scanned in milliseconds per term).
 */
export class TermScorer {
  private readonly texts: string[];
  private readonly cache = new Map<string, number>();

  constructor(texts: Iterable<string>) {
    this.texts = Array.from(texts, (t) => t.toLowerCase());
  }

  /** Number of texts containing `term` (case-insensitive substring). */
  df(term: string): number {
    const key = term.toLowerCase();
    let n = this.cache.get(key);
    if (n === undefined) {
      n = 0;
      for (const t of this.texts) if (t.includes(key)) n++;
      this.cache.set(key, n);
    }
    return n;
  }

  /** Smoothed IDF, always > 0 so a term every passage has still counts a little. */
  idf(term: string): number {
    return Math.log(1 + (this.texts.length + 1) / (this.df(term) + 0.5));
  }

  /**
   * Weights for `terms`. A CJK word of 3+ characters that occurs nowhere is
   * replaced by its bigrams sharing its weight, so 交流活动 still partly
   * matches 交流促进活动 while 长白山 (absent, as are its bigrams) stays absent.
   */
  weigh(terms: readonly string[]): WeightedTerm[] {
    const out: WeightedTerm[] = [];
    for (const term of terms) {
      const w = this.idf(term);
      const chars = Array.from(term);
      if (this.df(term) === 0 && chars.length >= 3 && /^[\u3400-\u9fff]+$/u.test(term)) {
        const parts = bigrams(term);
        for (const p of parts) out.push({ term: p, weight: w / parts.length });
      } else {
        out.push({ term, weight: w });
      }
    }
    return out;
  }
}

/** IDF-weighted share (0..1) of `terms` present in `text`; 0 when there are no terms. */
export function coverage(terms: readonly WeightedTerm[], text: string): number {
  let total = 0;
  let hit = 0;
  const lower = text.toLowerCase();
  for (const { term, weight } of terms) {
    total += weight;
    if (lower.includes(term.toLowerCase())) hit += weight;
  }
  return total > 0 ? hit / total : 0;
}

/**
 * When to say "not found". The decision uses the best passage's relevance
 * (IDF-weighted share of the question's topic terms it covers, see
 * relevance.ts), compared with ABSTAIN_THRESHOLD. The threshold is
 * calibrated on the evaluation set with {@link calibrateThreshold}; `npm run
 * eval` prints the calibration so it can be re-checked when the corpus grows.
 */

/** What the user sees when the replies do not cover the question. */
export const NOT_FOUND = '现有答复中未找到相关内容。';

/** True when the best relevance is below the threshold. */
export function shouldAbstain(relevance: number, threshold: number): boolean {
  return relevance < threshold;
}

export interface CalibrationSample {
  id: string;
  relevance: number;
  answerable: boolean;
}

export interface Calibration {
  /** The chosen threshold: the middle of the widest range of thresholds with the best balanced accuracy. */
  threshold: number;
  /** Balanced accuracy at the threshold: mean of (answerable kept) and (unanswerable abstained). */
  balancedAccuracy: number;
  /** The range of thresholds that score as well. */
  range: [number, number];
  samples: number;
}

/**
 * Picks the threshold that best separates answerable from unanswerable
 * questions by relevance. Every threshold between two neighbouring observed
 * relevances behaves the same, so candidates are those intervals; among the
 * best-scoring ones the widest wins, and its midpoint is returned (the
 * largest margin on both sides). With no unanswerable samples, the threshold
 * sits halfway below the lowest answerable relevance.
 */
export function calibrateThreshold(samples: readonly CalibrationSample[]): Calibration {
  const values = [...new Set([0, ...samples.map((s) => s.relevance), 1.000001])].sort((a, b) => a - b);
  const pos = samples.filter((s) => s.answerable);
  const neg = samples.filter((s) => !s.answerable);
  let best = -1;
  let bestRange: [number, number] = [0, 0];
  for (let i = 0; i + 1 < values.length; i++) {
    const lo = values[i] as number;
    const hi = values[i + 1] as number;
    // Any t in (lo, hi]: relevance ≥ t keeps values ≥ hi.
    const keptPos = pos.filter((s) => s.relevance >= hi).length;
    const abstNeg = neg.filter((s) => s.relevance < hi).length;
    const score = (pos.length ? keptPos / pos.length : 1) / 2 + (neg.length ? abstNeg / neg.length : 1) / 2;
    const better = score > best + 1e-9;
    const wider = Math.abs(score - best) <= 1e-9 && hi - lo > bestRange[1] - bestRange[0];
    if (better || wider) {
      best = score;
      bestRange = [lo, Math.min(hi, 1)];
    }
  }
  const threshold = Math.round(((bestRange[0] + bestRange[1]) / 2) * 1000) / 1000;
  return { threshold, balancedAccuracy: best, range: bestRange, samples: samples.length };
}

/**
 * When to say "not found". The decision uses the best passage's relevance
 * (IDF-weighted share of the question's topic terms it covers, see
 * relevance.ts), compared with ABSTAIN_THRESHOLD. The threshold is
 * calibrated on the evaluation set with {@link calibrateThreshold}; `npm run
 * eval` prints the calibration so it can be re-checked when the corpus grows.
 */

/** What the user sees when the replies do not cover the question. */
export const NOT_FOUND = '现有答复中未找到相关内容。';

/**
 * Every reason dafu has for not answering, each with its one message. The
 * composers and the engine say *why* (a typed reason); the wording lives
 * here, so a reason is never worded two ways and a new one is added once.
 */
export type AbstainReason =
  /** No passage covers the question well enough. */
  | { reason: 'below-threshold' }
  /** The question asks for a value of some kind (an amount, a year, a date …; see slots.ts) and the passages about its topic state none. */
  | { reason: 'not-stated'; what: string }
  /** The question asks whether the reply says a particular thing (「有没有说…」) and no passage found says it. */
  | { reason: 'not-mentioned'; what: string }
  /** The question's filters (department, year, kind, session) leave no reply. */
  | { reason: 'no-match'; conditions: string[] }
  /** A 发文字号 or proposal number the store does not hold — said only after the full text was searched. */
  | { reason: 'unknown-identifier'; identifiers: string[] }
  /** The reply is found, but it does not state the field asked for (its own sentence says which). */
  | { reason: 'field-missing'; message: string }
  /** The question names a code or abbreviation (GDP, G235) that occurs in no reply. */
  | { reason: 'unknown-term'; terms: string[] }
  /** The question identifies replies the store holds, but nothing in them covers what it asks. */
  | { reason: 'not-in-reply'; replies: string[] }
  /** The department asked about made no promise in these replies. */
  | { reason: 'nobody-promised'; departments: string[] }
  /** The composed answer failed the citation check, so it is withheld. */
  | { reason: 'citation-check-failed' }
  /** 「那X呢」 with no earlier question to refer to. */
  | { reason: 'no-earlier-question'; subject: string }
  /** 「第N条」 beyond what the last answer listed (or nothing listed yet). */
  | { reason: 'no-such-item'; which: string; listed: number | null };

export type AbstainReasonKind = AbstainReason['reason'];

/** The message for a reason: in Chinese, saying what was not found and, where it helps, how to ask. */
export function abstainMessage(r: AbstainReason): string {
  switch (r.reason) {
    case 'below-threshold':
      return NOT_FOUND;
    case 'not-stated':
      return `现有答复中有相关内容，但没有写明问题所问的${r.what}。`;
    case 'not-mentioned':
      // The asker's words, not a quotation of a source: no 「」 around them (the citation check reads those as quotes).
      return `现有答复中有相关内容，但找到的段落没有写明问题所问的：${r.what}。`;
    case 'no-match':
      return r.conditions.length > 0 ? `现有答复中没有符合条件（${r.conditions.join('，')}）的相关内容。` : NOT_FOUND;
    case 'unknown-identifier':
      return `现有答复中没有编号为 ${r.identifiers.join('、')} 的答复。`;
    case 'field-missing':
      return r.message;
    case 'unknown-term':
      return `现有答复中没有提到${r.terms.join('、')}。`;
    case 'not-in-reply':
      return `找到了${r.replies.join('、')}，但其中没有找到问题所问的内容。`;
    case 'nobody-promised':
      return `现有答复中没有${r.departments.join('、')}作出的下一步工作安排。`;
    case 'citation-check-failed':
      return NOT_FOUND;
    case 'no-earlier-question':
      // No 「」 around the examples: the citation check reads 「」 as quotations of a source.
      return `没有上一个问题可以参照（对话刚开始或已重置），所以无法确定要问${r.subject}的什么。请把问题问完整，例如：\n${r.subject}做了哪些工作？\n${r.subject}下一步打算做什么？`;
    case 'no-such-item':
      return r.listed === null ? '还没有可以展开的回答，请先提问。' : `上一条回答只列出了 ${r.listed} 条，没有${r.which}。`;
  }
}

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

/**
 * Runs the evaluation: every question through the engine (fresh
 * conversation each, so items are independent) and through the naive
 * baseline, the figures for both, the per-item results for recomputation,
 * and the abstain-threshold calibration.
 */
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { type Calibration, calibrateThreshold } from '../answer/abstain.ts';
import { verifyAnswer } from '../answer/citations.ts';
import { type CitationJson, citationJson } from '../answer/format.ts';
import type { Engine } from '../answer/types.ts';
import { type Baseline } from './baseline.ts';
import { type ItemOutcome, type RetrievedItem, type Summary, summarize } from './metrics.ts';
import { type EvalQuestion, isUnanswerable } from './questions.ts';

export interface EvalResult {
  id: string;
  found: boolean;
  answer: string;
  citations: CitationJson[];
  retrieved: RetrievedItem[];
}

export interface EvalReport {
  k: number;
  summary: Summary;
  baseline: Summary;
  results: EvalResult[];
  /**
   * Calibration of ABSTAIN_THRESHOLD on the items whose answer the threshold
   * decided (items answered from a reply's record or its commitments do not
   * depend on it); null when there is none.
   */
  calibration: (Calibration & { items: Array<{ id: string; relevance: number; answerable: boolean }> }) | null;
}

/** Evaluates `engine` (and `baseline`, when given) on `questions` at cut-off `k`. */
export async function runEval(engine: Engine, baseline: Baseline | null, questions: readonly EvalQuestion[], k: number, onItem?: (done: number, total: number) => void): Promise<EvalReport> {
  const ours: ItemOutcome[] = [];
  const theirs: ItemOutcome[] = [];
  const results: EvalResult[] = [];
  const samples: Array<{ id: string; relevance: number; answerable: boolean }> = [];
  for (const [i, q] of questions.entries()) {
    const a = await engine.ask(q.question, { conversation: { turns: [] }, k });
    const retrieved: RetrievedItem[] = (a.diagnostics?.retrieved ?? []).slice(0, k).map((r) => ({ file: r.file, section: r.section, text: r.text, score: Math.round(r.score * 10000) / 10000 }));
    const cited: RetrievedItem[] = a.citations.map((c) => ({ file: c.file, section: c.section, text: c.text, score: 0 }));
    ours.push({ question: q, found: a.found, retrieved, cited, route: a.diagnostics?.route ?? a.kind, asks: a.diagnostics?.asks ?? a.kind, citationValid: verifyAnswer(a).valid });
    results.push({ id: q.id, found: a.found, answer: a.answer, citations: a.citations.map(citationJson), retrieved });
    // Only what the relevance bar decides: an answer, or a below-threshold abstention (not "the amount is not stated", which the slot check decides whatever the bar).
    const byBar = !a.diagnostics?.abstain || a.diagnostics.abstain === 'below-threshold';
    if (a.diagnostics?.route === 'threshold' && byBar) samples.push({ id: q.id, relevance: Math.round(a.diagnostics.relevance * 1000) / 1000, answerable: !isUnanswerable(q) });
    if (baseline) {
      // The baseline always answers with what it retrieved: it has no notion of "not found".
      const got = await baseline.search(q.question, k);
      theirs.push({ question: q, found: true, retrieved: got, cited: got, route: 'baseline', citationValid: null });
    }
    onItem?.(i + 1, questions.length);
  }
  return {
    k,
    summary: summarize(ours, k),
    baseline: summarize(theirs, k),
    results,
    calibration: samples.length > 0 ? { ...calibrateThreshold(samples), items: samples } : null,
  };
}

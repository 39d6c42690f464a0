/**
 * Evaluation metrics. Retrieval metrics are over answerable items: a "quote
 * hit" is a retrieved chunk from the item's `doc` whose text contains the
 * item's `quote`, both compared with all whitespace removed and full/half-
 * width punctuation folded (the dev set's quotes keep PDF spaces such as
 * 「累计支持 120 个」). MRR is the reciprocal rank of the first quote hit
 * within k (0 when none). The quote goes through ingest's normalization
 * first, as the source text did before it was stored. Those are retrieval figures: what retrieval
 * returned, in its order. Answering is judged apart: answer quote-hit is
 * whether a passage the answer cites holds the quote.
 */
import path from 'node:path';
import { normalize } from '../../ingest/normalize.ts';
import { foldForMatch } from '../answer/text.ts';
import { foldVariants } from '../domain/fold.ts';
import { type EvalQuestion, isUnanswerable } from './questions.ts';

/** A retrieved passage as the eval reports it. */
export interface RetrievedItem {
  file: string;
  section: string[];
  text: string;
  score: number;
}

/** One question's outcome, as needed for the figures. */
export interface ItemOutcome {
  question: EvalQuestion;
  found: boolean;
  retrieved: RetrievedItem[];
  /** The passages the answer cites (empty when it abstained); the baseline cites what it retrieved. */
  cited: RetrievedItem[];
  /** How the answer was made (record, commitments, threshold, no-match, chat …). */
  route: string;
  /** What the question asks for, as dafu understood it (record, commitments, activities, comparison, value, open); absent for the baseline. */
  asks?: string;
  /** Whether the answer's quotes are verbatim and markers resolve; null when the system composes no answer (baseline). */
  citationValid: boolean | null;
}

export interface Figures {
  questions: number;
  quoteHitAt1: number | null;
  quoteHitAtK: number | null;
  docHitAtK: number | null;
  mrr: number | null;
  /** Answering: share of answerable items answered with a cited passage from `doc` that contains the quote. */
  answerQuoteHit: number | null;
  abstainAccuracy: number | null;
  falseAbstainRate: number | null;
  citationValidity: number | null;
}

export interface Summary extends Figures {
  byKind: Record<string, Figures>;
  /** The same figures per answer route, so retrieval and each way of answering are judged apart. */
  byRoute: Record<string, Figures>;
  /** The same figures per kind of question as understood (the intent of its ask). */
  byAsk: Record<string, Figures>;
}

/** Same document, whatever folder prefix either side carries. */
function sameDoc(file: string, doc: string): boolean {
  return path.basename(file) === path.basename(doc);
}

/** 1-based rank of the first retrieved item (within k) from `doc` containing `quote`, or 0. */
export function quoteRank(retrieved: readonly RetrievedItem[], q: EvalQuestion, k: number): number {
  // The quote is copied from the source file; the store holds its normalized text (mirrors'
  // pinyin glosses 「會(huì)議」 and stray spaces gone), so the quote is normalized the same way.
  // Traditional and simplified forms are one text (a quote typed in 简体 of a 繁體 reply still hits).
  const quote = foldForMatch(foldVariants(normalize(q.quote)));
  const i = retrieved.slice(0, k).findIndex((r) => sameDoc(r.file, q.doc) && foldForMatch(foldVariants(r.text)).includes(quote));
  return i + 1;
}

const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 1000);

/** Figures over `items` at cut-off `k`; a figure with no item to measure is null. */
export function figures(items: readonly ItemOutcome[], k: number): Figures {
  const answerable = items.filter((i) => !isUnanswerable(i.question));
  const unanswerable = items.filter((i) => isUnanswerable(i.question));
  const ranks = answerable.map((i) => quoteRank(i.retrieved, i.question, k));
  const validity = items.map((i) => i.citationValid).filter((v): v is boolean => v !== null);
  return {
    questions: items.length,
    quoteHitAt1: round(mean(ranks.map((r) => (r === 1 ? 1 : 0)))),
    quoteHitAtK: round(mean(ranks.map((r) => (r > 0 ? 1 : 0)))),
    docHitAtK: round(mean(answerable.map((i) => (i.retrieved.slice(0, k).some((r) => sameDoc(r.file, i.question.doc)) ? 1 : 0)))),
    mrr: round(mean(ranks.map((r) => (r > 0 ? 1 / r : 0)))),
    answerQuoteHit: round(mean(answerable.map((i) => (i.found && quoteRank(i.cited, i.question, i.cited.length) > 0 ? 1 : 0)))),
    abstainAccuracy: round(mean(unanswerable.map((i) => (i.found ? 0 : 1)))),
    falseAbstainRate: round(mean(answerable.map((i) => (i.found ? 0 : 1)))),
    citationValidity: round(mean(validity.map((v) => (v ? 1 : 0)))),
  };
}

/** Overall figures plus the same per `kind`. */
export function summarize(items: readonly ItemOutcome[], k: number): Summary {
  const kinds = [...new Set(items.map((i) => i.question.kind))].sort();
  const byKind: Record<string, Figures> = {};
  for (const kind of kinds) byKind[kind] = figures(items.filter((i) => i.question.kind === kind), k);
  const byRoute: Record<string, Figures> = {};
  for (const route of [...new Set(items.map((i) => i.route))].sort()) byRoute[route] = figures(items.filter((i) => i.route === route), k);
  const byAsk: Record<string, Figures> = {};
  for (const ask of [...new Set(items.flatMap((i) => (i.asks ? [i.asks] : [])))].sort()) byAsk[ask] = figures(items.filter((i) => i.asks === ask), k);
  return { ...figures(items, k), byKind, byRoute, byAsk };
}

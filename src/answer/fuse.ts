/**
 * Fusion of ranked lists (dense, BM25, exact lookup) into one ranking, and
 * the per-reply cap. Each fused hit keeps every retriever's rank and raw
 * score so a wrong answer can be traced to the retriever that caused it.
 */

/** One retriever's results, best first. `score` is the retriever's own (higher is better). */
export interface RankedList {
  name: string;
  hits: ReadonlyArray<{ id: string; score: number }>;
}

export interface FusedHit {
  id: string;
  /** Fused score, higher is better (RRF sum or weighted sum of normalized scores). */
  score: number;
  /** 1-based rank in each list that returned this id. */
  ranks: Record<string, number>;
  /** Raw score in each list that returned this id. */
  scores: Record<string, number>;
}

export interface FuseOptions {
  /** `rrf` (default: robust to scores on different scales) or `weighted`. */
  method?: 'rrf' | 'weighted';
  /** RRF constant; default 60, the value from Cormack et al. that damps the top ranks' dominance. */
  rrfK?: number;
  /** Per-list weights by name; default 1 each. */
  weights?: Record<string, number>;
}

/**
 * Fuses `lists`. RRF: Σ w / (k + rank). Weighted: Σ w · min-max-normalized
 * score (a list where every score is equal contributes w to each hit).
 * Ties keep the order of first appearance, so the result is deterministic.
 */
export function fuse(lists: readonly RankedList[], options: FuseOptions = {}): FusedHit[] {
  const method = options.method ?? 'rrf';
  const k = options.rrfK ?? 60;
  const byId = new Map<string, FusedHit>();
  const order: string[] = [];
  for (const list of lists) {
    const w = options.weights?.[list.name] ?? 1;
    const scores = list.hits.map((h) => h.score);
    const max = Math.max(...scores);
    const min = Math.min(...scores);
    list.hits.forEach((hit, i) => {
      let fused = byId.get(hit.id);
      if (!fused) {
        fused = { id: hit.id, score: 0, ranks: {}, scores: {} };
        byId.set(hit.id, fused);
        order.push(hit.id);
      }
      // A list may (wrongly) repeat an id; its best rank counts once.
      if (fused.ranks[list.name] !== undefined) return;
      fused.ranks[list.name] = i + 1;
      fused.scores[list.name] = hit.score;
      fused.score += method === 'rrf' ? w / (k + i + 1) : w * (max > min ? (hit.score - min) / (max - min) : 1);
    });
  }
  const position = new Map(order.map((id, i) => [id, i]));
  return [...byId.values()].sort((a, b) => b.score - a.score || (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
}

/**
 * Keeps at most `maxPerGroup` hits per group (reply) and at most `limit`
 * overall, in order, so one long reply cannot crowd out the others.
 */
export function capPerGroup<T>(hits: readonly T[], groupOf: (hit: T) => string, maxPerGroup: number, limit: number): T[] {
  const counts = new Map<string, number>();
  const out: T[] = [];
  for (const hit of hits) {
    if (out.length >= limit) break;
    const g = groupOf(hit);
    const n = counts.get(g) ?? 0;
    if (n >= maxPerGroup) continue;
    counts.set(g, n + 1);
    out.push(hit);
  }
  return out;
}

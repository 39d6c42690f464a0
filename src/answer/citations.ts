/**
 * Citations: numbering the cited chunks, and checking an answer's integrity
 * (every [n] resolves; every quotation, and in extractive answers every cited
 * sentence, is a verbatim substring of the chunk it cites). Citations are the
 * product's promise, so the check is strict and shared by engine, LLM mode,
 * tests and eval.
 */
import type { StoredChunk, StoredReply } from '../store/types.ts';
import type { AnswerKind, Citation } from './types.ts';

/** A citation for `chunk` numbered `n`; `text` is the full chunk body. */
export function toCitation(n: number, chunk: StoredChunk, reply: StoredReply): Citation {
  return {
    n,
    chunkId: chunk.id,
    file: chunk.metadata.file,
    title: reply.title,
    proposalTitle: reply.proposalTitle,
    docNumber: reply.docNumber,
    issuer: reply.issuer,
    date: reply.date,
    section: [...chunk.metadata.section],
    text: chunk.metadata.text,
  };
}

/** Numbers cited chunks 1, 2, … in order of first use; citing a chunk again reuses its number. */
export class CitationList {
  private readonly items: Citation[] = [];

  add(chunk: StoredChunk, reply: StoredReply): number {
    const existing = this.items.find((c) => c.chunkId === chunk.id);
    if (existing) return existing.n;
    const n = this.items.length + 1;
    this.items.push(toCitation(n, chunk, reply));
    return n;
  }

  list(): Citation[] {
    return [...this.items];
  }
}

/** Citation markers [n] in order, as numbers. */
export function markers(text: string): number[] {
  return [...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
}

/**
 * Quotations in 「」 or “” (the forms a Chinese answer quotes in). Quote marks
 * inside a 《title》 belong to the title (《…共建“一带一路”的建议》), not to a
 * quotation of the passage, so titles are skipped.
 */
export function quotations(text: string): string[] {
  const outsideTitles = text.replace(/《[^《》]*》/g, '《》');
  return [...outsideTitles.matchAll(/「([^「」]+)」|“([^“”]+)”/g)].map((m) => (m[1] ?? m[2] ?? '').trim()).filter(Boolean);
}

export interface CitationCheck {
  valid: boolean;
  problems: string[];
}

/**
 * Pieces of an answer each followed by a marker: `[{text, n}]`. A piece is
 * the text since the previous marker or line start, without list bullets.
 */
export function citedPieces(answer: string): Array<{ text: string; n: number }> {
  const out: Array<{ text: string; n: number }> = [];
  for (const line of answer.split('\n')) {
    let from = 0;
    for (const m of line.matchAll(/\[(\d+)\]/g)) {
      const idx = m.index ?? 0;
      const text = line
        .slice(from, idx)
        .replace(/^[\s·•\-*]+/u, '')
        .trim();
      if (text) out.push({ text, n: Number(m[1]) });
      from = idx + m[0].length;
    }
  }
  return out;
}

/** Kinds whose every cited piece is quoted text and must be verbatim. */
const VERBATIM_KINDS: ReadonlySet<AnswerKind> = new Set(['extractive', 'commitments']);

/**
 * Checks `answer` against `citations`: each [n] must name a citation; each
 * quotation must occur verbatim in a chunk cited on the same line (or any
 * cited chunk when the line cites none); for extractive and commitment
 * answers each cited piece must be a verbatim substring of its chunk.
 */
export function checkAnswer(answer: { answer: string; citations: readonly Citation[]; kind: AnswerKind }): CitationCheck {
  const problems: string[] = [];
  const byN = new Map(answer.citations.map((c) => [c.n, c]));
  for (const n of markers(answer.answer)) if (!byN.has(n)) problems.push(`marker [${n}] has no source`);
  for (const line of answer.answer.split('\n')) {
    const cited = markers(line).map((n) => byN.get(n)).filter((c): c is Citation => c !== undefined);
    const pool = cited.length > 0 ? cited : answer.citations;
    for (const q of quotations(line)) {
      if (!pool.some((c) => c.text.includes(q))) problems.push(`quotation 「${q}」 is not verbatim in its source`);
    }
  }
  if (VERBATIM_KINDS.has(answer.kind)) {
    for (const piece of citedPieces(answer.answer)) {
      const c = byN.get(piece.n);
      if (c && !c.text.includes(piece.text)) problems.push(`sentence before [${piece.n}] is not verbatim in source ${piece.n}: ${piece.text.slice(0, 40)}`);
    }
  }
  return { valid: problems.length === 0, problems };
}

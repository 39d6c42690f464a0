/**
 * Citations: numbering the cited chunks, and checking an answer's integrity
 * (every [n] resolves; every quotation, and in extractive answers every cited
 * sentence, is a verbatim substring of the chunk it cites). Citations are the
 * product's promise, so the check is strict and shared by engine, LLM mode,
 * tests and eval.
 */
import type { StoredChunk, StoredReply } from '../store/types.ts';
import type { AnswerKind, Citation, Draft, DraftLine } from './types.ts';

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

/**
 * Builds an answer as a {@link Draft}: quotes and our own words as data,
 * sources numbered in order of first use. [n] exists only in the rendering.
 */
export class DraftBuilder {
  private readonly list = new CitationList();
  private readonly lines: DraftLine[] = [];

  /** The source number of a chunk (added on first use). */
  cite(chunk: StoredChunk, reply: StoredReply): number {
    return this.list.add(chunk, reply);
  }

  /** A verbatim quote of `chunk`, after `lead` (our own words, such as a bullet). */
  quote(text: string, chunk: StoredChunk, reply: StoredReply, lead = '', tail = ''): void {
    this.lines.push({ lead, text, quote: true, sources: [this.cite(chunk, reply)], tail });
  }

  /** Our own words (a heading, a record value, a note), citing `sources` when they rest on passages. */
  own(text: string, sources: number[] = [], lead = '', tail = ''): void {
    this.lines.push({ lead, text, quote: false, sources, tail });
  }

  get length(): number {
    return this.lines.length;
  }

  /** The draft, its rendering with [n] markers, and its sources. */
  result(): { answer: string; citations: Citation[]; draft: Draft } {
    const draft: Draft = { lines: [...this.lines] };
    return { answer: renderDraft(draft), citations: this.list.list(), draft };
  }
}

/**
 * Several answers as one, in order (a question asking two things: 「下一步打算…还有联系人是谁」):
 * their lines one after another, sources renumbered in order of first use, a chunk cited by
 * both keeping one number.
 */
export function joinDrafts(parts: ReadonlyArray<{ draft: Draft; citations: readonly Citation[] }>): { answer: string; citations: Citation[]; draft: Draft } {
  const citations: Citation[] = [];
  const lines: DraftLine[] = [];
  for (const part of parts) {
    const number = new Map<number, number>();
    for (const c of part.citations) {
      const seen = citations.find((x) => x.chunkId === c.chunkId);
      const n = seen?.n ?? citations.length + 1;
      if (!seen) citations.push({ ...c, n });
      number.set(c.n, n);
    }
    for (const l of part.draft.lines) lines.push({ ...l, sources: l.sources.map((n) => number.get(n) ?? n) });
  }
  const draft: Draft = { lines };
  return { answer: renderDraft(draft), citations, draft };
}

/** A draft as plain text: each line's words, then its sources as [n] (the terminal's and JSON's form). */
export function renderDraft(draft: Draft, marker: (n: number) => string = (n) => `[${n}]`): string {
  return draft.lines.map((l) => `${l.lead}${l.text}${l.sources.map(marker).join('')}${l.tail}`).join('\n');
}

/**
 * Checks a draft against its sources: every source number is a shown
 * citation; every quote line is verbatim in its source; quotations 「…」 in
 * our own words are verbatim in a source the line cites (or any, when it cites none),
 * in its text or its section headings.
 */
export function verifyDraft(draft: Draft, citations: readonly Citation[]): CitationCheck {
  const problems: string[] = [];
  const byN = new Map(citations.map((c) => [c.n, c]));
  for (const line of draft.lines) {
    const cited = line.sources.map((n) => byN.get(n));
    for (const [i, c] of cited.entries()) if (!c) problems.push(`source ${line.sources[i]} is not shown`);
    const pool = cited.filter((c): c is Citation => c !== undefined);
    if (line.quote) {
      if (pool.length !== 1 || !pool[0]!.text.includes(line.text)) problems.push(`quote is not verbatim in its source: ${line.text.slice(0, 40)}`);
      continue;
    }
    for (const q of quotations(`${line.lead}${line.text}${line.tail}`)) {
      // A section heading is the source's own text too (一、关于“加速成果落地”的建议).
      if (!(pool.length > 0 ? pool : citations).some((c) => holdsQuotation(c, q))) problems.push(`quotation 「${q}」 is not verbatim in its source`);
    }
  }
  return { valid: problems.length === 0, problems };
}

/** The check for an answer: its draft when a composer built one, else its text (LLM answers, checked sentence by sentence on arrival). */
export function verifyAnswer(answer: { answer: string; draft?: Draft; citations: readonly Citation[]; kind: AnswerKind }): CitationCheck {
  return answer.draft ? verifyDraft(answer.draft, answer.citations) : checkAnswer(answer);
}

/** True when a quotation is the source's own words: in its text, or in its section headings (一、关于“加速成果落地”的建议). */
export function holdsQuotation(c: Pick<Citation, 'text' | 'section'>, q: string): boolean {
  return c.text.includes(q) || c.section.some((h) => h.includes(q));
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
      if (!pool.some((c) => holdsQuotation(c, q))) problems.push(`quotation 「${q}」 is not verbatim in its source`);
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

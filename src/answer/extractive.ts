/**
 * Extractive answers: the sentences of the top passages that best cover the
 * question, each quoted verbatim and followed by its citation marker. No
 * model and no network, so this is the default and the fallback of LLM mode.
 */
import { DraftBuilder } from './citations.ts';
import { findDepartments } from '../domain/departments.ts';
import { type WeightedTerm, coverage } from './relevance.ts';
import type { Passage } from './retrieve.ts';
import { type Slot, statesSlot } from './slots.ts';
import { ACKNOWLEDGEMENT, BARE_DATE, COURTESY, SALUTATION } from '../domain/roles.ts';
import { isBodyName } from '../domain/bodies.ts';
import { foldVariants } from '../domain/fold.ts';
import { type SentenceSpan, splitSentences } from './text.ts';
import type { Citation, Draft } from './types.ts';

export interface PickedSentence {
  passage: Passage;
  sentence: SentenceSpan;
  score: number;
  /** The sentence's own coverage of the topic terms. */
  coverage: number;
  /** An acknowledgement, a courtesy, a salutation or a signature: framing, not content (scored down, never added to a better pick). */
  framing?: boolean;
}

export interface ExtractiveOptions {
  /** Most sentences in an answer; default 3 (more reads like a dump, not an answer). */
  maxSentences?: number;
  /** Passages considered, best first; default 4. */
  maxPassages?: number;
  /** What the question asks for (an amount, a year …, see slots.ts): sentences stating it are preferred, and one is always picked when any scores close to the best. */
  slots?: readonly Slot[];
  /** The value asked for lies ahead (see slots.ts PROSPECTIVE): only a value stated as planned counts as stating the slot. */
  prospective?: boolean;
  /** The question asks for a total (一共, 总共, 累计, 合计): a stated total beats a yearly plan. */
  wantsTotal?: boolean;
  /** The question asks who (哪个部门/谁): a sentence that does not name a department gets its lead-in sentence. */
  wantsActor?: boolean;
  /** The question asks about the reply or proposal itself (its fields): the acknowledgement, which restates the proposal, may answer it. */
  aboutProposal?: boolean;
  /** The question's text: a name it gives (「除了鼎城区还有哪几个」) does not state the slot. */
  question?: string;
}

/** A sentence stating a total; and one stating a rate or a plan, which does not answer 「一共多少」. */
const TOTAL = /累计|共计|总计|合计|截至|截止|一共|总共|共(?:选派|支持|建成|投入|完成|实施|安排|争取|新增|培育)/u;
const PLAN = /每年|年均|计划|拟|预计|力争|将(?:继续|进一步)?/u;

/**
 * Scores every sentence of the top passages: mostly the sentence's own
 * coverage of the topic terms, some of its passage's relevance (a sentence in
 * a relevant section is likelier to answer), a little for the passage rank,
 * and a bonus for figures when a number is asked for.
 */
export function scoreSentences(passages: readonly Passage[], terms: readonly WeightedTerm[], options: ExtractiveOptions = {}): PickedSentence[] {
  const maxPassages = options.maxPassages ?? 4;
  const out: PickedSentence[] = [];
  passages.slice(0, maxPassages).forEach((passage, rank) => {
    for (const sentence of splitSentences(passage.chunk.metadata.text)) {
      // Headings and fragments do not answer anything on their own.
      if (Array.from(sentence.text).length < 8) continue;
      const own = coverage(terms, sentence.text);
      // Folded for the word tests below: a traditional page's 「累計」 is a total and 「江門市交通運輸局:」 a body's name.
      const plain = foldVariants(sentence.text);
      let score = 0.7 * own + 0.3 * passage.relevance - 0.02 * rank;
      const slots = options.slots ?? [];
      if (slots.length > 0) score += (0.12 * slots.filter((s) => statesSlot(s, sentence.text, plannedUnlessNextSteps(passage, options.prospective), options.question)).length) / slots.length;
      // 「一共选派了多少名」: the stated total, not next year's plan.
      if (options.wantsTotal) score += TOTAL.test(plain) ? 0.15 : PLAN.test(plain) ? -0.1 : 0;
      // 「…归哪个部门管？」: the sentence that names the body answers it; one that names none does not.
      if (options.wantsActor && findDepartments(plain).length > 0) score += 0.15;
      // 「您提出的《…》收悉」 restates the proposal, so it covers the question's topic words well, but it (like the
      // closing 「感谢…关心和支持」) says nothing of what was done or will be: only when nothing else comes close is it the answer.
      // Nor does a line that is only a body's name (the signature). Who and which body are the exception: 「经商国家乡村振兴局，现答复如下」 is where a reply says whom it consulted.
      const framing = !options.aboutProposal && !options.wantsActor && (ACKNOWLEDGEMENT.test(plain) || COURTESY.test(plain) || SALUTATION.test(plain) || BARE_DATE.test(plain) || isBodyName(plain));
      if (framing) score -= 0.25;
      out.push({ passage, sentence, score, coverage: own, framing });
    }
  });
  return out.sort((a, b) => b.score - a.score);
}

/** A value asked about the future must be stated as planned, except in a passage ingest marked as the reply's next steps, where everything is. */
function plannedUnlessNextSteps(passage: Passage, prospective = false): boolean {
  return prospective && passage.chunk.metadata.role !== 'next-steps';
}

/** How close to the best sentence's score a sentence stating the asked slot must come to be picked for it. */
const SLOT_SHARE = 0.6;
/** The same, for a sentence of the best sentence's own passage that states the value as planned (it may refer back, 「该段道路」, instead of repeating the words). */
const SAME_PASSAGE_SHARE = 0.35;

/** True when the picked sentences together state every slot asked. */
export function statesAsked(picked: readonly PickedSentence[], slots: readonly Slot[], prospective = false, question = ''): boolean {
  // Stated by the best pick's own reply: another reply's year answers another question (「清华丽园小区哪年能纳入改造」
  // is not answered by 兴庆区's 「2019年」).
  const best = picked.reduce<PickedSentence | undefined>((a, b) => (!a || b.score > a.score ? b : a), undefined);
  const own = best ? picked.filter((p) => p.passage.reply.id === best.passage.reply.id) : [];
  return slots.every((s) => own.some((p) => statesSlot(s, p.sentence.text, plannedUnlessNextSteps(p.passage, prospective), question)));
}

/**
 * Picks the answer sentences: the best one, plus up to `maxSentences − 1`
 * that score at least 75% of it and cover a term the earlier ones did not.
 * Returned in reading order (passage rank, then position).
 */
export function pickSentences(passages: readonly Passage[], terms: readonly WeightedTerm[], options: ExtractiveOptions = {}): PickedSentence[] {
  const max = options.maxSentences ?? 3;
  const scored = scoreSentences(passages, terms, options);
  const best = scored[0];
  if (!best) return [];
  const picked: PickedSentence[] = [best];
  const covered = new Set(terms.filter((t) => foldVariants(best.sentence.text).toLowerCase().includes(t.term.toLowerCase())).map((t) => t.term));
  for (const s of scored.slice(1)) {
    if (picked.length >= max || s.score < 0.75 * best.score) break;
    // Framing adds words the answer lacks (the addressee's name) but nothing it should say.
    if (s.framing && !best.framing) continue;
    const adds = terms.filter((t) => !covered.has(t.term) && foldVariants(s.sentence.text).toLowerCase().includes(t.term.toLowerCase()));
    if (adds.length === 0) continue;
    for (const t of adds) covered.add(t.term);
    picked.push(s);
  }
  // A slot the picks do not state (「哪一年」 and no year among them): the best sentence that states it, if it scores close to the best.
  for (const slot of options.slots ?? []) {
    if (picked.some((p) => statesSlot(slot, p.sentence.text, plannedUnlessNextSteps(p.passage, options.prospective), options.question))) continue;
    // …and is about the same thing: from the best sentence's own reply (another reply's figure answers another question).
    // What is planned often follows what was done in the same passage (「我局曾于2018年对该段道路进行治理…。我局已将该段道路上报为
    // 2024年…,将予以治理」): a sentence there need not repeat the question's words.
    const samePassage = (s: PickedSentence) => s.passage.chunk.id === best.passage.chunk.id;
    const stating = scored.find(
      (s) => statesSlot(slot, s.sentence.text, plannedUnlessNextSteps(s.passage, options.prospective), options.question) && s.passage.reply.id === best.passage.reply.id && ((s.score >= SLOT_SHARE * best.score && s.coverage > 0) || (options.prospective === true && samePassage(s) && s.score >= SAME_PASSAGE_SHARE * best.score)),
    );
    if (!stating) continue;
    if (picked.length >= max) picked.pop();
    picked.push(stating);
  }
  if (options.wantsActor) picked.forEach((p, i) => (picked[i] = withActor(p)));
  const rank = new Map(passages.map((p, i) => [p.chunk.id, i]));
  return picked.sort((a, b) => (rank.get(a.passage.chunk.id) ?? 0) - (rank.get(b.passage.chunk.id) ?? 0) || a.sentence.start - b.sentence.start);
}

/**
 * Extends a sentence that names no department back over up to two earlier
 * sentences of the same passage, to the one that does (「省商务厅积极推动…。
 * 下一步，将…邀请该企业…」): the span stays one verbatim slice of the chunk.
 */
function withActor(p: PickedSentence): PickedSentence {
  if (findDepartments(p.sentence.text).length > 0) return p;
  const text = p.passage.chunk.metadata.text;
  const before = splitSentences(text).filter((s) => s.end <= p.sentence.start);
  for (let back = 1; back <= 2 && back <= before.length; back++) {
    const lead = before[before.length - back] as SentenceSpan;
    if (text.slice(lead.end, p.sentence.start).includes('\n')) break;
    if (findDepartments(lead.text).length > 0) {
      return { ...p, sentence: { start: lead.start, end: p.sentence.end, text: text.slice(lead.start, p.sentence.end) } };
    }
  }
  return p;
}

/**
 * For a "which department" question: the departments the first picked span
 * names (canonical, in order), or [] when it names none. {@link pickSentences}
 * with `wantsActor` already extended that span back to the sentence naming
 * its actor, so these are the departments the quoted evidence shows.
 */
export function actorsOf(picked: readonly PickedSentence[]): string[] {
  const first = picked[0];
  return first ? findDepartments(first.sentence.text).map((d) => d.department) : [];
}

/**
 * The answer text (one sentence per line, each followed by [n]) and its
 * numbered sources. `lead`, when given, is a first line stating the answer
 * itself (「省商务厅。」) before the quoted evidence; it carries no marker
 * because it quotes nothing — the next line is its verbatim, cited support.
 */
export function composeExtractive(picked: readonly PickedSentence[], lead?: string): { answer: string; citations: Citation[]; draft: Draft } {
  const b = new DraftBuilder();
  if (lead && picked.length > 0) b.own(lead);
  for (const p of picked) b.quote(p.sentence.text, p.passage.chunk, p.passage.reply);
  return b.result();
}

/**
 * For a question spanning replies: the best sentences of each reply whose
 * best passage is at least `minShare` as relevant as the best overall, in
 * passage order (the reserved slots put the replies the question names first,
 * in its order), so a comparison is answered from every side, not from
 * whichever reply ranked first. Default: 2 sentences per reply, share 0.6.
 */
export function pickPerReply(passages: readonly Passage[], terms: readonly WeightedTerm[], options: ExtractiveOptions & { minShare?: number } = {}): PickedSentence[][] {
  const best = passages.reduce((m, p) => Math.max(m, p.relevance), 0);
  const groups = new Map<string, Passage[]>();
  for (const p of passages) groups.set(p.reply.id, [...(groups.get(p.reply.id) ?? []), p]);
  const out: PickedSentence[][] = [];
  for (const group of groups.values()) {
    if (Math.max(...group.map((p) => p.relevance)) < (options.minShare ?? 0.6) * best) continue;
    const picked = pickSentences(group, terms, { ...options, maxSentences: options.maxSentences ?? 2 });
    if (picked.length > 0) out.push(picked);
  }
  return out;
}

/** Per-reply picks as one answer: a heading line per reply (no marker: it quotes nothing), then its cited sentences. */
export function composePerReply(groups: readonly PickedSentence[][], label: (p: Passage) => string): { answer: string; citations: Citation[]; draft: Draft } {
  const b = new DraftBuilder();
  for (const picked of groups) {
    const first = picked[0];
    if (!first) continue;
    b.own(`${label(first.passage)}：`);
    for (const p of picked) b.quote(p.sentence.text, p.passage.chunk, p.passage.reply, '· ');
  }
  return b.result();
}

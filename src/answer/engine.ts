/**
 * The answer engine: follow-up resolution → hybrid retrieval with exact
 * lookup → one of (record lookup, commitments, LLM, extractive) → or an
 * explicit "not found". Every answer passes the citation check before it is
 * returned; an answer that fails it is replaced by "not found" rather than
 * shown.
 */
import type { Config } from '../config.ts';
import type { Store, StoredChunk, StoredReply } from '../store/types.ts';
import { type AbstainReason, abstainMessage, shouldAbstain } from './abstain.ts';
import { activityTopicTerms, answerActivities } from './activities.ts';
import { joinDrafts, renderDraft, toCitation, verifyAnswer } from './citations.ts';
import { answerCommitments, commitmentTopicTerms, filterCommitments } from './commitments.ts';
import { CorpusIndex } from './corpus-index.ts';
import { remember, resolveFollowUp } from './conversation.ts';
import { canonicalDepartment, findDepartments } from '../domain/departments.ts';
import { isPlaceName, namesWithin } from '../domain/places.ts';
import { foldVariants } from '../domain/fold.ts';
import { type PickedSentence, actorsOf, composeExtractive, composePerReply, pickPerReply, pickSentences, statesAsked } from './extractive.ts';
import { answerSections } from './sections.ts';
import { slotLabel, statesAll, statesSlot } from './slots.ts';
import { DEFINITE_FIELDS, DESCRIBED_FIELDS, FIELD_WORDS, type ReplyField, answerFields, answerOverview, asksForOverview, replyLabel } from './fields.ts';
import { replyMatches, replyYear } from './filters.ts';
import { type LlmClient, type Prompts, createLlmClient, llmAnswer, loadPrompts } from './llm.ts';
import { findRepliesByQuery, findReplyByNumber } from './lookup.ts';
import { type WeightedTerm, coverage, coverageOfLowercase } from './relevance.ts';
import { type Passage, type Retrieval, retrieve } from './retrieve.ts';
import { recordContext } from './scoring-text.ts';
import { normalizeQuestion, splitSentences } from './text.ts';
import { type Question, askOf, conversationalAnswer, understand } from './understand.ts';
import type { Answer, AnswerDiagnostics, AnswerKind, AskOptions, Citation, CommitmentEntry, Draft, Engine, ListedEntry, StoreStats } from './types.ts';

export interface EngineDeps {
  /** LLM client; default: built from LLM_BASE_URL/LLM_MODEL/LLM_API_KEY, or none. Pass null to force extractive mode. */
  llm?: LlmClient | null;
  /** Prompt texts; default: read from `prompts/` on first use. */
  prompts?: Prompts;
  /** Receives LLM fallback reasons and other non-fatal problems (never secrets). */
  onWarning?: (message: string) => void;
}

/** A Latin-letter code or abbreviation (GDP, G235, K901, PPP): a token that either occurs in the corpus or names something it does not hold. */
const CODE = /^(?=.*[a-z])[a-z][a-z0-9-]{1,15}$/iu;

/** Passages shown as "possibly related" when abstaining. */
const RELATED_SHOWN = 3;
/** Share of the words a 「有没有说…」 question asks about that one quoted line must hold (see understand.ts MENTION). */
const MENTION_COVERAGE = 0.6;

const now = () => performance.now();

/**
 * Creates the engine over an open store. Settings used: RETRIEVAL_TOP_K,
 * RETRIEVAL_MAX_PER_REPLY, RETRIEVAL_FUSION, ABSTAIN_THRESHOLD, LLM_*.
 */
export function createEngine(store: Store, config: Config, deps: EngineDeps = {}): Engine {
  // Everything a question looks up rather than recomputes over the corpus, built once per store.
  const corpus = new CorpusIndex(store);
  // What the first questions about the busiest departments would otherwise pay for, done while the engine waits for them.
  // A failure here only means those questions compute it themselves (and meet the error there, with its boundary).
  corpus.startWarm().catch(() => undefined);
  const { replyById, scorer, fullText, entries } = corpus;
  const subjects = { replies: store.replies, fullText };
  const llm = deps.llm === undefined ? createLlmClient(config) : deps.llm;
  let prompts: Promise<Prompts> | undefined = deps.prompts ? Promise.resolve(deps.prompts) : undefined;

  const citationOf = (chunk: StoredChunk, n: number): Citation | null => {
    const reply = replyById.get(chunk.replyId);
    return reply ? toCitation(n, chunk, reply) : null;
  };
  // Passages sharing no topic term with the question are noise, not "possibly related".
  const relatedOf = (passages: readonly Passage[]): Citation[] =>
    passages.filter((p) => p.relevance > 0).slice(0, RELATED_SHOWN).map((p, i) => toCitation(i + 1, p.chunk, p.reply));

  function diagnostics(r: Retrieval | null, extra: Partial<AnswerDiagnostics> = {}): AnswerDiagnostics {
    return {
      retrieved: (r?.passages ?? []).map((p) => ({
        chunkId: p.chunk.id,
        file: p.chunk.metadata.file,
        section: [...p.chunk.metadata.section],
        text: p.chunk.metadata.text,
        score: p.score,
        ranks: p.ranks,
        scores: p.scores,
        relevance: p.relevance,
      })),
      route: 'threshold',
      relevance: r?.relevance ?? 0,
      threshold: config.ABSTAIN_THRESHOLD,
      filters: r?.filters ?? {},
      lookup: {
        docNumbers: r?.lookup.docNumbers ?? [],
        proposalNumbers: r?.lookup.proposalNumbers ?? [],
        names: r?.lookup.names ?? [],
        departments: r?.lookup.departments ?? [],
        targets: (r?.lookup.targets ?? []).map((t) => t.file),
      },
      ...extra,
    };
  }

  /** Why nothing matched. */
  function nothingReason(r: Retrieval, options: AskOptions): AbstainReason {
    if (r.lookup.unmatched.length > 0 && r.lookup.targets.length === 0) return { reason: 'unknown-identifier', identifiers: r.lookup.unmatched };
    const f = options.filters ?? {};
    const stated = [f.department, f.year && `${f.year}年`, f.kind, f.session].filter((x): x is string => Boolean(x));
    return { reason: 'no-match', conditions: stated };
  }

  /** What every composer reads: the question's evidence (retrieval), the replies it identifies, its options. */
  interface Evidence {
    /** The question, read once (understand.ts). */
    q: Question;
    r: Retrieval;
    /** Replies the question names (by number, person, proposing body; or the earlier answer's), within its filters. */
    targets: StoredReply[];
    /** Reply fields the question asks for (record questions). */
    fields: ReplyField[];
    /**
     * The passages answers are drawn from: a reply the question identifies exactly (its number, its
     * proposer) is answered from its own passages, whatever the other words; else all retrieved.
     */
    scoped: Retrieval;
    /** The abstain bar for `scoped`: half the usual one for an identified reply. */
    threshold: number;
    /** The replies the question identifies exactly (by number or proposer), when it does: a "not found" then names them, never denies them. */
    identified: StoredReply[];
    options: AskOptions;
    timings: Record<string, number>;
    /** Why LLM mode fell back, for the extractive composer's diagnostics. */
    llmFallback?: string;
  }
  type Outcome = Omit<Answer, 'question' | 'resolvedQuestion' | 'timings'>;
  /** A composer answers (an Outcome: a draft, or a typed reason not to answer), or returns null: not its kind of question. */
  interface Composer {
    name: string;
    compose(e: Evidence): Promise<Outcome | null> | Outcome | null;
  }

  const notFound = (r: Retrieval, why: AbstainReason, related: Citation[], route: AnswerDiagnostics['route']): Outcome => ({
    found: false,
    kind: 'abstain',
    answer: abstainMessage(why),
    citations: [],
    related,
    diagnostics: diagnostics(r, { route, abstain: why.reason }),
  });
  const answered = (r: Retrieval, kind: AnswerKind, x: { answer: string; draft?: Draft; citations: Citation[] }, extra: Partial<AnswerDiagnostics> & { route: AnswerDiagnostics['route'] }): Outcome => ({
    found: true,
    kind,
    answer: x.answer,
    draft: x.draft,
    citations: x.citations,
    related: [],
    diagnostics: diagnostics(r, extra),
  });
  const proposersOf = (r: Retrieval) => new Set(r.lookup.names.map((n) => canonicalDepartment(n)));

  /** The composers, in the order they are asked; the first that answers (or abstains with a reason) decides. */
  const composers: Composer[] = [
    {
      // Questions about a reply's own record (date, 文号, number, issuer, contact, which proposal, 签发人, 办理结果 …).
      name: 'record',
      compose({ q, r, targets: named, fields }) {
        if (fields.length === 0) return null;
        const content = r.topicTerms.filter((w) => !FIELD_WORDS.test(w.term));
        // 「高昌区人行道那份答复留的联系电话」: a reply described by its topic, not named: of the replies found, the one whose
        // own record (title, proposal, recipient …) covers the description best; a definite field is then its.
        const described = named.length === 0 && fields.some((f) => DESCRIBED_FIELDS.has(f) && (f !== 'date' || q.asks.replyDate)) ? describedReply(r, content) : null;
        const targets = described ? [described] : named;
        if (targets.length === 0 || targets.length > 3) return null;
        // A reply named by its number is what the question is about, whatever else it says.
        const byNumber = r.lookup.docNumbers.length + r.lookup.proposalNumbers.length > 0;
        const definite = targets.length === 1 && fields.some((f) => DEFINITE_FIELDS.has(f));
        if (!(byNumber || definite || content.length === 0 || targets.some((tg) => coverage(content, recordContext(tg)) >= 0.5))) return null;
        // 「镇康农业农村局头一回跟杨文强代表面商是哪天」: a weighty word the reply's record lacks (面商), in a sentence of its
        // text that states what is asked (于2025年5月8日与杨文强代表进行面商), asks when something in the text happened,
        // not when the reply was signed: the passages answer that. A place or a body (广汉, 民航局) only says which reply.
        const heaviest = Math.max(0, ...content.map((w) => w.weight));
        const namesWhere = (term: string) => isPlaceName(term) || findDepartments(term).length > 0;
        const ofText = (tg: StoredReply) => {
          const words = content.filter((w) => w.weight >= 0.5 * heaviest && !namesWhere(w.term) && coverage([w], recordContext(tg)) === 0).map((w) => w.term.toLowerCase());
          if (words.length === 0 || q.slots.length === 0) return false;
          return store.chunksOf(tg.id).some((c) => splitSentences(c.metadata.text).some((sn) => words.some((w) => sn.text.toLowerCase().includes(w)) && statesAll(q.slots, sn.text)));
        };
        if (!definite && targets.some(ofText)) return null;
        const f = answerFields(store, targets, fields, {
          wantsYear: q.asks.year,
          wantsPerson: q.asks.person,
          wantsPhone: q.slots.includes('phone'),
        });
        // Whom a reply consulted is often only in its text (「我委會同省發改委、省委外辦等相關部門進行了深入研究」):
        // a record without it leaves the question to the passages.
        if (!f.found && fields.every((x) => x === 'coHandlers')) return null;
        if (!f.found) return notFound(r, { reason: 'field-missing', message: f.answer }, f.related.slice(0, RELATED_SHOWN).map((x, i) => toCitation(i + 1, x.chunk, x.reply)), 'record');
        return answered(r, 'lookup', f, { route: 'record' });
      },
    },
    {
      // A question that only names replies (「2025W233」, 「第41号提案说了什么」, 「张立华」): their cards.
      name: 'card',
      compose({ q, r, targets, fields }) {
        if (fields.length > 0 || targets.length === 0 || targets.length > 3 || q.asks.commitments) return null;
        const named = r.lookup.names.map((n) => canonicalDepartment(n));
        const content = r.topicTerms.map((w) => w.term).filter((t) => !FIELD_WORDS.test(t) && !named.includes(canonicalDepartment(t)) && !r.lookup.names.some((n) => n.includes(t)));
        if (!asksForOverview(content)) return null;
        const o = answerOverview(store, targets);
        return o.found ? answered(r, 'lookup', o, { route: 'record' }) : null;
      },
    },
    {
      // Codes the question names (GDP, G235, K901) are exact: a question about one the store does not hold is not
      // answered from what its other words match, whichever composer would answer it.
      name: 'codes',
      compose({ q, r, scoped, identified }) {
        if (identified.length > 0) return null;
        // Checked in the BM25 vocabulary, which holds every such token of every chunk.
        const unknown = q.terms.filter((t) => CODE.test(t) && store.lexicalSearch(t, 1).length === 0);
        // Named as the question spells it (G235, not the folded g235).
        const asWritten = (t: string) => {
          const at = q.text.toLowerCase().indexOf(t.toLowerCase());
          return at >= 0 ? q.text.slice(at, at + t.length) : t;
        };
        if (unknown.length > 0) return notFound(r, { reason: 'unknown-term', terms: unknown.map(asWritten) }, relatedOf(r.passages), 'threshold');
        // A numbered code (G235, S221) names one road or line: a reply that never writes it is about another one,
        // however alike its other words (「福建交通厅对G235线…」 is not answered by the G528 reply).
        const codes = q.terms.filter((t) => CODE.test(t) && /\d/u.test(t)).map((t) => t.toLowerCase());
        // The lower-cased scoring texts the CorpusIndex keeps hold each chunk's text and its reply's title.
        const writes = (reply: StoredReply, code: string) => store.chunksOf(reply.id).some((c) => corpus.lowercaseScoringText(c, reply).includes(code));
        // Not 「没有提到」: a reply outside the passages found may still write it.
        if (codes.length > 0 && !scoped.passages.some((p) => codes.every((code) => writes(p.reply, code)))) return notFound(r, { reason: 'below-threshold' }, relatedOf(r.passages), 'threshold');
        return null;
      },
    },
    {
      // Promises: answered from the extracted commitments, grouped by department and reply.
      name: 'commitments',
      compose({ q, r, identified }) {
        if (!q.asks.commitments) return null;
        // Every reply in scope (the usual case): no per-question set of all their ids.
        const scope = r.scope.length === store.replies.length ? undefined : new Set(r.scope.map((s) => s.id));
        const deptWords = r.lookup.identifierTerms.filter((x) => findDepartments(x).length > 0);
        // Filter values (「2024年的答复」) chose the replies; they are not what the promise is about.
        const filterWords = [r.filters.year, r.filters.kind, r.filters.session].filter((x): x is string => Boolean(x));
        const terms = commitmentTopicTerms(q.text, r.topicTerms.filter((w) => !deptWords.some((d) => d.includes(w.term)) && findDepartments(w.term).length === 0 && !filterWords.some((f) => f.includes(w.term))));
        // A body that made the proposal (省工商联) names the reply, not who promised.
        const proposers = proposersOf(r);
        const actors = r.lookup.departments.filter((d) => !proposers.has(d));
        // A question naming its reply (by number or proposer) describes that reply in its other words, long or loose as
        // they may be: when no promise matches them, it wants that reply's promises (of the departments it names).
        // So does a question describing one reply by its record (「永吉那个农村饮水安全的，水利局后面准备怎么弄」: issuer and
        // proposal title), when a reply found is it.
        const described = identified.length === 0 ? describedReply(r, terms) : null;
        const meant = identified.length > 0 ? identified : described ? [described] : [];
        const c =
          answerCommitments(store, entries, { departments: actors, replyIds: scope, terms }, corpus.commitments) ??
          (meant.length > 0 && terms.length > 0 ? answerCommitments(store, entries, { departments: actors, replyIds: new Set(meant.map((t) => t.id)), terms: [] }, corpus.commitments) : null);
        // 「答应给多少资金」: promises that state no amount do not answer it. The passages may still (「列入了2015年度…计划」):
        // the later composers decide, and say "not stated" if nothing states it.
        if (c && !q.slots.every((slot) => c.draft.lines.some((l) => l.quote && statesSlot(slot, l.text, false, q.text)))) return null;
        if (c) return answered(r, 'commitments', c, { route: 'commitments' });
        // The department asked about promised nothing in these replies: say so rather than quote what it did.
        const promised = actors.length > 0 && corpus.commitments.ofDepartments(actors).some((i) => !scope || scope.has((entries[i] as CommitmentEntry).reply.id));
        if (actors.length > 0 && !promised) return notFound(r, { reason: 'nobody-promised', departments: actors }, relatedOf(r.passages), 'commitments');
        return null;
      },
    },
    {
      // What a department did (「省科技厅做了什么？」): a listing, not a three-sentence extract.
      name: 'activities',
      compose({ q, r }) {
        if (!q.asks.activities || q.asks.commitments) return null;
        const proposers = proposersOf(r);
        const actors = r.lookup.departments.filter((d) => !proposers.has(d));
        if (actors.length === 0) return null;
        const a = answerActivities({
          departments: actors,
          scope: r.scope,
          terms: activityTopicTerms(q.text, r.topicTerms),
          chunksOf: (id) => store.chunksOf(id),
          isPromise: (replyId, sentence) => corpus.isPromise(replyId, sentence),
          // Worked out once per department over the replies it issued or names, narrowed to the scope.
          lines: corpus.activityLines(actors, r.scope),
        });
        return a ? answered(r, 'extractive', a, { route: 'threshold' }) : null;
      },
    },
    {
      // Nothing relevant enough: say so, with the closest passages as possibly related.
      name: 'relevance',
      compose({ r, scoped, threshold, identified }) {
        if (scoped.passages.length > 0 && !shouldAbstain(scoped.relevance, threshold)) return null;
        // The reply is held: say that it does not answer this, and show it, rather than a bare "not found".
        if (identified.length > 0) {
          const shown = identified.flatMap((tg) => store.chunksOf(tg.id).slice(0, 1)).map((c, i) => citationOf(c, i + 1)).filter((c): c is Citation => c !== null);
          return notFound(r, { reason: 'not-in-reply', replies: identified.map((tg) => replyLabel(tg)) }, shown, 'threshold');
        }
        return notFound(r, { reason: 'below-threshold' }, relatedOf(r.passages), 'threshold');
      },
    },
    {
      // 「哪些措施」 of a reply written in sections (（一）主要措施 under each point): each such section, under its point.
      name: 'sections',
      compose({ q, r, scoped }) {
        if (q.asks.commitments || q.asks.spans) return null;
        const s = answerSections(q.text, scoped.passages, (id) => store.chunksOf(id));
        return s ? answered(r, 'extractive', s, { route: 'threshold' }) : null;
      },
    },
    {
      // LLM mode, checked sentence by sentence; falls back to the extractive composers.
      name: 'llm',
      async compose(e) {
        if (!llm) return null;
        prompts ??= loadPrompts();
        const supplied = e.scoped.passages.map((p, i) => toCitation(i + 1, p.chunk, p.reply));
        const ta = now();
        const out = await llmAnswer(llm, await prompts, e.scoped.question, supplied, config.LLM_TIMEOUT_MS, (reason) => {
          e.llmFallback = reason;
          deps.onWarning?.(`LLM fallback: ${reason}`);
        });
        e.timings.llm = now() - ta;
        return out ? answered(e.r, 'llm', out, { route: 'threshold' }) : null;
      },
    },
    {
      // A question across replies gets each reply's own sentences under its name.
      name: 'per-reply',
      compose({ q, r, scoped }) {
        if (!q.asks.spans) return null;
        const how = howOf(q);
        // Each reply's sentences must state what is asked (「分别要修多长」), or that reply has nothing to say on it.
        const perReply = pickPerReply(scoped.passages, scoped.topicTerms, how).filter((picked) => statesAsked(picked, how.slots, how.prospective, how.question));
        if (perReply.length < 2) return null;
        const e = composePerReply(perReply, (p) => `${replyLabel(p.reply)}${p.reply.recipient ? `（答复${p.reply.recipient.replace(/^尊敬的/u, '').replace(/[：:]$/u, '')}${replyYear(p.reply) ? `，${replyYear(p.reply)}年` : ''}）` : ''}`);
        return answered(r, 'extractive', e, { route: 'threshold' });
      },
    },
    {
      // The best verbatim sentences; 「哪个部门…？」 names the department first.
      name: 'extractive',
      compose({ q, r, scoped, threshold, llmFallback }) {
        const how = howOf(q);
        // Sentences come from passages that pass the relevance bar: when the best passage has none to quote (a capture
        // cut to 「為」), a passage about another place's project is not the answer (「木里县…给了多少资金」 ← 卓尼县的2110万元).
        const relevant = inPlacesAsked(scoped.passages.filter((p) => p.relevance >= threshold), q);
        let picked = pickSentences(relevant, scoped.topicTerms, how);
        if (picked.length === 0) return notFound(r, { reason: 'below-threshold' }, relatedOf(r.passages), 'threshold');
        // The value asked for may be in a part of the best reply that was not among the passages (each reply brings at
        // most a few): read the rest of that reply before saying it does not state it.
        if (!statesAsked(picked, how.slots, how.prospective, how.question)) picked = withRestOfReply(picked, relevant, scoped.topicTerms, how);
        // 「多少钱」「哪一年」「哪天」 ask for a value of a kind: sentences stating none do not answer it.
        if (!statesAsked(picked, how.slots, how.prospective, how.question)) return notFound(r, { reason: 'not-stated', what: slotLabel(how.slots) }, relatedOf(r.passages), 'threshold');
        const actors = how.wantsActor ? actorsOf(picked) : [];
        const e = composeExtractive(picked, actors.length > 0 ? `${actors.join('、')}。` : undefined);
        return answered(r, 'extractive', e, llmFallback ? { llmFallback, route: 'threshold' } : { route: 'threshold' });
      },
    },
  ];

  /**
   * 「湖北卫健委这份答复的联系人和电话」: when the question names a place (湖北, 咸宁, 龙陵县) and some passages' replies
   * name it, only those answer; a reply that never names the place is another place's, however alike its words.
   * When none names it but other replies in the store do, these are another place's and none answers; when no reply
   * names it at all, the passages are left as they are (the place may be written another way).
   */
  function inPlacesAsked(passages: Passage[], q: Question): Passage[] {
    const { places } = q;
    // Two questions in one (「全国…总数多少？河南创建了几个…？」): the place may belong to one of them only.
    if (places.length === 0 || q.asks.several) return passages;
    // A place within it counts: 巩义市明月村 is in 河南.
    const within = places.map((place) => namesWithin(place));
    // Once per reply: a reply brings several passages.
    const byReply = new Map<string, boolean>();
    const names = (p: Passage) => {
      let named = byReply.get(p.reply.id);
      if (named === undefined) {
        const text = store.chunksOf(p.reply.id).map((c) => corpus.lowercaseScoringText(c, p.reply)).join(' ');
        named = within.every((ns) => ns.some((n) => text.includes(n)));
        byReply.set(p.reply.id, named);
      }
      return named;
    };
    const kept = passages.filter(names);
    if (kept.length > 0) return kept;
    // None of them names it, but the store holds replies that do: these passages are about somewhere else.
    return places.every((place) => store.lexicalSearch(place, 1).length > 0) ? [] : passages;
  }

  /** The picks again, over `passages` and the other chunks of the best pick's reply; the first picks when that states no more. */
  function withRestOfReply(picked: PickedSentence[], passages: readonly Passage[], terms: readonly WeightedTerm[], how: ReturnType<typeof howOf>): PickedSentence[] {
    const best = picked[0]?.passage;
    if (!best) return picked;
    const shown = new Set(passages.map((p) => p.chunk.id));
    const rest: Passage[] = store
      .chunksOf(best.reply.id)
      .filter((c) => !shown.has(c.id))
      .map((c) => ({ ...best, chunk: c, relevance: coverageOfLowercase(terms, corpus.lowercaseScoringText(c, best.reply)) }));
    if (rest.length === 0) return picked;
    const all = [...passages, ...rest];
    const again = pickSentences(all, terms, { ...how, maxPassages: all.length });
    return statesAsked(again, how.slots, how.prospective, how.question) ? again : picked;
  }

  /**
   * The reply a question describes by its record (issuer, title, proposal, proposer): of the replies found, the one
   * whose record covers the most of `terms`, at least half of them; null when none does.
   */
  function describedReply(r: Retrieval, terms: readonly WeightedTerm[]): StoredReply | null {
    if (terms.length === 0) return null;
    let best: StoredReply | null = null;
    let most = 0.5;
    for (const p of r.passages) {
      const c = coverage(terms, recordContext(p.reply));
      if (c > most || (c >= most && !best)) [best, most] = [p.reply, c];
    }
    return best;
  }

  /** True when one quoted line of `draft` says most of what the question asks to have been said (by weight, its heaviest term too). */
  function saysMentioned(draft: Draft | undefined, terms: readonly string[]): boolean {
    const weighed = scorer.weigh(terms);
    const heaviest = weighed.reduce((a, b) => (b.weight > a.weight ? b : a), weighed[0]!);
    return (draft?.lines ?? []).some((l) => l.quote && coverage(weighed, l.text) >= MENTION_COVERAGE && coverage([heaviest], l.text) > 0);
  }

  /** What an extractive answer looks for, from the question's words. */
  function howOf(q: Question) {
    return { slots: q.slots, prospective: q.asks.prospective, wantsActor: q.asks.actor, wantsTotal: q.asks.total, aboutProposal: q.fields.length > 0, question: q.text };
  }

  /**
   * Several replies share a number (第40号 of three counties): the question's other words
   * (苍溪, 柳河县) pick the ones meant. Kept: the replies whose text covers those words
   * best, when that is strictly better than the rest.
   */
  function disambiguate(targets: StoredReply[], r: Retrieval, family: Question['asks']['family']): StoredReply[] {
    // Past a handful, the number is too common to say anything; the question's own words rank the passages instead.
    if (targets.length < 2 || targets.length > 12) return targets;
    // 「工商联第41号提案」: a 提案 number is not a 建议's, and the body the question names is on the reply's record.
    // The name first (a proposal is often titled 「…的建议」, so the word the question uses is the weaker sign).
    // Bodies only: two people named (「唐军1418号和杨晓军那件」) are two replies asked about.
    const bodies = r.lookup.names.filter((n) => findDepartments(n).length > 0).map((n) => foldVariants(n));
    const ofBody = bodies.length > 0 ? targets.filter((t) => bodies.some((b) => foldVariants(recordContext(t)).includes(b))) : [];
    // A name that narrowed the numbers is how the question says which one, not a second reply asked about.
    const named = ofBody.length > 0 && ofBody.length < targets.length ? bodies : [];
    const byName = ofBody.length > 0 ? ofBody : targets;
    const ofFamily = family ? byName.filter((t) => !t.kind || t.kind.includes(family)) : byName;
    const narrowed = ofFamily.length > 0 ? ofFamily : byName;
    if (narrowed.length === 1) return narrowed;
    targets = narrowed;
    // Two numbers named (「抚松5号提案和D27号」) are two replies asked about, not one to choose.
    if (r.lookup.docNumbers.length + r.lookup.proposalNumbers.length + r.lookup.names.length - named.length !== 1) return targets;
    const terms = r.topicTerms.filter((w) => !FIELD_WORDS.test(w.term));
    if (terms.length === 0) return targets;
    // The header, else the body: a capture whose header was lost (no title, no issuer) still names its county in the text.
    // The chunks' scoring texts the CorpusIndex keeps (folded, lower-cased, each with the reply's header).
    const textOf = (t: StoredReply) => store.chunksOf(t.id).map((c) => corpus.lowercaseScoringText(c, t)).join(' ');
    const scored = targets.map((t) => ({ t, c: coverageOfLowercase(terms, textOf(t)) }));
    const best = Math.max(...scored.map((x) => x.c));
    const kept = scored.filter((x) => x.c === best).map((x) => x.t);
    return best > 0 && kept.length < targets.length ? kept : targets;
  }

  /** The evidence every composer reads: retrieval, the identified replies and the passages answers come from. */
  function evidenceOf(q: Question, r: Retrieval, options: AskOptions, replyIds: string[] | undefined, timings: Record<string, number>): Evidence {
    const named: StoredReply[] = replyIds
      ? replyIds.map((id) => replyById.get(id)).filter((x): x is StoredReply => x !== undefined)
      : r.lookup.targets.filter((t) => replyMatches(t, options.filters ?? {}));
    const targets = replyIds ? named : disambiguate(named, r, q.asks.family);
    // Bodies (省教育厅 as the addressee of a 会办意见) name many replies' subjects; only numbers and people identify one.
    const people = r.lookup.names.filter((n) => findDepartments(n).length === 0);
    const identified = targets.length > 0 && targets.length <= 3 && r.lookup.docNumbers.length + r.lookup.proposalNumbers.length + people.length > 0;
    const own = identified ? r.passages.filter((p) => targets.some((tg) => tg.id === p.reply.id)) : [];
    const scoped: Retrieval = own.length > 0 ? { ...r, passages: own, relevance: Math.max(...own.map((p) => p.relevance)) } : r;
    const threshold = own.length > 0 ? config.ABSTAIN_THRESHOLD / 2 : config.ABSTAIN_THRESHOLD;
    return { q, r, targets, fields: q.fields, scoped, threshold, identified: identified ? targets : [], options, timings };
  }

  /** retrieve → evidence → the first composer that decides. */
  async function compose(question: Question, options: AskOptions, replyIds: string[] | undefined, timings: Record<string, number>): Promise<Outcome> {
    const k = options.k ?? config.RETRIEVAL_TOP_K;
    const r = await retrieve(store, scorer, question, {
      k,
      maxPerReply: config.RETRIEVAL_MAX_PER_REPLY,
      fusion: config.RETRIEVAL_FUSION,
      filters: options.filters,
      replyIds,
      corpus,
    });
    Object.assign(timings, r.timings);
    const t = now();
    try {
      if (r.nothingMatches) return notFound(r, nothingReason(r, options), [], 'no-match');
      const evidence = evidenceOf(question, r, options, replyIds, timings);
      for (const c of composers) {
        let out = await c.compose(evidence);
        if (!out) continue;
        // 「有没有说…装抽水泵」: an answer that quotes nothing saying it is not an answer, whichever composer drafted it.
        if (out.found && c.name !== 'record' && question.asks.mention && !saysMentioned(out.draft, question.asks.mention.terms)) {
          return notFound(r, { reason: 'not-mentioned', what: question.asks.mention.what }, relatedOf(r.passages), 'threshold');
        }
        // A record question that also asks for promises (「…下一步的打算，还有联系人是谁」) gets both: the promises, then the record.
        if (c.name === 'record' && out.found && question.asks.commitments && out.draft) {
          // The value asked for (「电话多少」) is the record's to state, not the promises'.
          const promises = await composers.find((x) => x.name === 'commitments')?.compose({ ...evidence, q: { ...question, slots: [] } });
          if (promises?.found && promises.draft) out = { ...promises, ...joinDrafts([promises as { draft: Draft; citations: Citation[] }, out as { draft: Draft; citations: Citation[] }]) };
        }
        return out.diagnostics ? { ...out, diagnostics: { ...out.diagnostics, asks: askOf(question) } } : out;
      }
      return notFound(r, { reason: 'below-threshold' }, relatedOf(r.passages), 'threshold');
    } finally {
      timings.compose = now() - t;
    }
  }

  async function ask(question: string, options: AskOptions = {}): Promise<Answer> {
    const started = now();
    const timings: Record<string, number> = {};
    const conv = options.conversation;
    // Understood once; a follow-up (「那省商务厅呢？」) that becomes a new question is understood once more, as that question.
    const tu = now();
    const own = understand(question, subjects);
    const resolution = resolveFollowUp(own.text, conv, own.subject.targets.length > 0 || own.subject.unmatched.length > 0);
    const resolved = resolution.question === own.text ? own : understand(resolution.question, subjects);
    timings.understand = now() - tu;

    let body: Omit<Answer, 'question' | 'resolvedQuestion' | 'timings'>;
    const intent = own.intent;
    if (intent !== 'question') {
      // 「你好」「谢谢」「你是谁？」, English: not a question about the replies, so no "not found".
      const s = stats();
      body = { found: false, kind: 'chat', answer: conversationalAnswer(intent, { replies: s.replies, from: s.dateRange.from, to: s.dateRange.to, departments: s.departments }), citations: [], related: [] };
    } else if (resolution.kind === 'orphan') {
      // Guessing what was meant would answer a question nobody asked; say why and how to ask.
      // (No 「」 around the examples: the citation check reads 「」 as quotations of a source.)
      body = { found: false, kind: 'abstain', answer: abstainMessage({ reason: 'no-earlier-question', subject: resolution.department }), citations: [], related: [] };
    } else if (resolution.kind === 'expand') {
      const chunk = resolution.citation ? store.chunk(resolution.citation.chunkId) : undefined;
      const cite = chunk ? citationOf(chunk, 1) : null;
      if (!cite) {
        const shown = conv?.turns.findLast((t) => t.citations.length > 0);
        const items = shown ? (shown.answer ?? '').split('\n').filter((l) => /\[\d+\]/.test(l)).length || shown.citations.length : 0;
        const which = Number.isNaN(resolution.n) ? '这一条' : `第${resolution.n}条`;
        body = { found: false, kind: 'abstain', answer: abstainMessage({ reason: 'no-such-item', which, listed: shown ? items : null }), citations: [], related: [] };
      } else {
        // The whole cited passage, paragraph by paragraph, each verbatim and cited.
        const draft = { lines: cite.text.split('\n').map((l) => l.trim()).filter(Boolean).map((text) => ({ lead: '', text, quote: true, sources: [1], tail: '' })) };
        body = { found: true, kind: 'extractive', answer: renderDraft(draft), draft, citations: [cite], related: [] };
      }
    } else {
      const replyIds = resolution.kind === 'refer' ? [store.chunk(resolution.citation.chunkId)?.replyId].filter((x): x is string => Boolean(x)) : undefined;
      body = await compose(resolved, options, replyIds && replyIds.length > 0 ? replyIds : undefined, timings);
    }

    // Never return an answer whose citations do not hold; "not found" beats a broken quote.
    const check = verifyAnswer(body);
    if (!check.valid) {
      deps.onWarning?.(`citation check failed, answer withheld: ${check.problems.join('; ')}`);
      body = { ...body, found: false, kind: 'abstain', answer: abstainMessage({ reason: 'citation-check-failed' }), citations: [], related: body.citations.slice(0, RELATED_SHOWN) };
    }
    timings.total = now() - started;
    const answer: Answer = { question, resolvedQuestion: resolution.question, ...body, timings };
    // A failed 「第N条」 is not a new topic: remembering it would hide the answer it referred to;
    // an orphan 「那X呢」 is no question to swap into later.
    const failedExpand = (resolution.kind === 'expand' && !answer.found) || resolution.kind === 'orphan' || answer.kind === 'chat';
    if (conv && !failedExpand) remember(conv, { question, resolvedQuestion: resolution.question, answer: answer.answer, citations: answer.citations.length > 0 ? answer.citations : answer.related, at: Date.now() });
    return answer;
  }

  function stats(): StoreStats {
    // A reply without a dated signature still has a year (published date, else its 发文字号's 〔year〕): count it, as 'YYYY'.
    const dates = store.replies.map((r) => r.date ?? replyYear(r)).filter((d): d is string => Boolean(d)).sort();
    const departments = new Set<string>();
    for (const r of store.replies) if (r.issuer) departments.add(canonicalDepartment(r.issuer));
    for (const e of entries) if (e.actor) for (const d of findDepartments(e.actor)) departments.add(d.department);
    return {
      replies: store.replies.length,
      chunks: corpus.chunkCount,
      commitments: entries.length,
      dateRange: { from: dates[0] ?? null, to: dates[dates.length - 1] ?? null },
      departments: [...departments].sort(),
      model: store.manifest.model,
      lastIngest: store.manifest.updatedAt,
    };
  }

  return {
    ask,
    // Typed like questions (and pasted from the same places), so normalized like them.
    findReply: (number) => findReplyByNumber(normalizeQuestion(number), store.replies),
    findReplies: (query) => findRepliesByQuery(normalizeQuestion(query), store.replies),
    reply: (id) => replyById.get(id),
    commitments: (filter?: string, replyId?: string): ListedEntry[] =>
      filterCommitments(replyId === undefined ? entries : corpus.commitments.ofReplies([replyId]).map((i) => entries[i] as CommitmentEntry), filter === undefined ? undefined : normalizeQuestion(filter), (e) => {
        const r = replyById.get(e.reply.id);
        return r ? replyYear(r) : null;
      }),
    chunk: (id) => store.chunk(id),
    stats,
    ready: () => corpus.warm().catch(() => undefined),
  };
}

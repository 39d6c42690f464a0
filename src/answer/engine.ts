/**
 * The answer engine: follow-up resolution → hybrid retrieval with exact
 * lookup → one of (record lookup, commitments, LLM, extractive) → or an
 * explicit "not found". Every answer passes the citation check before it is
 * returned; an answer that fails it is replaced by "not found" rather than
 * shown.
 */
import type { Config } from '../config.ts';
import type { Store, StoredChunk, StoredReply } from '../store/types.ts';
import { NOT_FOUND, shouldAbstain } from './abstain.ts';
import { activityTopicTerms, answerActivities, asksWhatWasDone } from './activities.ts';
import { checkAnswer, toCitation } from './citations.ts';
import { actorDepartments, answerCommitments, commitmentEntries, commitmentTopicTerms, filterCommitments, isCommitmentQuestion, prepareCommitments } from './commitments.ts';
import { remember, resolveFollowUp } from './conversation.ts';
import { canonicalDepartment, findDepartments } from './departments.ts';
import { actorsOf, asksForActor, asksForNumber, composeExtractive, composePerReply, pickPerReply, pickSentences } from './extractive.ts';
import { FIELD_WORDS, answerFields, answerOverview, askedFields, asksForOverview, asksForYear, replyLabel } from './fields.ts';
import { replyMatches, replyYear } from './filters.ts';
import { type LlmClient, type Prompts, createLlmClient, llmAnswer, loadPrompts } from './llm.ts';
import { findRepliesByQuery, findReplyByNumber, lookup } from './lookup.ts';
import { TermScorer, coverage } from './relevance.ts';
import { type Passage, type Retrieval, replyContext, retrieve, scoringText, spansReplies } from './retrieve.ts';
import { normalizeQuestion } from './text.ts';
import type { Answer, AnswerDiagnostics, AnswerKind, AskOptions, Citation, CommitmentEntry, Engine, StoreStats } from './types.ts';

export interface EngineDeps {
  /** LLM client; default: built from LLM_BASE_URL/LLM_MODEL/LLM_API_KEY, or none. Pass null to force extractive mode. */
  llm?: LlmClient | null;
  /** Prompt texts; default: read from `prompts/` on first use. */
  prompts?: Prompts;
  /** Receives LLM fallback reasons and other non-fatal problems (never secrets). */
  onWarning?: (message: string) => void;
}

/** Passages shown as "possibly related" when abstaining. */
const RELATED_SHOWN = 3;

const now = () => performance.now();

/**
 * Creates the engine over an open store. Settings used: RETRIEVAL_TOP_K,
 * RETRIEVAL_MAX_PER_REPLY, RETRIEVAL_FUSION, ABSTAIN_THRESHOLD, LLM_*.
 */
export function createEngine(store: Store, config: Config, deps: EngineDeps = {}): Engine {
  const replyById = new Map(store.replies.map((r) => [r.id, r]));
  const allChunks = store.replies.flatMap((r) => store.chunksOf(r.id).map((c) => ({ c, r })));
  const scorer = new TermScorer(allChunks.map(({ c, r }) => scoringText(c, r)));
  const entries = commitmentEntries(store);
  // Locate every promise's sentences in its chunks now, not on each commitment question.
  prepareCommitments(store, entries);
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

  /**
   * The retrieval with the chunks a record answer cites moved to the front
   * (same length; cited chunks retrieval found keep their order): the answer rests on them (the 落款 that names the issuer),
   * not on whichever passage matched the question's topic words best, so
   * diagnostics and the eval's ranks show the evidence actually used. A cited
   * chunk retrieval did not return is marked `scores.record = 1`.
   */
  function evidenceFirst(r: Retrieval, cited: readonly Citation[]): Retrieval {
    const ids = new Set(cited.map((c) => c.chunkId));
    // Cited chunks retrieval found keep their retrieval order among themselves.
    const front: Passage[] = r.passages.filter((p) => ids.has(p.chunk.id));
    for (const id of ids) {
      if (front.some((p) => p.chunk.id === id)) continue;
      const chunk = store.chunk(id);
      const reply = chunk ? replyById.get(chunk.replyId) : undefined;
      if (chunk && reply) front.push({ chunk, reply, score: r.passages[0]?.score ?? 1, ranks: {}, scores: { record: 1 }, relevance: 1 });
    }
    if (front.length === 0) return r;
    const rest = r.passages.filter((p) => !front.some((f) => f.chunk.id === p.chunk.id));
    return { ...r, passages: [...front, ...rest].slice(0, Math.max(r.passages.length, front.length)) };
  }

  /** Why nothing matched, in words, for the abstain message. */
  function nothingReason(r: Retrieval, options: AskOptions): string {
    if (r.lookup.unmatched.length > 0 && r.lookup.targets.length === 0) return `现有答复中没有编号为 ${r.lookup.unmatched.join('、')} 的答复。`;
    const f = options.filters ?? {};
    const stated = [f.department, f.year && `${f.year}年`, f.kind, f.session].filter(Boolean);
    return stated.length > 0 ? `现有答复中没有符合条件（${stated.join('，')}）的相关内容。` : NOT_FOUND;
  }

  async function compose(question: string, options: AskOptions, replyIds: string[] | undefined, timings: Record<string, number>): Promise<Omit<Answer, 'question' | 'resolvedQuestion' | 'timings'>> {
    const k = options.k ?? config.RETRIEVAL_TOP_K;
    const r = await retrieve(store, scorer, question, {
      k,
      maxPerReply: config.RETRIEVAL_MAX_PER_REPLY,
      fusion: config.RETRIEVAL_FUSION,
      filters: options.filters,
      replyIds,
    });
    Object.assign(timings, r.timings);
    const t = now();
    const notFound = (answer: string, related: Citation[], route: AnswerDiagnostics['route']) => ({ found: false, kind: 'abstain' as AnswerKind, answer, citations: [], related, diagnostics: diagnostics(r, { route }) });
    try {
      if (r.nothingMatches) return notFound(nothingReason(r, options), [], 'no-match');

      // 1. Questions about a reply's own record (date, 文号, number, issuer, contact, which proposal).
      const targets: StoredReply[] = replyIds
        ? replyIds.map((id) => replyById.get(id)).filter((x): x is StoredReply => x !== undefined)
        : r.lookup.targets.filter((t) => replyMatches(t, options.filters ?? {}));
      const fields = askedFields(r.question);
      if (fields.length > 0 && targets.length > 0 && targets.length <= 3) {
        const content = r.topicTerms.filter((w) => !FIELD_WORDS.test(w.term));
        const aboutReply = content.length === 0 || targets.some((tg) => coverage(content, replyContext(tg)) >= 0.5);
        if (aboutReply) {
          const f = answerFields(store, targets, fields, { wantsYear: asksForYear(r.question) });
          if (!f.found) return notFound(f.answer, f.related.slice(0, RELATED_SHOWN).map((x, i) => toCitation(i + 1, x.chunk, x.reply)), 'record');
          return { found: true, kind: 'lookup', answer: f.answer, citations: f.citations, related: [], diagnostics: diagnostics(evidenceFirst(r, f.citations), { route: 'record' }) };
        }
      }

      // 1b. A question that only names replies (「2025W233」, 「第41号提案说了什么」, 「张立华」): their cards.
      if (fields.length === 0 && targets.length > 0 && targets.length <= 3 && !isCommitmentQuestion(r.question)) {
        const named = r.lookup.names.map((n) => canonicalDepartment(n));
        const content = r.topicTerms.map((w) => w.term).filter((t) => !FIELD_WORDS.test(t) && !named.includes(canonicalDepartment(t)) && !r.lookup.names.some((n) => n.includes(t)));
        if (asksForOverview(content)) {
          const o = answerOverview(store, targets);
          if (o.found) return { found: true, kind: 'lookup', answer: o.answer, citations: o.citations, related: [], diagnostics: diagnostics(r, { route: 'record' }) };
        }
      }

      // 2. Promises: answered from the extracted commitments.
      if (isCommitmentQuestion(r.question)) {
        // Every reply in scope (the usual case): no per-question set of all their ids.
        const scope = r.scope.length === store.replies.length ? undefined : new Set(r.scope.map((s) => s.id));
        const deptWords = r.lookup.identifierTerms.filter((x) => findDepartments(x).length > 0);
        // Filter values (「2024年的答复」) chose the replies; they are not what the promise is about.
        const filterWords = [r.filters.year, r.filters.kind, r.filters.session].filter((x): x is string => Boolean(x));
        const terms = commitmentTopicTerms(r.question, r.topicTerms.filter((w) => !deptWords.some((d) => d.includes(w.term)) && findDepartments(w.term).length === 0 && !filterWords.some((f) => f.includes(w.term))));
        // A body that made the proposal (省工商联) names the reply, not who promised.
        const proposers = new Set(r.lookup.names.map((n) => canonicalDepartment(n)));
        const actors = r.lookup.departments.filter((d) => !proposers.has(d));
        const c = answerCommitments(store, entries, { departments: actors, replyIds: scope, terms });
        if (c) return { found: true, kind: 'commitments', answer: c.answer, citations: c.citations, related: [], diagnostics: diagnostics(r, { route: 'commitments' }) };
        // The department asked about promised nothing in these replies: say so rather than quote what it did.
        const promised = actors.length > 0 && entries.some((e) => (!scope || scope.has(e.reply.id)) && actorDepartments(e.actor).some((d) => actors.includes(d)));
        if (actors.length > 0 && !promised) return notFound(`现有答复中没有${actors.join('、')}作出的下一步工作安排。`, relatedOf(r.passages), 'commitments');
      }

      // 2b. What a department did (「省科技厅做了什么？」): a listing, not a three-sentence extract.
      if (asksWhatWasDone(r.question) && !isCommitmentQuestion(r.question)) {
        const proposers = new Set(r.lookup.names.map((n) => canonicalDepartment(n)));
        const actors = r.lookup.departments.filter((d) => !proposers.has(d));
        if (actors.length > 0) {
          const a = answerActivities({
            departments: actors,
            scope: r.scope,
            terms: activityTopicTerms(r.question, r.topicTerms),
            chunksOf: (id) => store.chunksOf(id),
            isPromise: (replyId, sentence) => entries.some((e) => e.reply.id === replyId && (e.text.includes(sentence) || sentence.includes(e.text))),
          });
          if (a) return { found: true, kind: 'extractive', answer: a.answer, citations: a.citations, related: [], diagnostics: diagnostics(r, { route: 'threshold' }) };
        }
      }

      // 3. Nothing relevant enough: say so, show the closest passages as possibly related.
      if (r.passages.length === 0 || shouldAbstain(r.relevance, config.ABSTAIN_THRESHOLD)) return notFound(NOT_FOUND, relatedOf(r.passages), 'threshold');

      // 4. LLM mode, checked; falls back to extractive.
      let llmFallback: string | undefined;
      if (llm) {
        prompts ??= loadPrompts();
        const supplied = r.passages.map((p, i) => toCitation(i + 1, p.chunk, p.reply));
        const ta = now();
        const out = await llmAnswer(llm, await prompts, r.question, supplied, config.LLM_TIMEOUT_MS, (reason) => {
          llmFallback = reason;
          deps.onWarning?.(`LLM fallback: ${reason}`);
        });
        timings.llm = now() - ta;
        if (out) return { found: true, kind: 'llm', answer: out.answer, citations: out.citations, related: [], diagnostics: diagnostics(r, { route: 'threshold' }) };
      }

      // 5. Extractive.
      const how = { wantsNumber: asksForNumber(r.question), wantsActor: asksForActor(r.question) };
      // A question across replies gets each reply's own sentences under its name.
      const perReply = spansReplies(r.question, r.lookup) ? pickPerReply(r.passages, r.topicTerms, how) : [];
      if (perReply.length >= 2) {
        const e = composePerReply(perReply, (p) => `${replyLabel(p.reply)}${p.reply.recipient ? `（答复${p.reply.recipient.replace(/^尊敬的/u, '').replace(/[：:]$/u, '')}${replyYear(p.reply) ? `，${replyYear(p.reply)}年` : ''}）` : ''}`);
        return { found: true, kind: 'extractive', answer: e.answer, citations: e.citations, related: [], diagnostics: diagnostics(r, { route: 'threshold' }) };
      }
      const picked = pickSentences(r.passages, r.topicTerms, how);
      if (picked.length === 0) return notFound(NOT_FOUND, relatedOf(r.passages), 'threshold');
      // 「哪个部门…？」: the department first, then the sentence that shows it.
      const actors = how.wantsActor ? actorsOf(picked) : [];
      const e = composeExtractive(picked, actors.length > 0 ? `${actors.join('、')}。` : undefined);
      return { found: true, kind: 'extractive', answer: e.answer, citations: e.citations, related: [], diagnostics: diagnostics(r, llmFallback ? { llmFallback, route: 'threshold' } : { route: 'threshold' }) };
    } finally {
      timings.compose = now() - t;
    }
  }

  async function ask(question: string, options: AskOptions = {}): Promise<Answer> {
    const started = now();
    const timings: Record<string, number> = {};
    const conv = options.conversation;
    const q = normalizeQuestion(question);
    const own = lookup(q, store.replies);
    const resolution = resolveFollowUp(q, conv, own.targets.length > 0 || own.unmatched.length > 0);

    let body: Omit<Answer, 'question' | 'resolvedQuestion' | 'timings'>;
    if (resolution.kind === 'orphan') {
      // Guessing what was meant would answer a question nobody asked; say why and how to ask.
      // (No 「」 around the examples: the citation check reads 「」 as quotations of a source.)
      const d = resolution.department;
      body = { found: false, kind: 'abstain', answer: `没有上一个问题可以参照（对话刚开始或已重置），所以无法确定要问${d}的什么。请把问题问完整，例如：\n${d}做了哪些工作？\n${d}下一步打算做什么？`, citations: [], related: [] };
    } else if (resolution.kind === 'expand') {
      const chunk = resolution.citation ? store.chunk(resolution.citation.chunkId) : undefined;
      const cite = chunk ? citationOf(chunk, 1) : null;
      if (!cite) {
        const shown = conv?.turns.findLast((t) => t.citations.length > 0);
        const items = shown ? (shown.answer ?? '').split('\n').filter((l) => /\[\d+\]/.test(l)).length || shown.citations.length : 0;
        const which = Number.isNaN(resolution.n) ? '这一条' : `第${resolution.n}条`;
        body = { found: false, kind: 'abstain', answer: shown ? `上一条回答只列出了 ${items} 条，没有${which}。` : `还没有可以展开的回答，请先提问。`, citations: [], related: [] };
      } else {
        // The whole cited passage, paragraph by paragraph, each verbatim and cited.
        const lines = cite.text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => `${l}[1]`);
        body = { found: true, kind: 'extractive', answer: lines.join('\n'), citations: [cite], related: [] };
      }
    } else {
      const replyIds = resolution.kind === 'refer' ? [store.chunk(resolution.citation.chunkId)?.replyId].filter((x): x is string => Boolean(x)) : undefined;
      body = await compose(resolution.question, options, replyIds && replyIds.length > 0 ? replyIds : undefined, timings);
    }

    // Never return an answer whose citations do not hold; "not found" beats a broken quote.
    const check = checkAnswer(body);
    if (!check.valid) {
      deps.onWarning?.(`citation check failed, answer withheld: ${check.problems.join('; ')}`);
      body = { ...body, found: false, kind: 'abstain', answer: NOT_FOUND, citations: [], related: body.citations.slice(0, RELATED_SHOWN) };
    }
    timings.total = now() - started;
    const answer: Answer = { question, resolvedQuestion: resolution.question, ...body, timings };
    // A failed 「第N条」 is not a new topic: remembering it would hide the answer it referred to;
    // an orphan 「那X呢」 is no question to swap into later.
    const failedExpand = (resolution.kind === 'expand' && !answer.found) || resolution.kind === 'orphan';
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
      chunks: allChunks.length,
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
    commitments: (filter?: string): CommitmentEntry[] =>
      filterCommitments(entries, filter === undefined ? undefined : normalizeQuestion(filter), (e) => {
        const r = replyById.get(e.reply.id);
        return r ? replyYear(r) : null;
      }),
    chunk: (id) => store.chunk(id),
    stats,
  };
}

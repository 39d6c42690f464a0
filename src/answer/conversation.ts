/**
 * Follow-up questions resolved against the previous turn:
 * - 「那省科技厅呢？」 asks the previous question again with the department (or name) swapped;
 * - 「第二条详细说说」 expands source 2 of the previous answer;
 * - 「这个是哪年答复的」 asks about the previous answer's top source.
 */
import { departmentNames, findDepartments } from '../domain/departments.ts';
import type { Citation, Conversation, ConversationTurn } from './types.ts';

/** Turns kept per conversation; older ones are dropped (enough for "that one" references). */
export const MAX_TURNS = 5;

export type Resolution =
  | { kind: 'standalone'; question: string }
  | { kind: 'swap'; question: string }
  | { kind: 'expand'; question: string; n: number; citation: Citation | null }
  | { kind: 'refer'; question: string; citation: Citation }
  /** 「那省科技厅呢？」 with no earlier question (a new chat, after /reset): nothing to swap into. */
  | { kind: 'orphan'; question: string; department: string };

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/** 2, 二, 十二, 二十 → number; NaN when not a number. */
export function parseOrdinal(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  if (s.length === 1) return CN_DIGITS[s] ?? NaN;
  const m = /^([一二三四五六七八九])?十([一二三四五六七八九])?$/.exec(s);
  if (m) return (m[1] ? (CN_DIGITS[m[1]] ?? 0) : 1) * 10 + (m[2] ? (CN_DIGITS[m[2]] ?? 0) : 0);
  return NaN;
}

const EXPAND = /第\s*([一二两三四五六七八九十\d]+)\s*(?:条|个|项|点|处|个来源|段)?/u;
const EXPAND_VERBS = /详细|展开|具体|全文|原文|说说|讲讲|看看|多说|细说/u;
const SWAP = /^(?:那|那么|还有|换成|再问)?\s*(.{2,20}?)\s*(?:呢|怎么样|如何|又如何|的情况呢|的呢)\s*[？?。]?$/u;
const DEMONSTRATIVE = /这个|这份|这条|这篇|该答复|该文|上面|上述|刚才|那份答复|那个答复/u;

/** The last turn, if any. */
function last(conv: Conversation | undefined): ConversationTurn | undefined {
  return conv?.turns[conv.turns.length - 1];
}

/**
 * The latest turn that showed sources: 「这个」 and 「第二条」 point at what
 * the user last saw, so a turn that found nothing in between does not make
 * the context vanish.
 */
function lastWithSources(conv: Conversation | undefined): ConversationTurn | undefined {
  const turns = conv?.turns ?? [];
  for (let i = turns.length - 1; i >= 0; i--) if ((turns[i] as ConversationTurn).citations.length > 0) return turns[i];
  return undefined;
}

/**
 * The marker of the n-th item of an answer: its n-th line that cites
 * something (a listed promise, an extractive sentence), or undefined when the
 * answer has fewer items.
 */
export function itemMarker(answer: string, n: number): number | undefined {
  const items = answer.split('\n').map((l) => /\[(\d+)\]/.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const m = items[n - 1];
  return m ? Number(m[1]) : undefined;
}

/**
 * The canonical department of a bare 「那省科技厅呢？」, or null. Only a bare
 * department counts: 「这个文件呢」 and 「省科技厅的答复有哪些呢」 are not.
 */
function bareDepartment(q: string): string | null {
  const swap = SWAP.exec(q);
  if (!swap) return null;
  const subject = swap[1] as string;
  const depts = findDepartments(subject);
  if (depts.length !== 1 || subject.replace((depts[0] as { text: string }).text, '').replace(/^[的在]/u, '').length > 1) return null;
  return (depts[0] as { department: string }).department;
}

/** Replaces the first department mention in `question` with `department`, or prefixes it when there is none. */
function swapDepartment(question: string, department: string): string {
  const mention = findDepartments(question)[0];
  if (!mention) return `${department}${question}`;
  return question.slice(0, mention.index) + department + question.slice(mention.index + mention.text.length);
}

/**
 * Resolves `question` against `conv`. `hasOwnSubject` says whether the
 * question names a reply itself (a number or a name): then a demonstrative
 * such as 那份 is part of it, not a reference to the previous answer.
 */
export function resolveFollowUp(question: string, conv: Conversation | undefined, hasOwnSubject: boolean): Resolution {
  const q = question.trim();
  const prev = last(conv);
  if (!prev) {
    const orphan = bareDepartment(q);
    return orphan ? { kind: 'orphan', question: q, department: orphan } : { kind: 'standalone', question: q };
  }

  const expand = EXPAND.exec(q);
  const shown = lastWithSources(conv);
  if (expand && EXPAND_VERBS.test(q) && q.length <= 20) {
    const n = parseOrdinal(expand[1] as string);
    if (!shown) return { kind: 'expand', question: q, n, citation: null };
    // 「第二个来源」 names a source; 「第二条」 the second item of the answer, which is source n only when each item has its own.
    const marker = /来源|出处/u.test(q) ? n : (itemMarker(shown.answer ?? '', n) ?? n);
    return { kind: 'expand', question: q, n, citation: shown.citations.find((c) => c.n === marker) ?? null };
  }

  const target = bareDepartment(q);
  if (target) return { kind: 'swap', question: swapDepartment(prev.resolvedQuestion, departmentNames(target)[0] ?? target) };

  const top = shown?.citations[0];
  if (!hasOwnSubject && top && DEMONSTRATIVE.test(q)) return { kind: 'refer', question: q, citation: top };
  return { kind: 'standalone', question: q };
}

/** Appends a turn, keeping the last {@link MAX_TURNS}. */
export function remember(conv: Conversation, turn: ConversationTurn): void {
  conv.turns.push(turn);
  if (conv.turns.length > MAX_TURNS) conv.turns.splice(0, conv.turns.length - MAX_TURNS);
}

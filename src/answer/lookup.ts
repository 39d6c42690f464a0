/**
 * Exact lookup: document numbers, proposal numbers, names and departments in
 * a question, resolved against the store's records. Embeddings blur
 * identifiers (74号 and 6号 look alike to them), so these decide which
 * replies a question is about before any semantic search.
 */
import type { StoredReply } from '../store/types.ts';
import { canonicalDepartment, findDepartments } from './departments.ts';

/** 吉科发高〔2024〕74号, [2025]6号, （2025）43号 — issuer prefix, year, serial. */
const DOC_NUMBER = /([\u4e00-\u9fff]{0,8})\s*[〔[(（【［]\s*(\d{4})\s*[〕\])）】］]\s*第?\s*(\d+)\s*号/gu;
/** 2025W233, 2024w298, D27 (with or without 第/号). */
const LETTER_NUMBER = /(?<![A-Za-z0-9])(\d{4}\s*[Ww]\s*\d+|[Dd]\d+)(?![A-Za-z0-9])/gu;
/** 第0147号, 0147号, 第41号, 第 41 号. */
const PLAIN_NUMBER = /(?:第\s*)?(?<![\dA-Za-z〕\]）)])(\d{1,5})\s*号/gu;

/** A document number reduced to comparable parts. */
export interface DocNumberParts {
  prefix: string;
  year: string;
  serial: number;
}

/** Parses the first document number in `text`, or null. */
export function parseDocNumber(text: string): DocNumberParts | null {
  DOC_NUMBER.lastIndex = 0;
  const m = DOC_NUMBER.exec(text);
  DOC_NUMBER.lastIndex = 0;
  return m ? { prefix: m[1] ?? '', year: m[2] ?? '', serial: Number(m[3]) } : null;
}

/** Proposal numbers compare without case, spaces and leading zeros (0147 = 147, 2025w233 = 2025W233). */
export function canonicalProposalNumber(n: string): string {
  const s = n.replace(/\s+/g, '').toUpperCase();
  return /^\d+$/.test(s) ? String(Number(s)) : s;
}

/** The person's name in a recipient line: 徐凤娟代表 → 徐凤娟, 尊敬的孙昭艳委员 → 孙昭艳; null for bodies such as 省工商联. */
export function recipientName(recipient: string | null): string | null {
  if (!recipient) return null;
  const r = recipient.replace(/^尊敬的/, '').replace(/[：:，,\s]+$/u, '').trim();
  const m = /^([\u4e00-\u9fff·]{2,5}?)(?:代表|委员|同志|先生|女士)$/u.exec(r);
  return m ? (m[1] as string) : null;
}

/** What the question names, and which replies that identifies. */
export interface LookupResult {
  docNumbers: string[];
  proposalNumbers: string[];
  names: string[];
  /** Canonical departments mentioned (a soft signal: the issuer or a department acting inside a reply). */
  departments: string[];
  /** Replies identified by a number or a name; empty when the question names none. */
  targets: StoredReply[];
  /** Numbers or names stated in the question that match no reply in the store. */
  unmatched: string[];
  /** The literal identifier strings, so relevance scoring can tell them from the topic words. */
  identifierTerms: string[];
}

/** True when `reply` has document number `parts` (the prefix must agree when both sides give one). */
function docNumberMatches(reply: StoredReply, parts: DocNumberParts): boolean {
  if (!reply.docNumber) return false;
  const own = parseDocNumber(reply.docNumber);
  if (!own || own.year !== parts.year || own.serial !== parts.serial) return false;
  // The question's prefix may carry extra words before it (答复吉科发高…): compare by suffix.
  return !parts.prefix || !own.prefix || parts.prefix.endsWith(own.prefix) || own.prefix.endsWith(parts.prefix);
}

/** Shortest and longest name {@link recipientName} returns, in UTF-16 units (hanzi and · are one each). */
const NAME_MIN = 2;
const NAME_MAX = 5;

/** A replies array's identifiers, indexed once so a question's lookup does not scan every reply. */
interface ReplyIndex {
  /** `year|serial` of the 发文字号 → replies (the prefix is checked per hit). */
  byDocNumber: Map<string, StoredReply[]>;
  /** Canonical proposal number → replies. */
  byProposal: Map<string, StoredReply[]>;
  /** A person's name in the recipient line → positions in the array. */
  byName: Map<string, number[]>;
  /** Canonical department of a body recipient (省工商联) → replies. */
  byBody: Map<string, StoredReply[]>;
}

/** Built on first use per array (a store's replies never change; a new store has a new array). */
const indexes = new WeakMap<readonly StoredReply[], ReplyIndex>();

function replyIndex(replies: readonly StoredReply[]): ReplyIndex {
  let index = indexes.get(replies);
  if (index) return index;
  index = { byDocNumber: new Map(), byProposal: new Map(), byName: new Map(), byBody: new Map() };
  const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  replies.forEach((r, i) => {
    const doc = r.docNumber ? parseDocNumber(r.docNumber) : null;
    if (doc) push(index!.byDocNumber, `${doc.year}|${doc.serial}`, r);
    if (r.proposalNumber) push(index!.byProposal, canonicalProposalNumber(r.proposalNumber), r);
    const name = recipientName(r.recipient);
    if (name) push(index!.byName, name, i);
    else if (r.recipient) push(index!.byBody, canonicalDepartment(r.recipient.replace(/[：:\s]+$/u, '')), r);
  });
  indexes.set(replies, index);
  return index;
}

/**
 * Finds identifiers in `question` and the replies they name.
 * @param replies the store's replies (names are learnt from their recipients)
 */
export function lookup(question: string, replies: readonly StoredReply[]): LookupResult {
  const result: LookupResult = {
    docNumbers: [],
    proposalNumbers: [],
    names: [],
    departments: [],
    targets: [],
    unmatched: [],
    identifierTerms: [],
  };
  const targets = new Set<StoredReply>();
  const index = replyIndex(replies);
  let rest = question;

  for (const m of question.matchAll(DOC_NUMBER)) {
    const parts: DocNumberParts = { prefix: m[1] ?? '', year: m[2] ?? '', serial: Number(m[3]) };
    const hits = (index.byDocNumber.get(`${parts.year}|${parts.serial}`) ?? []).filter((r) => docNumberMatches(r, parts));
    // Prefer replies whose issuer prefix the question actually states, when several share 〔year〕serial.
    const exact = hits.filter((r) => parts.prefix && r.docNumber && parts.prefix.endsWith(parseDocNumber(r.docNumber)?.prefix ?? '\u0000'));
    const chosen = exact.length > 0 ? exact : hits;
    result.docNumbers.push(m[0].trim());
    result.identifierTerms.push(m[0].trim(), `〔${parts.year}〕${parts.serial}号`);
    if (chosen.length === 0) result.unmatched.push(m[0].trim());
    for (const r of chosen) targets.add(r);
    rest = rest.replace(m[0], ' ');
  }

  const proposalMatches = (raw: string) => {
    const canon = canonicalProposalNumber(raw);
    const hits = index.byProposal.get(canon) ?? [];
    result.proposalNumbers.push(raw.replace(/\s+/g, ''));
    result.identifierTerms.push(raw.replace(/\s+/g, ''));
    if (hits.length === 0) result.unmatched.push(raw.replace(/\s+/g, ''));
    for (const r of hits) targets.add(r);
  };
  for (const m of rest.matchAll(LETTER_NUMBER)) {
    proposalMatches(m[1] as string);
    rest = rest.replace(m[0], ' ');
  }
  for (const m of rest.matchAll(PLAIN_NUMBER)) proposalMatches(m[1] as string);

  // Recipients' names the question contains: its substrings looked up, in the replies' order.
  const named: number[] = [];
  for (let i = 0; i < question.length; i++) {
    for (let len = NAME_MIN; len <= NAME_MAX && i + len <= question.length; len++) {
      const found = index.byName.get(question.slice(i, i + len));
      if (found) named.push(...found);
    }
  }
  for (const at of [...new Set(named)].sort((a, b) => a - b)) {
    const r = replies[at] as StoredReply;
    const name = recipientName(r.recipient) as string;
    if (!result.names.includes(name)) {
      result.names.push(name);
      result.identifierTerms.push(name);
    }
    targets.add(r);
  }

  const mentions = findDepartments(question);
  result.departments = mentions.map((m) => m.department);
  for (const m of mentions) {
    // A body that made the proposal (省工商联) identifies its replies like a person's name does.
    const asRecipient = index.byBody.get(m.department) ?? [];
    if (asRecipient.length > 0) {
      result.names.push(m.text);
      for (const r of asRecipient) targets.add(r);
    }
    result.identifierTerms.push(m.text);
  }

  result.targets = [...targets];
  return result;
}

/**
 * The replies a /doc query names, best first: one exact 发文字号 or proposal
 * number; else whatever the query names as a question would (a number as
 * people write it, 第0147号代表建议; a deputy's or member's name, 张立华; a
 * proposing body, 省工商联); else every reply whose 发文字号 or title
 * contains the query as typed (a fragment such as 〔2025〕 or 吉工信议案),
 * or, for a bare department, every reply it issued. Several means the query
 * is ambiguous and the caller lets the user choose.
 */
export function findRepliesByQuery(query: string, replies: readonly StoredReply[]): StoredReply[] {
  const q = query.trim();
  if (!q) return [];
  const exact = findReplyByNumber(q, replies);
  if (exact) return [exact];
  const named = lookup(q, replies).targets;
  if (named.length > 0) return named;
  const bare = q.replace(/\s+/g, '');
  // One character (〔, 号) would match everything.
  if ([...bare].length < 2) return [];
  const containing = replies.filter((r) => r.docNumber?.replace(/\s+/g, '').includes(bare) || r.title?.replace(/\s+/g, '').includes(bare));
  if (containing.length > 0) return containing;
  const departments = findDepartments(q).map((d) => d.department);
  return departments.length > 0 ? replies.filter((r) => r.issuer && departments.includes(canonicalDepartment(r.issuer))) : [];
}

/** Loose lookup of one reply by 发文字号 or proposal number (〔2024〕74号, 0147, 2025W233, 第41号). */
export function findReplyByNumber(number: string, replies: readonly StoredReply[]): StoredReply | null {
  const text = number.trim();
  if (!text) return null;
  const parts = parseDocNumber(text);
  if (parts) return replies.find((r) => docNumberMatches(r, parts)) ?? null;
  const bare = text.replace(/^第/, '').replace(/号$/, '');
  const canon = canonicalProposalNumber(bare);
  return (
    replies.find((r) => r.proposalNumber && canonicalProposalNumber(r.proposalNumber) === canon) ??
    replies.find((r) => r.docNumber && r.docNumber.replace(/\s+/g, '') === text.replace(/\s+/g, '')) ??
    null
  );
}

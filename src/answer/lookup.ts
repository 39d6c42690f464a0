/**
 * Exact lookup: document numbers, proposal numbers, names and departments in
 * a question, resolved against the store's records. Embeddings blur
 * identifiers (74号 and 6号 look alike to them), so these decide which
 * replies a question is about before any semantic search.
 */
import type { StoredReply } from '../store/types.ts';
import { canonicalDepartment, findDepartments } from '../domain/departments.ts';
import { foldVariants } from '../domain/fold.ts';

/** 吉科发高〔2024〕74号, [2025]6号, （2025）43号 — issuer prefix, year, serial. */
const DOC_NUMBER = /([\u4e00-\u9fff]{0,8})\s*[〔[(（【［]\s*(\d{4})\s*[〕\])）】］]\s*第?\s*(\d+)\s*号/gu;
/**
 * Proposal numbers with letters or parts, as replies print them (the grammar
 * of src/domain/numbers.ts): 2025W233, D27, D022, T014, B(2019)331, 10.5.011,
 * 04-1, and a place prefix before the digits (温36, 丽22) when 号 follows. A
 * letter code counts only after 第 or before 号/建议/提案: G528, S221 and K901
 * are roads and bus lines, not replies.
 */
const LETTER_NUMBER = /(?<![A-Za-z0-9])(\d{4}\s*[A-Za-z]\s*\d+|(?<=第\s*)[A-Za-z]{1,2}\s*(?:\(\d{4}\))?\d+|[A-Za-z]{1,2}\s*(?:\(\d{4}\))?\d+(?=\s*(?:号|(?:代表|委员|党派团体)?(?:建议|提案|议案)))|\d{1,4}(?:[.-]\d{1,4}){1,3}(?=\s*号)|(?<=第|^|[^\u4e00-\u9fff])(?![第号届次会议年月日])[\u4e00-\u9fff]\d{1,5}(?=\s*号))(?![A-Za-z0-9])/gu;
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
  return recipientNames(recipient)[0] ?? null;
}

/**
 * Every person's name in a recipient line, folded to simplified characters:
 * 徐凤娟代表 → 徐凤娟; 闫洪伟、何伟明代表 → both; 郭大进等7名代表 and
 * 尚路鹏(等4位)代表 → the first-named; empty for bodies such as 省工商联.
 */
export function recipientNames(recipient: string | null): string[] {
  if (!recipient) return [];
  const r = foldVariants(recipient).replace(/^尊敬的/, '').replace(/[：:，,\s]+$/u, '').trim();
  const m = /^([\u4e00-\u9fff·、]{2,40}?)(?:[(（]?等\s*\d+\s*[名位个]?[)）]?)?(?:代表|委员|同志|先生|女士)(?:们)?$/u.exec(r);
  if (!m) return [];
  return (m[1] as string).split('、').filter((n) => n.length >= 2 && n.length <= 4);
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
  // Folded: a simplified question names a traditional 發文字號 (醫保函〔2020〕204號) too.
  const own = parseDocNumber(foldVariants(reply.docNumber));
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
    // Folded: a simplified question names a traditional 發文字號 or 號 too.
    const doc = r.docNumber ? parseDocNumber(foldVariants(r.docNumber)) : null;
    if (doc) push(index!.byDocNumber, `${doc.year}|${doc.serial}`, r);
    if (r.proposalNumber) push(index!.byProposal, canonicalProposalNumber(foldVariants(r.proposalNumber)), r);
    const names = recipientNames(r.recipient);
    for (const name of names) push(index!.byName, name, i);
    if (names.length === 0 && r.recipient) push(index!.byBody, canonicalDepartment(r.recipient.replace(/[：:\s]+$/u, '')), r);
  });
  indexes.set(replies, index);
  return index;
}

/**
 * Replies whose text states an identifier the records do not hold (a 发文字号
 * the header lost, a number only the opening gives): searched before dafu
 * ever says that no such reply exists.
 */
export type FullTextSearch = (identifier: { docNumber?: DocNumberParts; proposalNumber?: string }) => StoredReply[];

/**
 * A full-text search over each reply's text (its chunks, title and fields),
 * folded and with every year bracket written 〔〕, so 〔2025〕6号 / [2025]6号 /
 * （2025）第6号 and 0147 / 第0147号 / 147号 all find the reply that prints them.
 */
export function fullTextSearch(texts: Iterable<[StoredReply, string]>, eager = false): FullTextSearch {
  // Built on the first identifier the records miss (most stores never need it), or now when `eager`.
  let index: FullTextIndex | undefined = eager ? fullTextIndex(texts) : undefined;
  return ({ docNumber, proposalNumber }) => {
    index ??= fullTextIndex(texts);
    const { replies, canonical } = index;
    let re: RegExp | null = null;
    // The replies that can match: those printing the same 〔year〕serial, or the same run before a 号.
    let candidates: readonly number[] | null = null;
    if (docNumber) {
      re = new RegExp(`〔${docNumber.year}〕第?0*${docNumber.serial}号`);
      candidates = index.byDocNumber.get(`${docNumber.year}|${Number(docNumber.serial)}`) ?? [];
    } else if (proposalNumber) {
      const canon = canonicalProposalNumber(proposalNumber);
      // A code is a proposal number only where 号 follows it (「X411线」 is a road).
      if (/^\d+$/.test(canon)) {
        re = new RegExp(`(?<![\\d〕])0*${canon}号`);
        candidates = index.byDigits.get(canon) ?? [];
      } else {
        re = new RegExp(`(?<![A-Za-z0-9])${canon.replace(/[.()]/g, '\\$&')}号`, 'i');
        const tail = /[A-Za-z0-9]+$/.exec(canon)?.[0];
        candidates = tail ? (index.byAlnum.get(tail.toLowerCase()) ?? []) : null;
      }
    }
    if (!re) return [];
    const test = re;
    const at = candidates ?? replies.map((_, i) => i);
    return at.filter((i) => test.test(canonical[i] as string)).map((i) => replies[i] as StoredReply);
  };
}

/**
 * Each reply's text folded, with every year bracket written 〔〕 and no
 * spaces, and where it prints identifiers: the exact pattern is then tested
 * on the few replies printing the same number, not on every reply's text.
 */
interface FullTextIndex {
  replies: StoredReply[];
  canonical: string[];
  /** `year|serial` of every 〔year〕第?serial号 → positions (ascending). */
  byDocNumber: Map<string, number[]>;
  /** Every whole run of digits before a 号, without leading zeros → positions. */
  byDigits: Map<string, number[]>;
  /** Every whole run of letters and digits before a 号, lower-cased → positions. */
  byAlnum: Map<string, number[]>;
}

function fullTextIndex(texts: Iterable<[StoredReply, string]>): FullTextIndex {
  const index: FullTextIndex = { replies: [], canonical: [], byDocNumber: new Map(), byDigits: new Map(), byAlnum: new Map() };
  const add = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (!list) map.set(key, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  for (const [r, t] of texts) {
    const i = index.replies.length;
    const text = foldVariants(t).replace(/[[(（【［]\s*(\d{4})\s*[\])）】］]/gu, '〔$1〕').replace(/\s+/g, '');
    index.replies.push(r);
    index.canonical.push(text);
    for (const m of text.matchAll(/〔(\d{4})〕第?(\d+)号/gu)) add(index.byDocNumber, `${m[1]}|${Number(m[2])}`, i);
    for (const m of text.matchAll(/(\d+)号/gu)) add(index.byDigits, String(Number(m[1])), i);
    for (const m of text.matchAll(/([A-Za-z0-9]+)号/gu)) add(index.byAlnum, (m[1] as string).toLowerCase(), i);
  }
  return index;
}

/**
 * Finds identifiers in `question` and the replies they name.
 * @param replies the store's replies (names are learnt from their recipients)
 * @param fullText searched for a number the records do not hold, before it is called unmatched
 */
export function lookup(question: string, replies: readonly StoredReply[], fullText?: FullTextSearch): LookupResult {
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
    const exact = hits.filter((r) => parts.prefix && r.docNumber && parts.prefix.endsWith(parseDocNumber(foldVariants(r.docNumber))?.prefix ?? '\u0000'));
    const chosen = exact.length > 0 ? exact : hits.length > 0 ? hits : (fullText?.({ docNumber: parts }) ?? []);
    result.docNumbers.push(m[0].trim());
    result.identifierTerms.push(m[0].trim(), `〔${parts.year}〕${parts.serial}号`);
    if (chosen.length === 0) result.unmatched.push(m[0].trim());
    for (const r of chosen) targets.add(r);
    rest = rest.replace(m[0], ' ');
  }

  const proposalMatches = (raw: string) => {
    const canon = canonicalProposalNumber(raw);
    const recorded = index.byProposal.get(canon) ?? [];
    const hits = recorded.length > 0 ? recorded : (fullText?.({ proposalNumber: raw.replace(/\s+/g, '') }) ?? []);
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
    for (const name of recipientNames(r.recipient)) {
      if (!question.includes(name) || result.names.includes(name)) continue;
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

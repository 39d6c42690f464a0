/**
 * Sessions (省十四届人大四次会议, 政协第十三届全国委员会第五次会议) and the
 * kinds of item answered (代表建议, 委员提案, 党派团体提案 …): the grammar
 * replies use for them, shared by the parser and question understanding.
 */

/** The kinds of item a reply answers, as dafu names them. */
export const KINDS = ['代表建议', '委员提案', '党派团体提案', '集体提案', '议案'] as const;
export type Kind = (typeof KINDS)[number];

const CN = '[一二三四五六七八九十]{1,3}';
/** 届 … 次会议, with whatever stands between (人大, 人民代表大会, 全国委员会 …). */
const SESSION_CORE = new RegExp(`第?${CN}届[\\u4e00-\\u9fff]{0,12}?第?${CN}次(?:全体)?会议`);
/** Characters at which a session's prefix stops when read leftwards: verbs, particles, punctuation. */
const PREFIX_STOP = /[对在于的向为是及将从经由把给\s，。、；：:,.;（）()《》“”"0-9A-Za-z]/;
/** Words that start a session's prefix: the body (政协, 人大, 全国) or a level/place. */
const PREFIX_MAX = 14;
/**
 * Words of the sentence that end before a session's prefix, read leftwards up to the last of them: 关于, the
 * proposer (代表, 委员 — not 人民代表大会's 代表 nor 委员会's 委员: 「政协临沧市委员会五届三次会议」), 提出, 期间.
 */
const SENTENCE_BEFORE = /^.*?(?:关于|代表(?!大会)|委员(?!会)|提出|期间)/;
/**
 * Verbs a title or an opening puts right before the session: 「关于答复县十七届人大三次会议…」, 「转来…」,
 * 「办理…」. The session starts after them.
 */
const LEADING_VERB = /^(?:转来|转交|交来|提交|交办|答复|回复|办复|办理|落实)/;

/**
 * The session in `s` as written, from its body prefix (省, 市, 县, 区, 全国,
 * 政协, a place name) to 会议: 「您在县十九届人大四次会议上」 → 县十九届人大四次会议.
 */
export function sessionIn(s: string): string | null {
  const m = SESSION_CORE.exec(s);
  if (!m) return null;
  let start = m.index;
  while (start > 0 && m.index - start < PREFIX_MAX && !PREFIX_STOP.test(s[start - 1]!)) start--;
  let prefix = s.slice(start, m.index);
  // 「关于」 and 「代表」/「委员」 in front belong to the sentence, not the session.
  prefix = prefix.replace(SENTENCE_BEFORE, '').replace(LEADING_VERB, '');
  return prefix + m[0];
}

/** Whether a session (or any text) belongs to a people's congress or to a CPPCC. */
function bodyOf(s: string | null): 'congress' | 'cppcc' | null {
  if (!s) return null;
  if (/政协|政治协商|全国委员会|委员会第/.test(s)) return 'cppcc';
  if (/人大|人民代表大会/.test(s)) return 'congress';
  return null;
}

/** Whether an addressee is a person (or people) rather than a body. */
function recipientType(recipient: string | null): 'deputy' | 'member' | 'body' | null {
  if (!recipient) return null;
  if (/代表(?:们)?$/.test(recipient)) return 'deputy';
  if (/委员(?:们)?$/.test(recipient) && !/委员会$/.test(recipient)) return 'member';
  if (/(?:委会|委员会|工商联|联合会|民建|民盟|民进|农工党|致公党|九三学社|台盟|民革|党|社|界|组|联)$/.test(recipient)) return 'body';
  return null;
}

/**
 * 「议案(建议)」: a system's label for a deputy's suggestion filed under 议案 — its bracket says which: a 建议.
 * Written as a regex source so a parser can read it among the other kind words.
 */
export const FILED_AS_SUGGESTION = '议案\\s*[(（]\\s*建议\\s*[)）]';

/**
 * The kind of item, from what the reply states after the number (stated:
 * 代表建议 / 委员提案 / 党派团体提案 / 集体提案 / 提案 / 建议 / 议案), the session's
 * body and the addressee: a bare 提案 addressed to a body is a 党派团体提案,
 * to a member a 委员提案; a bare 建议 in a congress session is a 代表建议.
 */
export function kindOf(stated: string | null, session: string | null, recipient: string | null, context = ''): Kind | null {
  if (stated && new RegExp(`^${FILED_AS_SUGGESTION}$`).test(stated)) stated = '建议';
  if (stated === '代表建议' || stated === '委员提案' || stated === '党派团体提案' || stated === '集体提案' || stated === '议案') return stated;
  if (stated === '党派提案' || stated === '团体提案') return '党派团体提案';
  const body = bodyOf(session) ?? bodyOf(context);
  const who = recipientType(recipient);
  const cppcc = body === 'cppcc' || (body === null && (stated === '提案' || who === 'member'));
  const congress = body === 'congress' || (body === null && !cppcc && (stated === '建议' || who === 'deputy'));
  if (cppcc) return who === 'body' ? '党派团体提案' : '委员提案';
  if (congress) return '代表建议';
  return null;
}

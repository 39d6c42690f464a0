/**
 * The parts every reply is written in, and the words that mark them: the
 * opening that acknowledges the suggestion (「您提出的《…》收悉，现答复如下」),
 * the body, the next steps (下一步 / 下步工作 / 今后), and the closing
 * (「感谢您对…工作的关心」「联系人：…」). One lexicon for the parser (ingest/),
 * which stores each chunk's role, and for answering (src/answer/), which
 * never offers an acknowledgement or a sign-off as the answer to a question
 * about content, and reads a next-steps passage as what is planned.
 */

/** The role of a passage (a chunk) in its reply. */
export type PassageRole = 'opening' | 'body' | 'next-steps' | 'closing';

/** The role of one sentence: framing (title, opening, closing, signature) or content. */
export type SentenceRole = 'title' | 'opening' | 'closing' | 'signature' | 'content';

/** The opening paragraph's acknowledgement: 「…收悉」「现答复如下」「现将办理情况答复如下」. */
export const OPENING = /收悉|现(?:就|将|对)?.{0,24}?(?:答复|函复|报告|回复)如下|答复如下/u;

/** Names the parser gives the parts a reply does not number itself. */
export const FRONT_SECTION = '开头';
export const CLOSING_SECTION = '落款';
export const WHOLE_SECTION = '正文';

/** A section heading that starts the next steps (「三、下一步工作」「（三）下步打算」「今后工作计划」). */
export const NEXT_STEPS_HEADING = /下一?步|下一?阶段|今后|接下来|工作打算|工作计划|工作安排|努力方向/u;

/**
 * The role of a passage from its section path, as the parser names the parts: the front matter
 * (title, salutation, acknowledgement), the sign-off, a section headed as next steps, or the body.
 */
export function passageRole(path: readonly string[]): PassageRole {
  const top = path[0];
  if (top === FRONT_SECTION) return 'opening';
  if (top === CLOSING_SECTION) return 'closing';
  if (top !== WHOLE_SECTION && path.some((h) => NEXT_STEPS_HEADING.test(h))) return 'next-steps';
  return 'body';
}

/** The closing courtesies and contact lines. */
export const CLOSING = /^(?:[（(]?\d*[)）]?)?(?:(?:衷心|再次|非常|最后)?感谢(?:您|你|贵|各位)|欢迎(?:您|你|贵)|请(?:您)?继续(?:关心|关注|支持)|此复|特此(?:函复|答复|回复))|^(?:联系人|联系电话|联系单位|联系方式|经办人|承办人)[：:\s]/u;

/** The reply's own title line: 「关于…建议的答复」「…提案办理结果的复函」「…的函」. */
const TITLE = /^(?:[\u4e00-\u9fff（）()]{2,40}(?:关于)|关于).{2,120}(?:的答复(?:函|意见)?|的复函|的回复|的函|办理情况(?:[（(][A-Ca-c][)）])?的函|的协办意见|的会办意见)\s*$/u;

/** A signature line: an issuer's name, a date, or both, and nothing else. */
const DATE = String.raw`(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零一二三四五六七八九○]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})`;
const ISSUER = String.raw`[\u4e00-\u9fff（）()]{2,30}(?:厅|局|委员会|委|办公室|政府|中心|公司|部|院|会|站|所|处|办)`;
const SIGNATURE = new RegExp(`^(?:${ISSUER}\\s*(?:${DATE})?|${DATE})$`, 'u');

/** What a sentence is doing in its reply. Framing never answers a question about what a reply says. */
export function sentenceRole(sentence: string): SentenceRole {
  const s = sentence.trim().replace(/[。；;]$/u, '');
  if (OPENING.test(s)) return 'opening';
  if (CLOSING.test(s)) return 'closing';
  if (TITLE.test(s)) return 'title';
  if (s.length <= 30 && SIGNATURE.test(s) && !/[，,]/u.test(s)) return 'signature';
  return 'content';
}

/** True for the title, opening, closing and signature: sentences that frame a reply rather than say anything in it. */
export function isFraming(sentence: string): boolean {
  return sentenceRole(sentence) !== 'content';
}

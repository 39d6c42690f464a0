/**
 * The parts every reply is written in, and the words that mark them: the
 * opening that acknowledges the suggestion (「您提出的《…》收悉，现答复如下」),
 * the body, the next steps (下一步 / 下步工作 / 今后), and the closing
 * (「感谢您对…工作的关心」「联系人：…」). One lexicon for the parser (ingest/),
 * which names the parts and stores each chunk's role, and for answering
 * (src/answer/), which reads a next-steps passage as what is planned.
 */

/** The role of a passage (a chunk) in its reply. */
export type PassageRole = 'opening' | 'body' | 'next-steps' | 'closing';

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

/**
 * The acknowledgement that opens a reply (「您提出的《…》收悉」「现答复如下」): it restates the
 * proposal's title and says nothing of what was done or will be.
 */
export const ACKNOWLEDGEMENT = /收悉|现答复如下|现将[^。]{0,16}答复如下|(?:意见|情况|答复)如下[：:]?\s*$/u;

/** The courtesies that close one (「衷心感谢您对…工作的关心和支持」「欢迎继续提出宝贵意见」): framing too. */
export const COURTESY = /感谢[^。]{0,30}(?:关心|关注|支持|理解)|欢迎[^。]{0,12}(?:提出|批评|监督)|敬请|望(?:继续|多提)/u;

/**
 * The salutation line, addressed to the proposer or the lead body (「尊敬的张三代表：」「江門市交通運輸局:」「民建省委会：」):
 * a short line that ends in a colon and says nothing of what was done.
 */
export const SALUTATION = /^\s*(?:尊敬的)?[^，。,；;：:]{2,30}[：:]\s*$/u;

/** A line that is only a date or a number (「2023年10月16日」, a damaged 「20211026」): the signature's, no content. */
export const BARE_DATE = /^\s*[\d〇○一二三四五六七八九十零]{2,}[\d〇○一二三四五六七八九十零年月日号\s./\-:：]*$/u;

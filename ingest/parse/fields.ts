/**
 * Reads a reply's metadata (ReplyFields) from its layout. The site's metadata
 * table wins where it exists; otherwise each field comes from the place a
 * reply states it (title line, 发文字号 line, salutation, opening paragraph,
 * signature). Nothing is guessed: a field the document does not state is null.
 */
import type { ReplyFields } from '../../src/types.ts';
import { DATE_PARAGRAPH, CONTACT_PARAGRAPH, SIGNATURE_PARAGRAPH, type Layout } from './layout.ts';
import { cnNumber } from './headings.ts';

const DOC_NUMBER = /^[\u4e00-\u9fff]{1,15}[〔［[【(（]\d{4}[〕］\]】)）]\d+号$/;
const SESSION = /(?:省|市|县|区|全国)?(?:人大|政协)?(?:第)?[一二三四五六七八九十]{1,3}届(?:人大|全国委员会|委员会)?(?:常委会)?(?:第)?[一二三四五六七八九十]{1,3}次(?:全体)?会议/;
const KINDS = '代表建议|委员提案|党派团体提案|集体提案|团体提案|提案|建议|议案';
const NUMBER_AND_KIND = new RegExp(`第?([0-9A-Za-z]+)号(${KINDS})`);

/** 「2025年05月27日」, 「2025年5月27日」 or 「二〇二五年五月二十七日」 as 2025-05-27; null if not a date. */
export function isoDate(s: string | undefined | null): string | null {
  if (!s) return null;
  const m = /([0-9〇零一二三四五六七八九○]{4})年([0-9一二三四五六七八九十]{1,3})月([0-9一二三四五六七八九十]{1,3})日/.exec(s);
  if (m) {
    const year = /^\d+$/.test(m[1]!) ? Number(m[1]) : Number([...m[1]!].map((c) => '〇一二三四五六七八九'.indexOf(c === '零' || c === '○' ? '〇' : c)).join(''));
    const month = cnNumber(m[2]!);
    const day = cnNumber(m[3]!);
    if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1900) return null;
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
  const iso = /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/.exec(s);
  return iso ? `${iso[1]}-${iso[2]!.padStart(2, '0')}-${iso[3]!.padStart(2, '0')}` : null;
}

/** The metadata-table value for any of `keys`, or null when absent or blank. */
function metaValue(meta: Map<string, string>, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = meta.get(k)?.trim();
    if (v) return v;
  }
  return null;
}

/** The opening paragraph: 「您在…上提出的《…》收悉」, or 「您提出的关于…的建议收悉」 without 《》. */
function openingParagraph(front: string[]): string | null {
  return front.find((p) => /提出的.*(?:《|收悉)|《.*》收悉/.test(p)) ?? null;
}

/**
 * The title of the suggestion or proposal: the 《…》 in the opening paragraph,
 * else the 「关于…的建议/提案」 phrase between 提出的 and 收悉, which many
 * replies write without 《》.
 */
function proposalTitleOf(opening: string | null): string | null {
  if (!opening) return null;
  const quoted = /《([^》]+)》/.exec(opening)?.[1];
  if (quoted) return quoted;
  return /提出的[“"]?(关于[^，。；：《》]{2,80}?的(?:建议|提案|议案))[”"]?(?:已)?收悉/.exec(opening)?.[1] ?? null;
}

/** The title line in the front matter: the first short line that ends 「…的答复」 (or 复函/的函). */
function titleLine(front: string[]): string | null {
  return front.find((p) => p.length <= 80 && /(?:答复|复函|的函)$/.test(p) && !/[：:]$/.test(p)) ?? null;
}

/** The addressee line: a short line ending with a colon (「徐凤娟代表：」, 「尊敬的孙昭艳委员：」). */
function recipientOf(front: string[]): string | null {
  for (const p of front) {
    const m = /^(?:尊敬的)?([^，。：:\s]{2,30})[：:]$/.exec(p);
    if (m) return m[1]!;
  }
  return null;
}

/** 「联系人：王小飞 联系电话：0431-87077670」 → 「王小飞 0431-87077670」 (the name alone when no phone is given). */
export function contactOf(lines: string[]): string | null {
  const line = lines.find((p) => CONTACT_PARAGRAPH.test(p) || /联系人[:：]/.test(p));
  if (!line) return null;
  const name = /联系人[:：]?\s*([\u4e00-\u9fff·]{2,8}?)(?=\s|[,，;；、)）]|(?:联系)?(?:电话|手机|方式)|\d|$)/.exec(line)?.[1] ?? null;
  const phone = /(?:电话|手机|方式)[:：]?\s*([0-9][0-9\-－—()（） ]{5,}[0-9])/.exec(line)?.[1] ?? /(\d{3,4}-\d{7,8}|1\d{10})/.exec(line)?.[1] ?? null;
  const parts = [name, phone?.replace(/\s+/g, '')].filter((x): x is string => !!x);
  return parts.length > 0 ? parts.join(' ') : null;
}

/**
 * The kind of proposal: from the title (第0147号代表建议 → 代表建议), made
 * specific from the addressee when the title only says 提案/建议 (a 提案
 * addressed to a 委员 is a 委员提案), or taken from the addressee alone
 * (…代表 → 代表建议, …委员 → 委员提案) when no title states it.
 */
function kindOf(stated: string | null, recipient: string | null): string | null {
  const byRecipient = recipient?.endsWith('代表') ? '代表建议' : recipient?.endsWith('委员') ? '委员提案' : null;
  if (stated === '提案' && byRecipient === '委员提案') return byRecipient;
  if (stated === '建议' && byRecipient === '代表建议') return byRecipient;
  return stated ?? byRecipient;
}

/** Extracts every ReplyFields value the document states; absent ones are null. */
export function extractFields(parts: Layout): ReplyFields {
  const { meta, front, closing } = parts;
  const title = metaValue(meta, '标题', '题名', '文件名称') ?? titleLine(front);
  const opening = openingParagraph(front);
  const recipient = recipientOf(front);
  const signature = [...closing].reverse().find((p) => SIGNATURE_PARAGRAPH.test(p)) ?? null;
  const closingDate = closing.find((p) => DATE_PARAGRAPH.test(p)) ?? null;
  const numbered = (title && NUMBER_AND_KIND.exec(title)) || (opening && NUMBER_AND_KIND.exec(opening)) || null;
  const session = (title && SESSION.exec(title)?.[0]) ?? (opening && SESSION.exec(opening)?.[0]) ?? null;
  return {
    title,
    docNumber: metaValue(meta, '发文字号', '文号') ?? front.find((p) => DOC_NUMBER.test(p)) ?? null,
    indexNumber: metaValue(meta, '索引号'),
    issuer: metaValue(meta, '发文机关', '发布机构', '发文单位') ?? signature,
    date: isoDate(metaValue(meta, '成文日期', '发文日期')) ?? isoDate(closingDate),
    publishedDate: isoDate(metaValue(meta, '发布日期')),
    category: metaValue(meta, '分类', '主题分类'),
    recipient,
    proposalTitle: proposalTitleOf(opening),
    session,
    proposalNumber: numbered?.[1] ?? null,
    kind: kindOf(numbered?.[2] ?? null, recipient),
    contact: contactOf(closing),
  };
}

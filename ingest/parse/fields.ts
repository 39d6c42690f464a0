/**
 * Reads a reply's fields (ReplyFields) from its parts. Each field comes from
 * the place replies state it — the site's metadata cells, the title line,
 * the 发文字号 line, the salutation, the opening paragraph, the signature —
 * in a fixed order of preference, through the shared domain grammar
 * (src/domain/). Nothing is guessed: a field the reply does not state is
 * null, and a value visibly damaged in the capture is reported in `damaged`
 * instead of being read.
 */
import type { ReplyFields } from '../../src/types.ts';
import { CONTACT_LABEL_SOURCE, CONTACT_PERSON_LABEL, DATE_PARAGRAPH, isSignatureLine, type Layout } from './layout.ts';
import type { MetaField } from './metadata.ts';
import { DAMAGED_DATE_LINE, docNumbersIn, isDamagedDocNumber, isDocNumber, isoDate, proposalNumberIn } from '../../src/domain/numbers.ts';
import { bodyList, isBodyName, issuerOfTitle } from '../../src/domain/bodies.ts';
import { FILED_AS_SUGGESTION, kindOf, sessionIn } from '../../src/domain/sessions.ts';

export { isoDate } from '../../src/domain/numbers.ts';

/** How a reply's own title ends. */
const TITLE_END = /(?:答复|答复函|复函|的函|复文|会办意见|协办意见|回复意见|办理意见|答复意见|摘要|办理情况|办理单|回复)$/;
/**
 * What may follow a title's end on its line: a class (B), a bracketed 发文字号, the proposal's title after a colon,
 * in brackets or in 《》 (「…第77号提案的答复函《关于…的建议》」).
 */
const TITLE_TAIL = /(?:[（(]\s*[A-D甲乙丙丁]\s*类?\s*[)）])?(?:\s*[（(【[][^（）()]{0,60}[)）】\]]|\s*[:：].{2,80}|\s*《[^《》]{2,120}》)?$/;
/** Something in brackets printed before the title: a 发文字号 there (「(东文旅发〔2020〕29号)关于…的答复」) is not part of it. */
const LEADING_BRACKETS = /^\s*[（(【[]\s*([^（）()【】\[\]]+?)\s*[)）】\]]\s*/;

/** The 发文字号 a title line starts with, in brackets, or null. */
function leadingDocNumber(line: string): string | null {
  const m = LEADING_BRACKETS.exec(line);
  return m && isDocNumber(m[1]!) ? m[1]!.trim() : null;
}

/** The opening paragraph: 「您在…上提出的《…》收悉」, or 「您提出的关于…的建议收悉」 without 《》. */
function openingParagraph(front: string[]): string | null {
  // A 会办意见 acknowledges nothing: it restates the item (「…代表在…会议提出《…》，由你厅主办」) and gives its 意见如下.
  return front.find((p) => /收悉|现答复如下|现将.{0,12}答复如下|提出的.*(?:《|建议|提案)|提出《.*意见如下/.test(p) && p.length > 15) ?? null;
}

/**
 * The title of the suggestion or proposal, from the opening, else from the
 * reply's title: the 《…》 before 收悉; else a 「关于…的建议/提案」 phrase (not
 * 「关于您提出的…」); else the quoted “…” that 的建议 / 的提案 follows; else the
 * text after 「建议：」 up to 的建议.
 */
function proposalTitleOf(opening: string | null, title: string | null, titleLine: string | null = null): string | null {
  // Last, the title line as printed: a 《proposal title》 after the reply's title is cut from the title, but names the proposal.
  for (const text of [opening, title, titleLine]) {
    if (!text) continue;
    const head = text.slice(0, text.search(/收悉|现答复/) > 0 ? text.search(/收悉|现答复/) : text.length);
    const quoted = /《([^》]{4,120})》/.exec(head);
    if (quoted) return quoted[1]!;
    const phrase = /[“"‘]?(关于(?![您你贵])[^。；《》]{2,120}?的(?:建议|提案|议案|意见))[”"’]?/.exec(head);
    if (phrase && (text === opening || /[(（:：“]\s*关于/.test(text))) {
      // 「关于“…的建议”的议案」: a quote opened inside the phrase closes after it, so the title is what it encloses.
      const open = phrase[1]!.search(/[“"‘]/);
      if (open >= 0 && !/[”"’]/.test(phrase[1]!.slice(open + 1))) return phrase[1]!.slice(open + 1);
      return phrase[1]!;
    }
    const inQuotes = /[“"]([^”"]{4,120})[”"]\s*(?:的)?(?:建议|提案|议案)/.exec(head);
    if (inQuotes && text === opening) return inQuotes[1]!;
    const afterColon = /(?:建议|提案)[:：]\s*([^。；]{4,120}?的(?:建议|提案))/.exec(head);
    if (afterColon && text === opening) return afterColon[1]!;
  }
  return null;
}

/** Whether a line ends like a reply's title (its class, bracketed 发文字号 or proposal title after it allowed). */
function isTitle(c: string): boolean {
  if (c.length > 160 || /^《.*》$/.test(c) || /[。；]/.test(c.replace(/[（(][^（）()]*[)）]$/, ''))) return false;
  const head = c.replace(LEADING_BRACKETS, (m: string, inner: string) => (isDocNumber(inner) ? '' : m)).replace(TITLE_TAIL, '');
  const core = TITLE_END.test(head) ? head : TITLE_END.test(c) ? c : null;
  // A column name (「人大代表建议办理答复」) is not a title: a reply's title names its item, session or subject.
  return !!core && /建议|提案|议案|代表|委员|会议|答复|复函|复文/.test(core) && /\d+\s*号|会议|关于|对|《|“/.test(core);
}

/** A title inside a longer line: from 关于/对 (after an issuer's name, if any) to the first title end. */
const TITLE_INSIDE = /(?:关于|对)[^。；！？\s]{4,100}?(?:答复函|答复摘要|答复|复函|会办意见|协办意见|回复意见)(?:[（(][^（）()]{1,40}[)）])?/;

/** How a title printed over two lines starts: 「关于对省十四届人大四次会议」, 「XX局关于…」. */
const TITLE_START = /^(?:[\u4e00-\u9fff（）()a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{2,40}?(?:关于|对)|关于|对|“关于)/;

/** The reply's title line in the front matter (joined when printed over two lines), with its 发文字号 and 《proposal title》 removed. */
function titleLine(front: string[]): string | null {
  const line = titleLineAsPrinted(front);
  return line === null ? null : bareTitle(line);
}

/** The line {@link titleLine} reads the title from, with what is printed around the title. */
function titleLineAsPrinted(front: string[]): string | null {
  for (let i = 0; i < Math.min(front.length, 20); i++) {
    const p = front[i]!;
    if (isSalutation(p) || /收悉|现答复/.test(p)) break; // the salutation or opening: the title comes before it
    // A list capture may number the title line (「004(1).对区…的答复」).
    const unnumbered = p.replace(/^\d{1,4}(?:[(（]\d{1,3}[)）])?\s*[.．、]\s*(?=关于|对|[\u4e00-\u9fff]{2,30}?关于)/, '');
    if (isTitle(unnumbered)) return unnumbered.trim();
    const next = front[i + 1];
    if (next !== undefined && TITLE_START.test(p) && isTitle(p + next)) return (p + next).trim();
  }
  // No line is a title: one may sit inside a line that spam or a site banner was glued to.
  for (const p of front.slice(0, 20)) {
    if (/收悉|现答复/.test(p)) break;
    const m = TITLE_INSIDE.exec(p);
    if (m && isTitle(m[0])) return m[0].trim();
  }
  return null;
}

/**
 * 「…的答复(吉农议案〔2025〕19号)」 → 「…的答复」: a 发文字号 in brackets at the end of a title, or at its start
 * (「(东文旅发〔2020〕29号)关于…的答复」), is not part of it; nor is the proposal's 《title》 printed after its end
 * (「…提案的答复函《关于…的建议》」 — a 《》 inside the title, 「…第114080号提案《…》的答复」, stays).
 */
function bareTitle(title: string): string {
  let t = title.trim();
  if (leadingDocNumber(t)) t = t.replace(LEADING_BRACKETS, '');
  const m = /\s*[（(【[]\s*([^（）()]+)\s*[)）】\]]$/.exec(t);
  if (m && isDocNumber(m[1]!)) t = t.slice(0, m.index).trim();
  const tail = /\s*《[^《》]{2,120}》$/.exec(t);
  if (tail && TITLE_END.test(t.slice(0, tail.index))) t = t.slice(0, tail.index).trim();
  return t;
}

/** The 发文字号 stated in the front matter: a line of its own, or in brackets after the title. */
function docNumberOf(front: string[], meta: Map<MetaField, string>): { value: string | null; damaged: string | null } {
  const fromMeta = meta.get('docNumber');
  if (fromMeta && isDocNumber(fromMeta)) return { value: fromMeta.trim(), damaged: null };
  const titleCell = meta.get('title');
  const inTitleCell = titleCell ? leadingDocNumber(titleCell) : null;
  if (inTitleCell) return { value: inTitleCell, damaged: null };
  for (const p of front.slice(0, 20)) {
    if (/收悉|现答复/.test(p)) break;
    // 「(东文旅发〔2020〕29号)关于…的答复」: the number in brackets before the title.
    const leading = leadingDocNumber(p);
    if (leading && isTitle(p)) return { value: leading, damaged: null };
    const t = p.replace(/^[（(【[]|[)）】\]]$/g, '').trim();
    if (isDocNumber(t)) return { value: t, damaged: null };
    // 「湘交建议复〔2017〕98号A类」: the number with the handling class printed after it.
    const withClass = /^(.+?号)\s*[（(]?\s*[A-D]\d?\s*类?\s*[)）]?$/.exec(t);
    if (withClass && isDocNumber(withClass[1]!)) return { value: withClass[1]!, damaged: null };
    if (isDamagedDocNumber(t)) return { value: null, damaged: t };
    if (p.length <= 160 && TITLE_END.test(p.replace(TITLE_TAIL, ''))) {
      const inTitle = docNumbersIn(p).find((d) => /^\s*[)）\]】]\s*$/.test(p.slice(p.lastIndexOf(d) + d.length)));
      if (inTitle) return { value: inTitle, damaged: null };
    }
  }
  if (fromMeta && isDamagedDocNumber(fromMeta)) return { value: null, damaged: fromMeta.trim() };
  // A 发文字号 cell may hold the site's own numbering instead of the standard form (「2022-92」): it is still the
  // reply's number as printed. Only a code that starts with its digits: not a word (无) or a stray label (是否有效).
  if (fromMeta && /^\d[\dA-Za-z\-—－/.]{1,29}$/.test(fromMeta.trim()) && /\d.*\d/.test(fromMeta)) return { value: fromMeta.trim(), damaged: null };
  return { value: null, damaged: null };
}

/** The addressee: 「徐凤娟代表：」, 「尊敬的孙昭艳委员：」, 「民建省委会:」, 「尊敬袁大金代表」 (its colon lost in the capture). */
function recipientOf(front: string[]): string | null {
  for (const p of front.slice(0, 25)) {
    const m = /^(?:尊敬的|尊敬)?\s*([^，。：:；\s]{1,40}?)\s*[：:](.*)$/.exec(p);
    if (m && (m[2] === '' || /^\s*(?:您|你|贵)/.test(m[2]!)) && isAddressee(m[1]!)) return m[1]!;
    // 「邱威高、丁平林、姜礼掌…许春苗等11位代表:」: a list of many names is longer than any one addressee.
    const list = /^(?:尊敬的|尊敬)?\s*((?:[\u4e00-\u9fff·]{2,6}、\s*){2,}[^，。：:；]{1,40}?(?:代表|委员|同志))\s*[：:](.*)$/u.exec(p);
    if (list && (list[2] === '' || /^\s*(?:您|你|贵)/.test(list[2]!))) return list[1]!.replace(/\s+/gu, '');
    const bare = /^尊敬的?([^，。：:；\s]{2,30}(?:代表|委员))$/.exec(p);
    if (bare) return bare[1]!;
    if (/收悉|现答复/.test(p)) break;
  }
  return null;
}

/** Whether a line is the salutation (「徐凤娟代表：」), not a label left without its value (「公文时效:」). */
function isSalutation(p: string): boolean {
  const m = /^(?:尊敬的|尊敬)?\s*([^，。：:；\s]{1,40}?)\s*[：:]$/.exec(p);
  return !!m && isAddressee(m[1]!);
}

/** Whether a salutation's name is an addressee: people (…代表 / 委员 / 同志, several, redacted) or a body. */
function isAddressee(name: string): boolean {
  if (/(?:代表|委员|同志|先生|女士|们)$|^你们$|^您$/.test(name)) return true;
  if (/^\*+/.test(name)) return true;
  return isBodyName(name) && !/^(?:索引号|发文|标题)/.test(name);
}

/**
 * Markup a page's Word-HTML leaked into the text (「赵唯弹span lang="EN-US">」, 「9/span>」): the characters
 * next to it are usually mangled too, so a value holding it is reported damaged, not read.
 */
const LEAKED_MARKUP = /(?:<\/?|\/|\b)(?:span|font|div|o:p|br)\b[^\u4e00-\u9fff]*>|\b(?:lang|style|class)\s*=\s*["']|&(?:nbsp|lt|gt|amp);/i;

/** Labels of a contact block: the person, the unit, the phone. */
const CONTACT_LABEL = new RegExp(`(?:${CONTACT_LABEL_SOURCE}|电话|手机)(?:及联系人)?\\s*[:：]`);
const PERSON_LABEL = new RegExp(`${CONTACT_PERSON_LABEL}\\s*[:：]?\\s*`);
const PHONE = /(?:\+?86[-\s]?)?(?:\d[\d\s]{0,4}[-—－]\s*)?\d[\d\s]{5,}\d/;
/** A unit in front of a name (「云南省农业厅畜牧处王瑞欣」, 「省交通厅朱金波」): where the unit ends. */
const UNIT_END = /^[\u4e00-\u9fff（）()]{2,30}(?:处|科|室|司|局|厅|委|办|部|中心|股|站|所)/;

/** The person (or people, 「曹旭东、卢铭」) in a 联系人 value, without a unit written in front of them. */
function personIn(value: string): string | null {
  const v = value.replace(/^[（(]/, '').replace(/(?:联系)?(?:电话|手机|方式).*$/, '').trim();
  const items = v.split(/[,，;；\s]/).filter((x) => x !== '');
  for (const item of items) {
    let t = /^[\u4e00-\u9fff·、]+/.exec(item)?.[0] ?? '';
    if (t.length > 4 && !t.includes('、')) {
      // A unit glued to the name: keep what follows the unit.
      const unit = UNIT_END.exec(t);
      const rest = unit ? t.slice(unit[0].length) : '';
      t = rest.length >= 2 && rest.length <= 4 ? rest : '';
    }
    t = t.replace(/(?:联系)?(?:电话|手机|方式)$/, '');
    if (t.length >= 2 && (t.length <= 4 || t.includes('、')) && !isBodyName(t)) return t;
  }
  return null;
}

/**
 * The contact of a reply from its contact block (联系人 / 联 系 人 / 承办人 /
 * 经办人 / 联系单位 and the phone, on one line or several):
 * 「王小飞 0431-87077670」; the unit when no person is named
 * (「民航局发展计划司 010-64092782」); the name or the phone alone when only one is given.
 */
export function contactOf(lines: string[]): string | null {
  return contactIn(lines).contact;
}

/** The contact (see {@link contactOf}), or the person's value as printed when leaked markup damaged it. */
function contactIn(lines: string[]): { contact: string | null; damaged: string | null } {
  const none = { contact: null, damaged: null };
  let last = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (CONTACT_LABEL.test(lines[i]!) && lines[i]!.length <= 120) {
      last = i;
      break;
    }
  }
  let block: string;
  if (last >= 0) {
    let first = last;
    while (first > 0 && last - first < 3 && CONTACT_LABEL.test(lines[first - 1]!) && lines[first - 1]!.length <= 120) first--;
    block = lines.slice(first, last + 1).join('\n');
  } else {
    // A capture flattened into one long line (「…继续予以关注和监督。 联系电话:3221671 2021年7月15日 |」): the label
    // near its end, up to the date or the line's end.
    const text = lines.join('\n');
    const tail = text.slice(-400);
    const labels = [...tail.matchAll(new RegExp(CONTACT_LABEL.source, 'gu'))];
    const at = labels[0]?.index;
    if (at === undefined) return none;
    block = tail.slice(at, at + 120).split(/\s(?=\d{4}\s*年)|\s(?=\d{4}-\d{1,2}-\d{1,2})|\|/u)[0]!;
  }
  const personValue = PERSON_LABEL.exec(block) ? block.slice(PERSON_LABEL.exec(block)!.index + PERSON_LABEL.exec(block)![0].length).split('\n')[0]! : '';
  if (LEAKED_MARKUP.test(personValue)) return { contact: null, damaged: personValue.trim() };
  const person = personValue ? personIn(personValue) : null;
  const unitValue = /联系单位(?:及电话|及联系方式)?\s*[:：]\s*([\u4e00-\u9fff（）()]{2,30}?)(?=[,，;；\s:：]|及|电话|\d|$)/.exec(block)?.[1] ?? null;
  // The signature date may follow on the same line (「联系电话:3221671 2021年7月15日」): it is no part of the number.
  // Normalization may have closed the space between them (「32216712021年7月15日」): a year before 年 ends the number.
  const phoneText = (/(?:电话|手机|方式)\s*[:：]?\s*([^\n]*)/.exec(block)?.[1] ?? block)
    .replace(/(?<=\d{7})(?=(?:19|20)\d{2}\s*年)/u, ' ')
    .split(/\s(?=\d{4}\s*年)|\s(?=\d{4}-\d{1,2}-\d{1,2})/u)[0]!;
  const phone = PHONE.exec(phoneText)?.[0] ?? PHONE.exec(block)?.[0] ?? null;
  const who = person ?? (unitValue && isBodyName(unitValue) ? unitValue : null);
  const parts = [who, phone?.replace(/\s+/g, '')].filter((x): x is string => !!x);
  return { contact: parts.length > 0 ? parts.join(' ') : null, damaged: null };
}

/** The handling class: 「办理结果：B类」, 「答复类别：A」, a title ending 「(B)」. */
function resultOf(meta: Map<MetaField, string>, title: string | null, all: string[]): string | null {
  const stated = meta.get('result')?.replace(/^[（(【[]\s*|\s*[)）】\]]$/g, '');
  if (stated) return /^\s*([A-D]\d?|[甲乙丙丁])\s*类?/.exec(stated)?.[1] ?? stated.replace(/类$/, '');
  // 「…建议办理情况(A)的函」: the class may sit before the title's last words.
  const inTitle = title && /[（(]\s*([A-D]|[甲乙丙丁])\s*类?\s*[)）](?:的函|的答复|答复|的复函|复函)?$/.exec(title);
  if (inTitle) return inTitle[1]!;
  for (const p of all) {
    const m =
      /(?:办理结果|答复类别|办复类别|办理类别|结果类别)(?:为|是|属于|[:：])?\s*[“"]?([A-D]\d?|[甲乙丙丁])\s*类?/.exec(p) ??
      // 「湘交提案复〔2015〕72号 B类」, 「…建议办理情况(A)」: the class printed after the number or the title.
      (p.length <= 160 ? /(?:号|办理情况|答复|的函)\s*[（(]?\s*([A-D]\d?)\s*(?:类\s*[)）]?|[)）])\s*$/.exec(p) : null);
    if (m) return m[1]!;
  }
  return null;
}

/** Bodies the reply was handled with: 经商X、Y / 会同X / 协办单位：X, named in the opening or the closing. */
function coHandlersOf(meta: Map<MetaField, string>, opening: string | null, closing: string[]): string[] | null {
  const fromMeta = meta.get('coHandlers');
  if (fromMeta) return bodyList(fromMeta) ?? [fromMeta];
  const texts = [opening, ...closing.filter((p) => /^(?:会签|协办|会办)/.test(p))].filter((x): x is string => !!x);
  for (const text of texts) {
    // 「经综合市交通运输局、番禺区政府等单位会办意见」
    const merged = /(?:经综合|综合)([\u4e00-\u9fff、，,和及与（）()]{2,200}?)(?:等)?(?:单位|部门)?(?:的)?(?:会办|协办)意见/.exec(text);
    const fromMerged = merged ? bodyList(merged[1]!) : null;
    if (fromMerged) return fromMerged;
    const m = /(?:经商|经会同|经会|经征求|商请|会同|经与|协办单位|会办单位|会签单位|会签)\s*[:：]?\s*([\u4e00-\u9fff、，,和及与（）()]{2,200}?)(?:意见|同意|研究|协商|沟通|共同|办理|答复|[，,。；]|$)/.exec(text);
    if (!m) continue;
    const list = bodyList(m[1]!.replace(/[，,]$/, ''));
    if (list) return list;
  }
  return null;
}

/** The 签发人; a value with leaked markup is damaged (reported as printed), not read. */
function signerOf(meta: Map<MetaField, string>, all: string[]): { value: string | null; damaged: string | null } {
  const stated = meta.get('signer');
  if (stated && LEAKED_MARKUP.test(stated)) return { value: null, damaged: stated.trim() };
  if (stated) return { value: /^[\u4e00-\u9fff·]{2,6}/.exec(stated)?.[0] ?? stated, damaged: null };
  for (const p of all) {
    const m = /签发人?\s*[:：]\s*([\u4e00-\u9fff·]{2,6})(.*)$/.exec(p);
    if (m && LEAKED_MARKUP.test(m[2]!)) return { value: null, damaged: (m[1]! + m[2]!).trim() };
    if (m) return { value: m[1]!, damaged: null };
  }
  return { value: null, damaged: null };
}

/**
 * The signing body and the signature date: the last date line of the reply
 * and the signature just above it (or the last signature line). Searched
 * over body and closing, because a capture often ends with lines the closing
 * test does not know (a footer, a counter), which leave the signature in the body.
 */
function signatureOf(parts: Layout): { issuer: string | null; date: string | null; damagedDate: string | null } {
  // A reply without numbered headings has no body: its signature is then at the end of the front matter.
  const tail = [...parts.front, ...parts.body, ...parts.closing];
  let d = -1;
  for (let i = tail.length - 1; i >= Math.max(0, tail.length - 12); i--) {
    if (DATE_PARAGRAPH.test(tail[i]!) || (isSignatureLine(tail[i]!) && isoDate(tail[i]!))) {
      d = i;
      break;
    }
  }
  const near = d >= 0 ? [tail[d]!, tail[d - 1] ?? '', tail[d - 2] ?? ''] : [];
  const line = near.find(isSignatureLine) ?? [...parts.closing].reverse().find(isSignatureLine) ?? gluedSignature(tail.slice(-3)) ?? null;
  const issuer = line ? line.replace(/[0-9〇零一二三四五六七八九十○]{4}年.*日$/, '').replace(/[（(]\s*(?:盖章|印章)\s*[）)]$/, '').trim() : null;
  const date = d >= 0 ? isoDate(tail[d]) : null;
  // A date line damaged in the capture: its digits run together (「2017823」), or leaked markup took its end (「二○○九年六月二十五?span…>」).
  const isDamaged = (p: string) => DAMAGED_DATE_LINE.test(p) || (p.length <= 60 && /^[0-9〇零一二三四五六七八九十○]{4}\s*年/.test(p) && LEAKED_MARKUP.test(p));
  const damaged = date ? null : ([...tail.slice(-8)].reverse().find(isDamaged) ?? null);
  return { issuer, date, damagedDate: damaged };
}

/**
 * A closing a page flattened into one line puts the signing body right after the contact's number
 * (「联系人及电话:孙彤 159…67 永吉县水利局 2023年」, spaces lost): the body there, without what follows it.
 */
const SIGNATURE_AFTER_PHONE = /\d{5,}\s*([\u4e00-\u9fff（）()]{2,40}?)\s*(?:[0-9〇零一二三四五六七八九十○]{4}年.*)?$/;
function gluedSignature(lines: string[]): string | null {
  for (const p of [...lines].reverse()) {
    const m = CONTACT_LABEL.test(p) ? SIGNATURE_AFTER_PHONE.exec(p) : null;
    if (m && isBodyName(m[1]!)) return m[1]!;
  }
  return null;
}

/** The kind word printed after the proposal number (代表建议, 提案, 议案(建议) …; kindOf reads it). */
const STATED_KIND = new RegExp(
  `^\\s*(?:[)）(（]\\s*)?(?:[\\u4e00-\\u9fff]{1,12}类\\d+号[)）]\\s*)?(${FILED_AS_SUGGESTION}|代表建议|委员提案|党派团体提案|党派提案|团体提案|集体提案|议案|提案|建议)`,
);
/** The kind an opening states (「您提出的…的议案(建议)收悉」). */
const OPENING_KIND = new RegExp(`(?:提出的|会议的|会议上的).{0,6}?(${FILED_AS_SUGGESTION}|代表建议|委员提案|党派团体提案|集体提案|议案)`);
function statedKind(text: string, end: number): string | null {
  return STATED_KIND.exec(text.slice(end))?.[1] ?? null;
}

/** Extracts every ReplyFields value the reply states; absent ones are null. */
export function extractFields(parts: Layout, meta: Map<MetaField, string>): ReplyFields {
  const { front, closing } = parts;
  const metaTitle = meta.get('title');
  // A site's 标题 cell sometimes holds the proposal's title; a title line of the reply's own then wins.
  const lineTitle = titleLine(front);
  const title = metaTitle && (isTitle(metaTitle) || !lineTitle) ? bareTitle(metaTitle) : lineTitle;
  const opening = openingParagraph(front);
  const recipient = recipientOf(front);
  const signature = signatureOf(parts);
  const doc = docNumberOf(front, meta);

  const fromTitle = title ? proposalNumberIn(title, true) : null;
  const fromOpening = opening ? proposalNumberIn(opening) : null;
  const numbered = fromTitle ? { n: fromTitle, text: title! } : fromOpening ? { n: fromOpening, text: opening! } : null;
  const session = (title && sessionIn(title)) ?? (opening && sessionIn(opening)) ?? null;
  const stated = (numbered && statedKind(numbered.text, numbered.n.end)) ?? (opening && OPENING_KIND.exec(opening)?.[1]) ?? null;

  const metaIssuer = meta.get('issuer');
  const issuer = signature.issuer ?? (title && issuerOfTitle(title)) ?? (metaIssuer && isBodyName(metaIssuer) ? metaIssuer : null);
  const damaged: Record<string, string> = {};
  if (doc.damaged) damaged.docNumber = doc.damaged;
  const metaDate = meta.get('date');
  const date = isoDate(metaDate) ?? signature.date ?? isoDate(meta.get('issuedDate'));
  if (!date && signature.damagedDate) damaged.date = signature.damagedDate;
  const everything = [...front, ...closing];
  const signer = signerOf(meta, everything);
  if (signer.damaged) damaged.signer = signer.damaged;
  const contact = contactIn([...front, ...parts.body, ...closing].slice(-15));
  if (contact.damaged) damaged.contact = contact.damaged;

  return {
    title,
    docNumber: doc.value,
    indexNumber: meta.get('indexNumber') ?? null,
    issuer,
    date,
    publishedDate: isoDate(meta.get('publishedDate')),
    category: meta.get('category') ?? null,
    recipient,
    proposalTitle: proposalTitleOf(opening, title, titleLineAsPrinted(front)),
    session,
    proposalNumber: numbered?.n.number ?? null,
    categoryNumber: numbered?.n.categoryNumber ?? null,
    kind: kindOf(stated, session, recipient, `${title ?? ''}${opening ?? ''}`),
    contact: contact.contact,
    result: resultOf(meta, title, everything),
    coHandlers: coHandlersOf(meta, opening, closing),
    signer: signer.value,
    damaged: Object.keys(damaged).length > 0 ? damaged : null,
  };
}

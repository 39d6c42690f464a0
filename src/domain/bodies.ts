/**
 * The grammar of the bodies that ask and answer: government departments at
 * every level (省商务厅, 市交通运输局, 镇康县农业农村局, 国家发展改革委, 财政部),
 * people's governments and their offices, parties and groups (民建省委会,
 * 九三学社省委会, 省工商联). Used to read signatures, the issuer in a title,
 * co-handlers in an opening, recipients, and the actor of a promise.
 */

import { foldVariants } from './fold.ts';
import { isPlace } from './places.ts';

/** How organisation names end, longest first (a name is tested against them in this order). */
const ORG_SUFFIXES = [
  '街道办事处', '人民政府办公室', '人民政府办公厅', '人民政府', '管理委员会', '工作委员会', '委员会', '办公室', '办公厅', '办事处',
  // 人民银行 (a ministry-level co-handler); a group that proposes (「市政协…委员会第二学习小组」, 领导小组).
  '管委会', '委会', '总工会', '工商联', '联合会', '总局', '分局', '银行', '分行', '支行', '小组', '海关', '中心', '集团', '公司', '政府',
  // A democratic party's branch that proposes (「民盟大英县总支」「民进番禺支部」).
  '总支', '支部',
  '街道', '厅', '局', '委', '办', '部', '署', '司', '院', '社', '会', '联', '所', '站', '处', '室', '镇', '乡', '队', '台', '馆',
];
const ORG_SUFFIX = new RegExp(`(?:${ORG_SUFFIXES.join('|')})$`);
const PINYIN_GLOSS = /[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,8}[)）]/g;
const HAN_NAME = /^[\u4e00-\u9fff（）()·]{2,40}$/;

/**
 * Whether `s` is the whole name of a body (a signature line, a list item
 * after 经商): Chinese characters ending like an organisation. Sentences and
 * phrases with verbs are excluded by length and punctuation, not by a list.
 */
export function isBodyName(s: string): boolean {
  // Mirrors of traditional-character pages gloss characters with pinyin: 鎮(zhèn)康縣.
  const t = s.trim().replace(PINYIN_GLOSS, '');
  return HAN_NAME.test(t) && ORG_SUFFIX.test(t) && !/^(?:我|本|贵|该|各)/.test(t) && !/(?:会议|的|是|了|和)$/.test(t);
}

/** A reply's reference to its own body: 我局, 我厅, 本委 … (the issuer, never named). */
export const SELF_REFERENCE = /(?:我|本)(?:厅|局|委|办|部|署|院|中心|单位|会|镇|乡|街道|区|县|市)/;

/**
 * The issuer named at the start of a title: 「镇康县农业农村局关于对…的答复函」 →
 * 镇康县农业农村局. Null when the title starts with 关于 / 对 / a number.
 */
export function issuerOfTitle(title: string): string | null {
  const m = /^([\u4e00-\u9fff（）()]{2,40}?)(?:关于|对(?=[\u4e00-\u9fff]{0,12}(?:人大|政协|第|会议|届)))/.exec(title);
  return m && isBodyName(m[1]!) ? m[1]! : null;
}

/**
 * Provincial, city and county department names in running text: 省商务厅,
 * 市交通运输局, 县农业农村局, 省委组织部, 省工商联, 柳河县人民政府 … A level word
 * followed by words that make it not a department (省委, 省政府, 省级, 市内 …)
 * is skipped.
 */
const LEVEL = '(?:省|市|县|区|州|盟|旗)';
/**
 * A place name before the level word (某某市, 镇康县, 通化市): only where a
 * name can start — the text's start, after punctuation or a joining word —
 * so the verb in 「支持省交通厅」 is never taken for a place.
 */
const PLACE = '(?:(?<=^|[，。；、：:,（(“"\\s和与及由经同请])[\\u4e00-\\u9fff]{2,4}?(?:省|市|县|区|州|盟|旗)|' + LEVEL + ')';
// 第 opens a session (县第十一届人大), 道 a road class (省道, 县道): neither begins a department's name.
const NOT_A_DEPARTMENT = '(?!委(?![\\u4e00-\\u9fff]{2,3}部)|政府|政协|人大|内|外|级|属|市|县|区|重点|域|份|直|里|际|会|长|情|委员|第|道)';
const DEPARTMENT = new RegExp(
  [
    `${PLACE}委[\\u4e00-\\u9fff]{2,3}部`,
    `${PLACE}(?:科协|工商联|侨联|妇联|残联|总工会|团委)`,
    `${PLACE}${NOT_A_DEPARTMENT}[\\u4e00-\\u9fff]{1,9}?(?:厅|局|委|部|办)`,
  ].join('|'),
  'g',
);

/** A level word: where a place's name ends and a body's own name begins. */
const LEVEL_CHAR = /[省市县区州盟旗]/u;
/** Zones named like places (工业园区, 济南起步区, 经开区): no county list holds them. */
const ZONE = /(?:开发|高新|经开|园|新|起步|保税|示范|试验|合作|自贸|综合|片)区$/u;
/** Joining words the text may put before a name (由工业园区管委会修建): never the start of one. */
const JOINING = /^[由同请和与及将]/u;
/**
 * Words that end like a body but are not one: 部门/部署 (the 部 is followed by 门 or 署),
 * 布局/格局/大局 …, and 南部/内部/全部 …; and words no body's name holds (的, 我, 了, 把, 被).
 */
const NOT_A_BODY_END = /(?:[布格大全结开时政僵残当战棋饭赌骗]局|[东南西北中全内外局上下顶底前后腹背]部)$/u;
const NOT_IN_A_NAME = /[的我了把被]/u;

/**
 * Checks one department-shaped match against the text around it: null when it
 * is no body (see {@link NOT_A_BODY_END}); otherwise the name starting where
 * the body does. Before the level word stands either a real place (China's
 * counties and above, {@link isPlace}) or a zone, which is kept; else the
 * longest real place it ends with (关于新郑市 → 新郑市); else nothing, and the
 * name starts at the level word (积极组织区住房城乡建设局 → 区住房城乡建设局).
 */
function bodyAt(text: string, name: string, index: number): { name: string; index: number } | null {
  const body = placed(name, index);
  const next = text.charAt(index + name.length);
  if (NOT_IN_A_NAME.test(body.name) || NOT_A_BODY_END.test(body.name) || (body.name.endsWith('部') && (next === '门' || next === '署'))) return null;
  return body;
}

/** `name` cut to start where the body does (see {@link bodyAt}). */
function placed(name: string, index: number): { name: string; index: number } {
  if (LEVEL_CHAR.test(name.charAt(0))) return { name, index };
  // The place is the shortest run up to a level word (the regex's lazy 2–4 characters).
  let p = 2;
  while (p < name.length && !LEVEL_CHAR.test(name.charAt(p))) p++;
  const folded = foldVariants(name.slice(0, p + 1));
  // 自治区卫生健康委: the region's own body, named without the region (as 省 stands for the province).
  if (isPlace(folded) || /^自治[区州县旗]$/u.test(folded)) return { name, index };
  if (ZONE.test(folded)) return JOINING.test(folded) ? { name: name.slice(1), index: index + 1 } : { name, index };
  for (let k = 1; k <= p - 2; k++) if (isPlace(folded.slice(k))) return { name: name.slice(k), index: index + k };
  return { name: name.slice(p), index: index + p };
}

/** Departments named in `text`, with their positions; 「A、B和C」 lists are merged into one mention. */
export function departmentsIn(text: string): Array<{ name: string; index: number }> {
  const found: Array<{ name: string; index: number; end: number }> = [];
  for (const m of text.matchAll(DEPARTMENT)) {
    const body = bodyAt(text, m[0], m.index);
    if (body) found.push({ ...body, end: m.index + m[0].length });
  }
  const merged: Array<{ name: string; index: number; end: number }> = [];
  for (const d of found) {
    const last = merged[merged.length - 1];
    const between = last ? text.slice(last.end, d.index) : '';
    if (last && /^[、和及与]$/.test(between)) {
      last.name = text.slice(last.index, d.end);
      last.end = d.end;
    } else merged.push({ ...d });
  }
  return merged.map(({ name, index }) => ({ name, index }));
}

/** Splits a written list of bodies (「国家发展改革委、财政部和自然资源部」) into its names; null unless every item is a body. */
export function bodyList(s: string): string[] | null {
  // 和 / 及 / 与 join the last items of a list, but are also inside names (工业和信息化部, 住房和城乡建设厅):
  // an item is split at the first of them that leaves a body on each side (「住房和城乡建设部及水利部」 at 及),
  // else kept whole when it is a body, else split everywhere (and the list is then no list of bodies).
  const body = (x: string) => isBodyName(x.replace(/等(?:部门|单位)?$/, ''));
  const split = (x: string): string[] | null => {
    for (const j of x.matchAll(/以及|[和及与]/g)) {
      const left = x.slice(0, j.index);
      const right = split(x.slice(j.index + j[0].length));
      if (body(left) && right) return [left, ...right];
    }
    return body(x) ? [x] : null;
  };
  const items = s
    .split(/[、，,]/)
    .flatMap((x) => split(x.trim()) ?? x.split(/以及|[和及与]/))
    .map((x) => x.trim().replace(/^(?:等|有关部门)$/, ''))
    .filter((x) => x !== '');
  const names = items.map((x) => x.replace(/等(?:部门|单位)?$/, ''));
  return names.length > 0 && names.every(isBodyName) ? names : null;
}

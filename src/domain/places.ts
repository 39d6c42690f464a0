/**
 * China's administrative places down to the county (省, 市, 州, 县, 区, 旗:
 * 3,466 names), so a body's name can be told from the words before it:
 * 「积极组织区住房城乡建设局」 names 区住房城乡建设局 (积极组织 is no place), 「关于新郑市南部」
 * names no body at all, while 「天台县交通运输局」 and 「重庆市渝北区城市管理局」 are named
 * whole. The names come from china-area-data (GB/T 2260 codes, maintained,
 * MIT) instead of a table of our own; the short forms replies use for
 * autonomous places (黔东南州 for 黔东南苗族侗族自治州, 红河州, 西双版纳州) are derived.
 */
import { createRequire } from 'node:module';

type AreaData = Record<string, Record<string, string>>;
const AREAS = createRequire(import.meta.url)('china-area-data/v5/data.json') as AreaData;

/** The peoples whose names autonomous places carry (苗族侗族自治州 → the place is 州). */
const PEOPLES = [
  '维吾尔', '哈萨克', '柯尔克孜', '乌孜别克', '塔吉克', '塔塔尔', '俄罗斯', '鄂温克', '鄂伦春', '达斡尔', '蒙古', '朝鲜',
  '土家', '哈尼', '傈僳', '拉祜', '纳西', '景颇', '布依', '仫佬', '仡佬', '毛南', '布朗', '撒拉', '东乡', '锡伯', '阿昌',
  '普米', '德昂', '保安', '裕固', '独龙', '赫哲', '门巴', '珞巴', '基诺', '高山', '壮', '回', '藏', '苗', '彝', '侗',
  '瑶', '白', '傣', '黎', '佤', '畲', '水', '土', '羌', '怒', '京', '满',
];
const AUTONOMOUS = new RegExp(`^(.+?)(?:(?:${PEOPLES.join('|')})族)+自治(州|县|旗)$`, 'u');

function placeNames(): Set<string> {
  const names = new Set<string>();
  for (const level of Object.values(AREAS)) {
    for (const name of Object.values(level)) {
      names.add(name);
      const short = AUTONOMOUS.exec(name);
      if (short) names.add(`${short[1]}${short[2]}`);
    }
  }
  return names;
}

const PLACES = placeNames();

/** True when `name` (with its level word: 新郑市, 镇康县, 黔东南州) is a place of China's at county level or above. */
export function isPlace(name: string): boolean {
  return PLACES.has(name);
}

/** True when `word` is a place with its level word or without it, as people write them (广汉, 商丘, 柳河县). */
export function isPlaceName(word: string): boolean {
  return isPlace(word) || ['市', '县', '区', '省', '州', '旗', '盟'].some((level) => isPlace(`${word}${level}`));
}

/** Each place's code, by every name it goes by (with its level word; 河南 for 河南省 too). */
const CODES = new Map<string, string[]>();
for (const level of Object.values(AREAS)) {
  for (const [code, name] of Object.entries(level)) {
    const short = name.replace(/(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$/u, '');
    for (const n of new Set([name, short])) if (Array.from(n).length >= 2) CODES.set(n, [...(CODES.get(n) ?? []), code]);
  }
}

/**
 * The names of `word`'s place and of every place within it (河南 → 河南省, 郑州市, 巩义市 …): a reply that names
 * 巩义市明月村 is about 河南 though it never writes 河南. Empty when `word` is no place.
 */
export function namesWithin(word: string): string[] {
  const codes = CODES.get(word) ?? CODES.get(`${word}市`) ?? CODES.get(`${word}县`) ?? [];
  const out = new Set<string>([word]);
  const visit = (code: string, depth: number) => {
    const below = AREAS[code];
    if (!below || depth > 2) return;
    for (const [c, n] of Object.entries(below)) {
      // 「市辖区」「省直辖县级行政区划」 are the data's groupings, not names anyone writes.
      if (!/辖/u.test(n)) out.add(n);
      visit(c, depth + 1);
    }
  };
  for (const code of codes) visit(code, 0);
  return [...out];
}

/**
 * Department names and their aliases. Replies are signed with full names
 * (吉林省科学技术厅) while their text and users say 省科技厅 or just 科技厅,
 * so every comparison goes through one canonical short form.
 */
import { foldVariants } from './fold.ts';

/**
 * Canonical short name → other names, for a province's departments as replies
 * and users name them. Written without the province: {@link canonicalDepartment}
 * first turns any province's own name (吉林省, 浙江省, 广西壮族自治区 …) into 省,
 * so 浙江省交通运输厅 and 吉林省交通运输厅 both read as 省交通运输厅 — one store
 * usually holds one province's replies; a department missing here still works
 * through the generic 省X shape.
 */
const ALIASES: Record<string, string[]> = {
  省发改委: ['省发展和改革委员会', '省发展改革委', '发改委', '发展改革委'],
  省教育厅: ['教育厅'],
  省科技厅: ['省科学技术厅', '科学技术厅', '科技厅'],
  省工信厅: ['省工业和信息化厅', '工业和信息化厅', '工信厅'],
  省民委: ['省民族宗教事务委员会'],
  省公安厅: ['公安厅'],
  省民政厅: ['民政厅'],
  省司法厅: ['司法厅'],
  省财政厅: ['财政厅'],
  省人社厅: ['省人力资源和社会保障厅', '人力资源和社会保障厅', '人社厅'],
  省自然资源厅: ['自然资源厅'],
  省生态环境厅: ['生态环境厅'],
  省住建厅: ['省住房和城乡建设厅', '住房和城乡建设厅', '住建厅'],
  省交通运输厅: ['交通运输厅', '交通厅'],
  省水利厅: ['水利厅'],
  省农业农村厅: ['农业农村厅', '农业厅'],
  省商务厅: ['商务厅'],
  省文旅厅: ['省文化和旅游厅', '文化和旅游厅', '文旅厅'],
  省卫健委: ['省卫生健康委员会', '省卫生健康委', '卫健委'],
  省退役军人事务厅: ['退役军人事务厅'],
  省应急管理厅: ['应急管理厅', '应急厅'],
  省审计厅: ['审计厅'],
  省国资委: ['省人民政府国有资产监督管理委员会', '省政府国资委', '国资委'],
  省市场监管厅: ['省市场监督管理厅', '市场监管厅'],
  省统计局: [],
  省林草局: ['省林业和草原局'],
  省医保局: ['省医疗保障局'],
  省政数局: ['省政务服务和数字化建设管理局'],
  省能源局: [],
  省粮食和储备局: ['省粮食和物资储备局'],
  省体育局: [],
  省广电局: ['省广播电视局'],
  省知识产权局: [],
  省地方金融管理局: ['省地方金融监督管理局', '省金融局'],
  省税务局: [],
  省工商联: ['省工商业联合会', '工商联'],
  省委组织部: [],
  中科院长春分院: ['中国科学院长春分院', '长春分院'],
};

/** Every name → its canonical form, longest names first so 省科学技术厅 wins over 科技厅. */
const LOOKUP: Array<[string, string]> = Object.entries(ALIASES)
  .flatMap(([canon, names]) => [[canon, canon] as [string, string], ...names.map((n) => [n, canon] as [string, string])])
  .sort((a, b) => b[0].length - a[0].length);

/**
 * A province's own name at the start of a department's: 吉林省, 浙江省, 黑龙江省, 内蒙古自治区,
 * 广西壮族自治区 …, and the provincial-level cities' 市 (their departments are the province's).
 */
const PROVINCE = '(?:(?:河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾)省|内蒙古自治区|广西壮族自治区|西藏自治区|宁夏回族自治区|新疆维吾尔自治区|(?:北京|天津|上海|重庆)市)';
const PROVINCE_PREFIX = new RegExp(`^${PROVINCE}`, 'u');
/** A province's name (or 省 alone) right before a department alias. */
const PROVINCE_BEFORE = new RegExp(`(?:${PROVINCE}|(?<![\\u4e00-\\u9fff])省)$`, 'u');

/** The word of a level below the province, just before a name (市, 县, 区, 州, 旗, 盟, 镇, 乡). */
const LOWER_LEVEL = /[市县区州旗盟镇乡]/u;

/** A generic department-shaped name, for departments not in the table (省X厅 / 省X委 / 省X局 / 省X办, with or without the province's name). */
const GENERIC = new RegExp(`(?:${PROVINCE}|省)[\\u4e00-\\u9fff]{1,10}?(?:厅|委员会|委|局|办公室|办)`, 'gu');

/** Characters too common in replies to rule an alias out (the province, the kinds of body). */
const COMMON = new Set([...'吉林省厅局委员会部中共国家办公室']);
/** Per LOOKUP entry, up to three of its other characters (as UTF-16 codes), all present in any text holding it. */
const PROBES: number[][] = LOOKUP.map(([alias]) => {
  const rare = [...new Set(alias)].filter((c) => !COMMON.has(c) && c.length === 1);
  return (rare.length > 0 ? rare : [...alias].filter((c) => c.length === 1)).slice(0, 3).map((c) => c.charCodeAt(0));
});
/** Scratch presence table over UTF-16 codes, reset after each use. */
const PRESENT = new Uint8Array(65536);


/**
 * The canonical short form of a department name: 吉林省科学技术厅 → 省科技厅,
 * 浙江省交通运输厅 → 省交通运输厅, 科技厅 → 省科技厅; an unknown 某某省X becomes 省X;
 * anything else (a city's or county's department, a ministry) is returned trimmed.
 */
export function canonicalDepartment(name: string): string {
  // One name for 交通運輸部 and 交通运输部: a traditional-character page's issuer is the same body.
  const n = foldVariants(name.trim()).replace(/^中共(?=[\u4e00-\u9fff]{2,3}省委)/u, '').replace(/^国家税务总局/u, '').replace(PROVINCE_PREFIX, '省');
  return CANONICAL.get(n) ?? n;
}

/** Every name → its canonical form as a map (the first in {@link LOOKUP} order wins, as a scan of it would give): asked of every fused hit per question. */
const CANONICAL = new Map<string, string>();
for (const [alias, canon] of LOOKUP) if (!CANONICAL.has(alias)) CANONICAL.set(alias, canon);

/** A department mention in a text. */
export interface DepartmentMention {
  /** Canonical short form. */
  department: string;
  /** The words as written. */
  text: string;
  index: number;
}

/**
 * Departments mentioned in `text`, in order of appearance, each once.
 * Known aliases first, then generic 省X厅 shapes; overlapping mentions keep the longest.
 */
export function findDepartments(text: string): DepartmentMention[] {
  // Claimed positions are kept as ranges (a text names few departments), not an array the length of the text.
  const claimed: Array<[number, number]> = [];
  const found: DepartmentMention[] = [];
  const claim = (index: number, written: string, department: string) => {
    const end = index + written.length;
    for (const [from, to] of claimed) if (index < to && from < end) return;
    claimed.push([index, end]);
    found.push({ department, text: written, index });
  };
  // Which characters the text holds, in one pass: an alias with a character the text lacks cannot
  // occur, so most of the table is skipped without searching the text for it (the CorpusIndex runs
  // this on every chunk when a store is opened).
  const present = PRESENT;
  for (let i = 0; i < text.length; i++) present[text.charCodeAt(i)] = 1;
  const candidates = LOOKUP.filter((_, n) => (PROBES[n] as number[]).every((c) => present[c] === 1));
  for (let i = 0; i < text.length; i++) present[text.charCodeAt(i)] = 0;
  for (const [alias, canon] of candidates) {
    let from = 0;
    for (;;) {
      const i = text.indexOf(alias, from);
      if (i < 0) break;
      // 「吉林省商务厅」: the province's name before the alias belongs to the mention (swapping it must replace all of it).
      const head = alias.startsWith('省') ? i + 1 : i;
      const before = PROVINCE_BEFORE.exec(text.slice(Math.max(0, head - 12), head))?.[0] ?? '';
      // 市发改委, 县科技局's 县: a bare alias (发改委) right after a lower level's word is that level's body, not the province's.
      // 国家发展改革委 is the national commission, not the province's either.
      const national = text.slice(Math.max(0, i - 2), i) === '国家';
      if (before.length === 0 && !alias.startsWith('省') && (national || (LOWER_LEVEL.test(text.charAt(i - 1)) && !text.slice(Math.max(0, i - 3), i).endsWith('自治区')))) {
        from = i + alias.length;
        continue;
      }
      const start = before.length > 0 ? head - before.length : i;
      claim(start, text.slice(start, i + alias.length), canon);
      from = i + alias.length;
    }
  }
  for (const m of text.matchAll(GENERIC)) claim(m.index ?? 0, m[0], canonicalDepartment(m[0]));
  found.sort((a, b) => a.index - b.index);
  const seen = new Set<string>();
  return found.filter((m) => (seen.has(m.department) ? false : (seen.add(m.department), true)));
}

/** Every written form of a canonical department (for matching text and swapping names). */
export function departmentNames(canonical: string): string[] {
  return [canonical, ...(ALIASES[canonical] ?? [])];
}

/** True when `text` mentions `department` (any alias). */
export function mentionsDepartment(text: string, department: string): boolean {
  return findDepartments(text).some((m) => m.department === department);
}

/** Canonical departments an actor string names (「省委组织部、省教育厅」 names two); the actor as written, canonicalized, when it names none known. */
export function actorDepartments(actor: string | null): string[] {
  if (!actor) return [];
  const found = findDepartments(actor).map((d) => d.department);
  return found.length > 0 ? found : [canonicalDepartment(actor)];
}

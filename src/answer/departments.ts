/**
 * Department names and their aliases. Replies are signed with full names
 * (吉林省科学技术厅) while their text and users say 省科技厅 or just 科技厅,
 * so every comparison goes through one canonical short form.
 */

/**
 * Canonical short name → other names. The provincial government's
 * departments as replies name them; a department missing here still works
 * through the generic 吉林省X ↔ 省X rule in {@link canonicalDepartment}.
 */
const ALIASES: Record<string, string[]> = {
  省发改委: ['吉林省发展和改革委员会', '省发展和改革委员会', '省发展改革委', '发改委', '发展改革委'],
  省教育厅: ['吉林省教育厅', '教育厅'],
  省科技厅: ['吉林省科学技术厅', '省科学技术厅', '科学技术厅', '科技厅'],
  省工信厅: ['吉林省工业和信息化厅', '省工业和信息化厅', '工业和信息化厅', '工信厅'],
  省民委: ['吉林省民族宗教事务委员会', '省民族宗教事务委员会'],
  省公安厅: ['吉林省公安厅', '公安厅'],
  省民政厅: ['吉林省民政厅', '民政厅'],
  省司法厅: ['吉林省司法厅', '司法厅'],
  省财政厅: ['吉林省财政厅', '财政厅'],
  省人社厅: ['吉林省人力资源和社会保障厅', '省人力资源和社会保障厅', '人力资源和社会保障厅', '人社厅'],
  省自然资源厅: ['吉林省自然资源厅', '自然资源厅'],
  省生态环境厅: ['吉林省生态环境厅', '生态环境厅'],
  省住建厅: ['吉林省住房和城乡建设厅', '省住房和城乡建设厅', '住房和城乡建设厅', '住建厅'],
  省交通运输厅: ['吉林省交通运输厅', '交通运输厅', '交通厅'],
  省水利厅: ['吉林省水利厅', '水利厅'],
  省农业农村厅: ['吉林省农业农村厅', '农业农村厅', '农业厅'],
  省商务厅: ['吉林省商务厅', '商务厅'],
  省文旅厅: ['吉林省文化和旅游厅', '省文化和旅游厅', '文化和旅游厅', '文旅厅'],
  省卫健委: ['吉林省卫生健康委员会', '省卫生健康委员会', '省卫生健康委', '卫健委'],
  省退役军人事务厅: ['吉林省退役军人事务厅', '退役军人事务厅'],
  省应急管理厅: ['吉林省应急管理厅', '应急管理厅', '应急厅'],
  省审计厅: ['吉林省审计厅', '审计厅'],
  省国资委: ['吉林省人民政府国有资产监督管理委员会', '省政府国资委', '国资委'],
  省市场监管厅: ['吉林省市场监督管理厅', '省市场监督管理厅', '市场监管厅'],
  省统计局: ['吉林省统计局'],
  省林草局: ['吉林省林业和草原局', '省林业和草原局'],
  省医保局: ['吉林省医疗保障局', '省医疗保障局'],
  省政数局: ['吉林省政务服务和数字化建设管理局', '省政务服务和数字化建设管理局'],
  省能源局: ['吉林省能源局'],
  省粮食和储备局: ['吉林省粮食和物资储备局', '省粮食和物资储备局'],
  省体育局: ['吉林省体育局'],
  省广电局: ['吉林省广播电视局', '省广播电视局'],
  省知识产权局: ['吉林省知识产权局'],
  省地方金融管理局: ['吉林省地方金融管理局', '吉林省地方金融监督管理局', '省地方金融监督管理局', '省金融局'],
  省税务局: ['国家税务总局吉林省税务局', '吉林省税务局'],
  省工商联: ['吉林省工商业联合会', '省工商业联合会', '工商联'],
  省委组织部: ['中共吉林省委组织部', '吉林省委组织部'],
  中科院长春分院: ['中国科学院长春分院', '长春分院'],
};

/** Every name → its canonical form, longest names first so 省科学技术厅 wins over 科技厅. */
const LOOKUP: Array<[string, string]> = Object.entries(ALIASES)
  .flatMap(([canon, names]) => [[canon, canon] as [string, string], ...names.map((n) => [n, canon] as [string, string])])
  .sort((a, b) => b[0].length - a[0].length);

/** Characters too common in replies to rule an alias out (the province, the kinds of body). */
const COMMON = new Set([...'吉林省厅局委员会部中共国家办公室']);
/** Per LOOKUP entry, up to three of its other characters (as UTF-16 codes), all present in any text holding it. */
const PROBES: number[][] = LOOKUP.map(([alias]) => {
  const rare = [...new Set(alias)].filter((c) => !COMMON.has(c) && c.length === 1);
  return (rare.length > 0 ? rare : [...alias].filter((c) => c.length === 1)).slice(0, 3).map((c) => c.charCodeAt(0));
});
/** Scratch presence table over UTF-16 codes, reset after each use. */
const PRESENT = new Uint8Array(65536);

/** A generic department-shaped name, for departments not in the table (省X厅 / 省X委 / 省X局 / 省X办). */
const GENERIC = /(?:吉林)?省[\u4e00-\u9fff]{1,10}?(?:厅|委员会|委|局|办公室|办)/gu;

/**
 * The canonical short form of a department name: 吉林省科学技术厅 → 省科技厅,
 * 科技厅 → 省科技厅; an unknown 吉林省X becomes 省X; anything else is returned trimmed.
 */
export function canonicalDepartment(name: string): string {
  const n = name.trim();
  return CANONICAL.get(n) ?? n.replace(/^吉林省/, '省');
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
      claim(i, alias, canon);
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

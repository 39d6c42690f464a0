/**
 * The short forms people use for a body's function, at any level: 卫健局 for 卫生健康局, 住建委 for
 * 住房和城乡建设委员会, 教体局 for 教育体育局, 文旅局 for 文化和旅游局. A county's reply is signed
 * 石林彝族自治县卫生健康局 while staff ask about 石林卫健局; the provincial alias table
 * (departments.ts) covers only a province's own departments, so these function words are matched
 * when a question is compared with a reply's record (its issuer, title): the record carries the short
 * forms of the full names it holds. (Not in passage scoring: see scoring-text.ts recordContext.)
 */

/** A function's short form and the full forms replies sign with. */
const FUNCTIONS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['卫健', ['卫生健康', '卫生和健康']],
  ['住建', ['住房和城乡建设', '住房城乡建设']],
  ['人社', ['人力资源和社会保障', '人力资源社会保障']],
  ['文旅', ['文化和旅游', '文化旅游', '文化广电和旅游', '文化广电旅游', '文化广电体育和旅游', '文化体育和旅游']],
  ['发改', ['发展和改革', '发展改革']],
  ['教体', ['教育体育', '教育和体育']],
  ['科技', ['科学技术']],
  ['工信', ['工业和信息化', '工业信息化']],
  ['市监', ['市场监督管理', '市场监管']],
  ['医保', ['医疗保障']],
  ['林草', ['林业和草原', '林业草原']],
  ['城管', ['城市管理', '城市管理和综合执法', '城市管理综合执法']],
  ['交通', ['交通运输']],
  ['民宗', ['民族宗教', '民族和宗教']],
  ['应急', ['应急管理']],
  ['退役军人', ['退役军人事务']],
  ['自然资源', ['自然资源和规划']],
  ['农业', ['农业农村']],
  ['环保', ['生态环境']],
];

/** What ends a body's name after its function. */
const SUFFIX = '局|委员会|委|厅|办公室|办|部|中心';

const FULL = new RegExp(`(${FUNCTIONS.flatMap(([, full]) => full).sort((a, b) => b.length - a.length).join('|')})(${SUFFIX})`, 'gu');
const SHORT_OF = new Map(FUNCTIONS.flatMap(([short, full]) => full.map((f) => [f, short] as const)));

/** 委员会 and 办公室 are written 委 and 办 in short names. */
const shortSuffix = (suffix: string) => (suffix === '委员会' ? '委' : suffix === '办公室' ? '办' : suffix);

/** The short names of the full body names in `text`: 「石林彝族自治县卫生健康局」 → 卫健局. */
export function shortBodyNames(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(FULL)) {
    const short = SHORT_OF.get(m[1] as string);
    if (short) out.add(`${short}${shortSuffix(m[2] as string)}`);
  }
  return [...out];
}

/**
 * What a question asks for — its answer slot: an amount of money, a length,
 * a year, a month, a day, a time, a count, a share — and whether a sentence
 * states a value of that kind. Part of question understanding.
 *
 * Why: most plausible questions the replies cannot answer are about a topic
 * the replies *do* discuss, asking for a detail they do not give
 * (「…安排了多少建设资金？」 of a reply that only says 「积极争取资金支持」;
 * 「预计哪一年开通？」 of one that says 「正在积极对接」). Term relevance
 * cannot tell those apart from answerable ones — the topic words match
 * either way — but the slot can: an answer must state a value of the kind
 * asked. The same test steers sentence choice toward the sentence that
 * holds the value.
 *
 * One table, each slot with the questions it must catch and those it must
 * leave alone (test/answer/slots.test.ts runs them), so a new phrasing joins
 * its family here instead of becoming a special case in a composer.
 */

export type Slot = 'money' | 'length' | 'interval' | 'share' | 'year' | 'month' | 'day' | 'time' | 'headcount' | 'count';

/** A figure: Arabic digits, or Chinese numerals. */
const NUM = String.raw`(?:\d[\d.,，]*|[零〇一二三四五六七八九十百千万两几]+)`;
/** Dates, so a count question is not answered by a sentence whose only figures are its dates. */
const DATES = /(?:\d{2,4}|[今明去前后本当]|[〇一二三四五六七八九十]{2,4})\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)?|\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?|\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?|第?[一二三四五六七八九十]+(?:届|次会议)|(?:十[一二三四五]|[一二三四五六七八九十])五(?:期间|规划|时期)?/gu;

interface SlotRule {
  slot: Slot;
  /** Whether the question asks for this slot (tested on the normalized question). */
  asks: RegExp;
  /** Whether a sentence states a value of this kind. */
  states: (sentence: string) => boolean;
  /** What is missing, in the abstain message: 「没有写明{label}」. */
  label: string;
  examples: string[];
  counterExamples: string[];
}

const test = (re: RegExp) => (s: string) => re.test(s);

/**
 * Most specific first: a question asking 多少钱 is a money question, not a
 * count question; the first matching rule of each family wins, and a
 * question can ask for several (「投了多少钱、哪年上线的？」).
 */
export const SLOTS: SlotRule[] = [
  {
    slot: 'money',
    asks: /多少[^，。？?、]{0,4}?(?:钱|资金|经费|费用|补助|补贴|投资|奖励|奖补|资助)|(?:资金|经费|费用|补助|补贴|投资|投入|奖补|票价|造价|预算|款)(?:[^，。？?]{0,6})(?:是)?多少|投了多少|花(?:了)?多少|要花多少|多少万|多少亿|金额|总投资|投资额|票价/u,
    states: test(new RegExp(String.raw`${NUM}\s*(?:万|亿|千)?\s*(?:元|块)|\d[\d.,]*\s*[万亿](?=\s*(?:资金|投资|经费|用于|的|[，。；、,;）)]|$))|免费`, 'u')),
    label: '金额',
    examples: ['赣州市交通运输局给凤岗镇高速互通口项目安排了多少建设资金？', '新庄组至泗水沟这条路修通大概要花多少钱？', '钱粮湖镇新开的公交线路票价多少钱？', '茂名至吴川高速公路总投资估算是多少亿元？', '柳河县人参全产业链数字化管理平台投了多少钱、哪年上线的？'],
    counterExamples: ['2021年省里给我们市定的公共停车位任务是多少？', '九年一贯制学校最多能办多大规模？'],
  },
  {
    slot: 'length',
    asks: /多长(?!时间)|多少(?:公里|千米|米)|几公里|长度|里程(?:是)?多少|多宽|宽度/u,
    states: test(new RegExp(String.raw`${NUM}\s*(?:公里|千米|km|KM|米|m\b)`, 'u')),
    label: '长度',
    examples: ['雪山村到雪山瀑布那段路多长，啥时候修完？', '今年准备拓宽多长？剩下几公里怎么说？'],
    counterExamples: ['多长时间能修好？'],
  },
  {
    slot: 'interval',
    asks: /多少分钟|几分钟|多少小时|几个小时|多久一班|发车间隔|间隔(?:是)?多少|多少天|几天/u,
    states: test(new RegExp(String.raw`${NUM}\s*(?:分钟|小时|天|个工作日|日内)`, 'u')),
    label: '时长',
    examples: ['K901公交车调整后高峰期发车间隔是多少分钟？'],
    counterExamples: ['哪天答复的？'],
  },
  {
    slot: 'share',
    asks: /比例(?:是)?多少|百分之几|占比|多少成|比重|百分比|增长(?:了)?多少/u,
    states: test(new RegExp(String.raw`${NUM}\s*(?:%|％|个百分点|成)|百分之${NUM}`, 'u')),
    label: '比例',
    examples: ['补助比例是多少？', '覆盖率增长了多少？'],
    counterExamples: ['一共几种农产品？'],
  },
  {
    slot: 'day',
    asks: /哪(?:一)?天|(?<!第)几号|哪日|几月几[日号]|具体日期|什么日子/u,
    states: test(/\d{1,2}\s*[日号](?!报)|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|[一二三四五六七八九十]+日/u),
    label: '具体日期',
    examples: ['藏巴哇X411线矿山修复工程具体哪天竣工验收？', '龙陵文旅局是哪天跟杨世国代表面商的？'],
    counterExamples: ['哪一年开通？', '什么时候开工？'],
  },
  {
    slot: 'month',
    asks: /哪(?:一)?个月|几月(?!几[日号])|几月份|哪个季度|几季度/u,
    states: test(/\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|月[底初中]|月份|季度|年[底末初中]|[上下]半年|旬/u),
    label: '月份',
    examples: ['健康社区的二期改造预计哪个月完工？', '园区大道广场的休闲座椅和公厕说几月份能用上？'],
    counterExamples: ['哪一年开通？'],
  },
  {
    slot: 'year',
    asks: /哪(?:一)?年(?!级)|何年|几几年|什么年份|哪个年份/u,
    // 「十四五期间」 is a five-year span, not the year asked for.
    states: test(/(?:\d{2,4}|[今明后本当])\s*年|年[内底末初中]|[上下]半年/u),
    label: '年份',
    examples: ['天全服务区两岸互通预计哪一年正式开通？', '万源到城口的高速，达州交通局说争取哪年开工？'],
    counterExamples: ['哪个月完工？', '五年规划里怎么说？'],
    // statesSlot('year', '列入“十三五”公路升级改造专项规划') is false: see the test.
  },
  {
    slot: 'time',
    asks: /什么时候|什么时间|何时|啥时候|啥时|多久|多长时间|几时|时间(?:表|节点)|哪段时间|进度安排/u,
    states: test(/(?:\d{2,4}|[今明后本当去前])\s*年|年[内底末初中]|[上下]半年|\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|月[底初中]|月份|季度|\d{1,2}\s*[日号]|旬|近期|即将|[届之]前|以前|之后|[成完束过毕]后|待.{1,20}后|同步|第一时间|[一二三四五六七八九十两\d]+(?:个)?(?:月|年|天|周)(?:内|后|左右)|十[一二三四五]五(?:期间|时期|末)?/u),
    label: '时间',
    examples: ['古丈县默戎镇高速公路简易出入口预计什么时候建成通车？', '凤岗镇那个高速互通口啥时候能开工？', '黄泥桥的公共厕所什么时候能建好？'],
    counterExamples: ['哪一年开通？', '下一步打算怎么办？'],
  },
  {
    slot: 'headcount',
    // 「几位代表」「多少位委员联名」「几家一起办」: a list of the names answers it as well as a figure.
    asks: /(?:多少|(?<![哪第])几)\s*(?:位|名|家|个(?:部门|单位|厅局?|局))/u,
    states: (s) => FIGURE.test(s.replace(DATES, '')) || /[\u4e00-\u9fff]{2,}、[\u4e00-\u9fff]{2,}/u.test(s),
    label: '具体人数或单位',
    examples: ['197号建议是几位代表一起提的？', '苍溪第40号提案是多少位委员联名提的？', '是交通厅一家办的还是几家一起办的？'],
    counterExamples: ['是哪几位代表提的？', '会办单位是哪几家？'],
  },
  {
    slot: 'count',
    // Any other 「多少」「几个」: a figure other than a date answers it. 「哪几」「第几」 ask which, not how many.
    // 「电话多少」「文号多少」 ask for digits too: a sentence with a figure other than a date answers them.
    asks: /多少|(?<![哪第])几\s*(?:个|项|种|条|所|批|次|户|座|辆|台|处|套|类|件|期|级|道|班|趟|路|间|张|支|只|头|亩|平方米?|吨|公顷|万|千|百|十)|多大规模|规模多大/u,
    states: (s) => FIGURE.test(s.replace(DATES, '')),
    label: '具体数字',
    examples: ['这轮重要农产品保障战略重点保障的一共几种农产品？', '2021年省里给我们市定的公共停车位任务是多少？最后建成了多少？', '省卫健委答应给各地疾控中心增加多少编制？'],
    counterExamples: ['下一步打算怎么办？', '什么时候开工？', '4711号建议是和哪几个部门商量后答复的？', '解放西街健康社区排进了老旧小区改造第几期？'],
  },
];

/** A figure once dates are taken out. */
const FIGURE = /\d|[一二两三四五六七八九十百千万亿]+(?:个|项|家|名|位|条|公里|亿|万|元|次|座|所|批|类|种|人|户|级|车道|批次|处)/u;

/** The slots a question asks for, at most one per family (the first, most specific rule that matches), in table order. */
export function slotsOf(question: string): Slot[] {
  const asked: Slot[] = [];
  for (const rule of SLOTS) {
    if (!rule.asks.test(question)) continue;
    // A specific time (day/month/year) makes the generic 「什么时候」 redundant; money or length makes a bare 「多少」 so.
    if (rule.slot === 'time' && asked.some((s) => s === 'day' || s === 'month' || s === 'year')) continue;
    if (rule.slot === 'count' && asked.some((s) => s === 'money' || s === 'length' || s === 'interval' || s === 'share' || s === 'headcount')) continue;
    if (rule.slot === 'month' && asked.includes('day')) continue;
    if (rule.slot === 'year' && (asked.includes('day') || asked.includes('month'))) continue;
    asked.push(rule.slot);
  }
  return asked;
}

const BY_SLOT = new Map(SLOTS.map((r) => [r.slot, r]));

/** True when `sentence` states a value of the kind `slot` asks for. */
export function statesSlot(slot: Slot, sentence: string): boolean {
  return BY_SLOT.get(slot)?.states(sentence) ?? false;
}

/** True when `sentence` states every slot asked (a sentence answering none of them does not answer the question). */
export function statesAll(slots: readonly Slot[], sentence: string): boolean {
  return slots.every((s) => statesSlot(s, sentence));
}

/** The words for what is missing: 「金额和年份」. */
export function slotLabel(slots: readonly Slot[]): string {
  return slots.map((s) => BY_SLOT.get(s)?.label ?? s).join('和');
}

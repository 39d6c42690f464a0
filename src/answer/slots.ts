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

import { foldVariants } from '../domain/fold.ts';
import { taggedWords } from './text.ts';
import { looksLikeName } from '../domain/people.ts';

export type Slot = 'money' | 'length' | 'interval' | 'share' | 'year' | 'month' | 'day' | 'time' | 'funder' | 'funding' | 'route' | 'site' | 'person' | 'phone' | 'town' | 'school' | 'company' | 'headcount' | 'count';

/** A figure: Arabic digits, or Chinese numerals. */
const NUM = String.raw`(?:\d[\d.,，]*|[零〇一二三四五六七八九十百千万两几]+)`;
/** Dates, so a count question is not answered by a sentence whose only figures are its dates. */
const DATES = /(?:\d{2,4}|[今明去前后本当]|[〇一二三四五六七八九十]{2,4})\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)?|\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?|\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?|第?[一二三四五六七八九十]+(?:届|次会议)|(?:十[一二三四五]|[一二三四五六七八九十])五(?:期间|规划|时期)?/gu;

interface SlotRule {
  slot: Slot;
  /** Whether the question asks for this slot (tested on the normalized question). */
  asks: RegExp;
  /** Whether a sentence states a value of this kind; `asked` is the question (a name it gives is not the answer). */
  states: (sentence: string, asked: string) => boolean;
  /** What is missing, in the abstain message: 「没有写明{label}」. */
  label: string;
  examples: string[];
  counterExamples: string[];
}

const test = (re: RegExp) => (s: string) => re.test(s);

/**
 * Whether a sentence names one instance (白塔镇, 西亚斯大学, 广州市市政集团有限公司): a run of
 * characters ending in `suffix` that is not a generic word (乡镇, 各高校, 相关企业 end the same way).
 */
function names(suffix: string, generic: RegExp): (sentence: string, asked: string) => boolean {
  const re = new RegExp(`[\\u4e00-\\u9fff]{2,12}?(?:${suffix})`, 'gu');
  // Folded: a traditional page's 集團 and 鎮 are the same words. A name the question gives is not the answer to it.
  return (sentence, asked) => [...foldVariants(sentence).matchAll(re)].some((m) => !generic.test(m[0]) && !(asked && foldVariants(asked).includes(m[0])));
}
/**
 * Parts of speech of the word before a kind that describe it rather than name it: 旅游景区, 示范村, 新建学校,
 * 相关企业, 这些村, 6个产业园 (verbs, adjectives, pronouns, numerals and measure words, function words).
 */
const DESCRIBING_TAGS = new Set(['v', 'vn', 'vd', 'vi', 'vq', 'a', 'ad', 'an', 'ag', 'd', 'r', 'rr', 'rz', 'm', 'mq', 'q', 'p', 'c', 'u', 'uj', 'ul', 'uz', 'f', 't', 'y', 'e', 'o']);
/** Words before a kind that make it generic whatever jieba reads them as. */
const GENERIC_WORD = /^(?:各|各类|相关|有关|重点|骨干|龙头|一批|多家|部分|这些|该|本|全|所在|周边|沿线|省内|市内|县内|外地|本地|辖区|优质|知名|贫困|特色|美丽|中心|示范|试点|农村|乡村|城市|城镇|传统|历史|文化|旅游|国家|省级|市级|县级|国家级|省级|星级|[A-Z]+级|等)$/u;

/**
 * Whether a sentence names an instance of a kind (`kinds`: 景区|村|社区 …) the question does not already give:
 * 「雪山村」「龙潭景区」「鼎城区、汉寿县等产业园」 do; 「旅游景区」「示范村」「6个产业园」 do not, nor does
 * 「鼎城区等6个产业园」 asked 「除了鼎城区还有哪几个」.
 */
function namesInstance(groups: readonly string[]): (sentence: string, asked: string) => boolean {
  const all = new RegExp(groups.join('|'), 'u');
  // Given by the question when it names it, or its last part (常德市鼎城区 of 「除了鼎城区」).
  const given = (name: string, asked: string) => {
    const chars = Array.from(name);
    const q = foldVariants(asked);
    for (let k = Math.min(2, chars.length); k <= chars.length; k++) if (q.includes(chars.slice(-k).join(''))) return chars.length > 0;
    return false;
  };
  return (text, asked) => {
    // The kind the question asks about (「哪几个村」: a village; a town named is no answer), with its near kinds.
    const word = all.exec(asked)?.[0];
    const group = word ? groups.find((g) => new RegExp(`^(?:${g})$`, 'u').test(word)) : undefined;
    const kind = new RegExp(group ?? groups.join('|'), 'gu');
    const sentence = foldVariants(text);
    for (const m of sentence.matchAll(kind)) {
      const before = /[\u4e00-\u9fffA-Za-z0-9·—-]{1,12}$/u.exec(sentence.slice(0, m.index))?.[0];
      if (!before) continue;
      // 「鼎城区、汉寿县等6个产业园」: the names listed before 等.
      const list = /((?:[\u4e00-\u9fff]{2,10}、)*[\u4e00-\u9fff]{2,10})等[\d一二三四五六七八九十两几]*[个家所处座]?$/u.exec(before);
      if (list?.[1]) {
        if (list[1].split('、').some((n) => !given(n.replace(/^.*?(?:的|在|了|和|与)/u, ''), asked))) return true;
        continue;
      }
      const words = taggedWords(before);
      const last = words[words.length - 1];
      if (!last || Array.from(last.word).length < 2 || DESCRIBING_TAGS.has(last.tag) || GENERIC_WORD.test(last.word)) continue;
      if (given(last.word, asked)) continue;
      return true;
    }
    return false;
  };
}

/** Kinds of place a question asks to name, each with its near kinds (a 景点 answers 「哪些景区」). */
const SITE_KINDS = ['景区|景点', '村(?![民干委组长庄落])|社区|小区', '园区|产业园|基地', '合作社', '医院|卫生院|卫生室', '幼儿园|学校|小学|中学', '场馆|站点'];
const SITE_KIND = SITE_KINDS.join('|');

/** Words that make any body generic: 各, 相关, 有关, 重点, 一批 … before its kind. */
const GENERIC_OF = '(?:各|各类|相关|有关|重点|骨干|龙头|一批|多家|部分|这些|该|本|全|所在|周边|沿线|省内|市内|县内|外地|本地|辖区|优质|知名)';

/**
 * Most specific first: a question asking 多少钱 is a money question, not a
 * count question; the first matching rule of each family wins, and a
 * question can ask for several (「投了多少钱、哪年上线的？」).
 */
export const SLOTS: SlotRule[] = [
  {
    slot: 'money',
    asks: /多少[^，。？?、]{0,4}?(?:钱|资金|经费|费用?|补助|补贴|投资|奖励|奖补|资助)|(?:资金|经费|费用|补助|补贴|投资|投入|奖补|票价|造价|预算|款)(?:[^，。？?]{0,6})(?:是)?多少|投了多少|花(?:了)?多少|要花多少|多少万|多少亿|金额|总投资|投资额|票价/u,
    states: test(new RegExp(String.raw`${NUM}\s*(?:万|亿|千)?\s*(?:元|块)|\d[\d.,]*\s*[万亿](?=\s*(?:资金|投资|经费|用于|的|[，。；、,;）)]|$))|免费`, 'u')),
    label: '金额',
    examples: ['给绵阳市水利规划设计研究院付了多少设计费', '赣州市交通运输局给凤岗镇高速互通口项目安排了多少建设资金？', '新庄组至泗水沟这条路修通大概要花多少钱？', '钱粮湖镇新开的公交线路票价多少钱？', '茂名至吴川高速公路总投资估算是多少亿元？', '柳河县人参全产业链数字化管理平台投了多少钱、哪年上线的？'],
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
    asks: /哪(?:一)?天|(?<![第字文案议编])几号|哪日|几月几[日号]|具体日期|什么日子/u,
    states: test(/(?<![\d〕\]）)第])\d{1,2}\s*(?:日|号(?!报|[建提议案文令件]))|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|[一二三四五六七八九十]+日/u),
    label: '具体日期',
    examples: ['藏巴哇X411线矿山修复工程具体哪天竣工验收？', '龙陵文旅局是哪天跟杨世国代表面商的？'],
    counterExamples: ['哪一年开通？', '什么时候开工？', '沙河交通局回老邢峰线那份，领导签发是谁？建议字几号？'],
  },
  {
    slot: 'month',
    asks: /哪(?:一)?个月|几月(?!几[日号])|几月份|哪个季度|几季度/u,
    // 「下半年」 and 「年底」 are not the month asked for (「哪个月能完工」 of 「预计2022年下半年完工」 is not stated).
    states: test(/\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|月[底初中]|月份|季度|旬/u),
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
    // A time on the calendar or a span (三个月内), not one relative to an event or vague: 「待该项目批准后实施」
    // 「适时启动」「近期」「同步推进」「已纳入“十四五”规划」 do not say when (「十四五期间」 does: a period).
    states: test(/(?:\d{2,4}|[今明后本当去前])\s*年|年[内底末初中]|[上下]半年|\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|月[底初中]|月份|季度|(?<![\d〕\]）)第])\d{1,2}\s*(?:日|号(?![建提议案文令件]))|旬|[一二三四五六七八九十两\d]+(?:个)?(?:月|年|天|周)(?:内|后|左右)|十[一二三四五]五[”"]?(?:期间|时期|末|内)/u),
    label: '时间',
    examples: ['古丈县默戎镇高速公路简易出入口预计什么时候建成通车？', '凤岗镇那个高速互通口啥时候能开工？', '黄泥桥的公共厕所什么时候能建好？'],
    counterExamples: ['哪一年开通？', '下一步打算怎么办？'],
  },
  {
    slot: 'funder',
    // 「钱由谁出」「资金从哪来」: only a sentence about the money (资金, 出资, 承担, 补助 …) says who pays; the body that acts is not the answer.
    asks: /(?:钱|资金|经费|费用|款)(?:由|从|靠)?(?:谁|哪里|哪儿|哪个部门|哪家|哪)(?:来)?(?:出|来|承担|负责|筹|解决|支付)|谁(?:来)?(?:出钱|掏钱|出资)|资金来源|经费来源|谁买单/u,
    states: test(/资金|经费|出资|承担|筹集|筹措|补助|补贴|投资|拨付|列支|财政|费用|自筹|配套/u),
    label: '资金由谁承担',
    examples: ['沙河老邢峰线白塔段改造的钱由谁出？', '这条路的资金从哪来？', '改造经费由谁承担？'],
    counterExamples: ['省里给了多少钱？', '钱到位了没有？'],
  },
  {
    slot: 'funding',
    // 「给了哪些专项资金支持」「能去申请啥钱」: the answer names money (a fund, a subsidy, an amount); a sentence
    // about other measures (下发通知, 开展测评) shares the topic but does not answer.
    asks: /(?:哪些|哪(?:几)?(?:项|笔|类|种)|什么|啥)(?:[^，。？?]{0,4})(?:资金|经费|补助|补贴|奖补|奖励|专项|钱)|申请(?:啥|什么|哪些)钱/u,
    states: test(/资金|经费|补助|补贴|奖补|奖励|拨付|列支|财政|基金|专项|元/u),
    label: '资金支持',
    examples: ['博乐创文明城市那个提案，州里答应给哪些专项资金支持？', '台江改建小学初中的话，能去申请啥钱？', '对合作社有什么补贴？'],
    counterExamples: ['钱由谁出？', '安排了多少资金？', '下一步有什么措施？'],
  },
  {
    slot: 'route',
    // 「新开哪几路车」「调整了哪些公交线路」: the answer names the lines (15路、K3路、旅游专线); 「优化线路」 does not.
    asks: /哪(?:几|些|一)?(?:路|条)?(?:公交|班车|线路)|哪(?:几|一)?路(?![段口面基况灯网桥政边旁])|(?:公交|线路|班车)(?:是|有)?哪(?:几|些)(?:路|条)?|(?<![第多])几路(?:车|公交)/u,
    states: test(/(?<![A-Za-z])[A-Za-z]?\d{1,3}\s*路(?![段口面基况灯网桥政边旁])|[A-Za-z]\d{1,3}\s*线|专线|[\u4e00-\u9fff]{2,6}线(?:公交|班车)/u),
    label: '具体线路',
    examples: ['银川福通ABC区出行难那个建议，公交公司要新开哪几路车？', '调整了哪些公交线路？', '开通的是哪条公交？', '凤鸣水岸通公交以后开的是几路车'],
    counterExamples: ['这条路哪年修？', '这条路由谁来修？', '哪条路要拓宽？'],
  },
  {
    slot: 'site',
    // 「涉及哪些景区」「装在哪几个村」「除了鼎城区还有哪几个产业园」: the answer names the places, other than any the question gives.
    // 「…产业园，除了鼎城区还有哪几个？」 asks for the kind named earlier.
    // 「最后定名叫什么社区」 asks for its name.
    asks: new RegExp(`哪(?:些|几|一)?(?:个|家|所|处|座|几个)?(?:${SITE_KIND})|(?:${SITE_KIND})[，,][^？?。]{0,16}哪(?:些|几个|几家|几处|几所)(?:[？?]|$)|叫(?:什么|啥)(?:${SITE_KIND})`, 'u'),
    states: namesInstance(SITE_KINDS),
    label: '具体地点',
    examples: ['专项整治摸排出来的问题，具体涉及哪些景区？', '那30盏路灯具体装在哪几个村？', '洞庭湖区那6个国家现代农业产业园，除了鼎城区还有哪几个？', '石楼镇北片新成立的社区最后定名叫什么社区？'],
    counterExamples: ['村民反映的问题解决了吗？', '哪个部门负责？', '这个村的路什么时候修？', '洋浦至光村段的建议，会办单位是哪几家？'],
  },
  {
    slot: 'person',
    // 「组长是谁」「负责人叫什么」「谁具体负责」: a person is the answer; 「成立专门小组,明确其职责」 names nobody.
    asks: /(?:组长|副组长|负责人|牵头人|责任人|联络员|局长|副局长|主任|书记|镇长|乡长|县长|站长|所长|校长|院长|经理|主席)(?:是(?:谁|哪位)|叫(?:什么(?:名字)?|啥))|谁(?:具体)?负责(?:办理|落实)?(?:的)?[？?]?$|谁具体负责|(?:是)?哪位(?:同志|领导)/u,
    // A post answers it as well as a name: 「成立由局长、老龄办主任任组长的工作组」.
    states: (sentence, asked) =>
      taggedWords(foldVariants(sentence)).some((w) => (w.tag === 'nr' || w.tag === 'x' || w.tag === 'nrfg') && looksLikeName(w.word) && !foldVariants(asked).includes(w.word)) ||
      /[\u4e00-\u9fff]{1,3}同志|(?:局长|主任|书记|县长|镇长|乡长|区长|市长|厅长|部长|处长|科长|站长|所长|校长|院长|主席|主要领导|分管领导|负责同志)(?:[、和及]|任|担任|为|兼)/u.test(foldVariants(sentence)),
    label: '具体人员',
    examples: ['鲁桥镇说要成立道路亮化管理维护小组，组长是谁？', '镇康那条产业道路建议，局里是谁牵头、谁具体负责的？', '这个项目负责人叫什么？'],
    counterExamples: ['哪个部门负责？', '联系人是谁？', '谁提的建议？'],
  },
  {
    slot: 'phone',
    // 「联系人和电话是什么」「电话多少」: a telephone number answers it, nothing else (a sentence about the topic does not).
    // Not 「电话沟通」: asked for the number itself.
    asks: /电话(?:号码)?(?:是|为)?(?:多少|什么|啥|几号)|联系电话|联系方式|手机号|座机号?|电话呢/u,
    states: test(/(?<!\d)(?:\d{3,4}\s*[-—－]\s*)?\d{7,8}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)/u),
    label: '联系电话',
    examples: ['湖北卫健委这份答复的联系人和电话是什么?', '留的电话是多少？'],
    counterExamples: ['联系人是谁？', '这条路什么时候修？', '花城街道哪天跟代表电话沟通的？'],
  },
  {
    slot: 'town',
    // 「哪个镇」 asks for the one town: a sentence naming none (only 乡镇, 城镇, 沿线乡镇) does not answer it.
    asks: /哪(?:一)?个(?:镇|乡|街道)(?![村长])|(?:镇|乡|街道)是哪(?:一)?个/u,
    states: names('镇(?![村])|乡(?![村镇土亲愁贤情间下])|街道(?!办)', new RegExp(`(?:${GENERIC_OF}|城|乡|村|集|小|建制|特色|中心|示范|美丽|城关|一个|各)(?:镇|乡|街道)$`, 'u')),
    label: '具体乡镇',
    examples: ['汕尾机场选址初步定在哪个镇？', '社区活动中心打算建在哪个街道？'],
    counterExamples: ['镇里指定谁负责办理？', '乡村振兴下一步怎么做？'],
  },
  {
    slot: 'school',
    asks: /哪(?:一)?[所个家](?:高校|大学|学院|院校)|(?:高校|大学|院校)是哪(?:一)?[所个家]/u,
    states: names('大学|学院', new RegExp(`(?:${GENERIC_OF}|高等|本科|职业|普通)(?:大学|学院)$`, 'u')),
    label: '具体高校',
    examples: ['茶叶与中医康养队列研究，由哪所高校牵头做？'],
    counterExamples: ['高校毕业生有什么政策？'],
  },
  {
    slot: 'company',
    // 「哪家企业」「施工单位是哪家」「跟哪家合作」: a named firm (…公司, …集团, …厂) answers it; 「相关企业」 does not.
    asks: /哪(?:一)?家(?!医院|银行|高校|大学|学院)|哪(?:一)?个(?:企业|公司|厂)|(?:企业|公司|厂家|施工单位|业主单位|建设单位|设计单位|监理单位)是哪(?:一)?[家个]/u,
    states: names('公司|集团|厂(?![区房])', new RegExp(`(?:${GENERIC_OF}|国有|民营|中小|规上|规模以上|龙头|企业|子|分|母|工)(?:公司|集团|厂)$`, 'u')),
    label: '具体企业',
    examples: ['山东能源局有没有点名临邑县哪家企业可以进氢能示范？', '宫花路口到宫花村那段路拓宽，施工单位是哪家？', '柳河县林下参检测是跟哪家合作的？'],
    counterExamples: ['5041号建议的协办意见是发给哪个单位的？', 'D27号提案是哪个单位答复的？', '会办单位是哪几家？'],
  },
  {
    slot: 'headcount',
    // 「几位代表」「多少位委员联名」「几家一起办」: a list of the names answers it as well as a figure.
    asks: /(?:多少|(?<![哪第])几)\s*(?:位|名|家|个(?:部门|单位|厅局?|局))/u,
    states: (s) => FIGURE.test(withoutDatesAndNumbers(s)) || /[\u4e00-\u9fff]{2,}、[\u4e00-\u9fff]{2,}/u.test(s),
    label: '具体人数或单位',
    examples: ['197号建议是几位代表一起提的？', '苍溪第40号提案是多少位委员联名提的？', '是交通厅一家办的还是几家一起办的？'],
    counterExamples: ['是哪几位代表提的？', '会办单位是哪几家？'],
  },
  {
    slot: 'count',
    // Any other 「多少」「几个」: a figure other than a date answers it. 「哪几」「第几」 ask which, not how many.
    // 「电话多少」「文号多少」 ask for digits too: a sentence with a figure other than a date answers them.
    asks: /多少|(?<![哪第那这])几\s*(?:个|项|种|条|所|批|次|户|座|辆|台|处|套|类|件|期|级|道|班|趟|路|间|张|支|只|头|亩|平方米?|吨|公顷|万|千|百|十)|多大规模|规模多大/u,
    states: (s) => FIGURE.test(withoutDatesAndNumbers(s)),
    label: '具体数字',
    examples: ['这轮重要农产品保障战略重点保障的一共几种农产品？', '2021年省里给我们市定的公共停车位任务是多少？最后建成了多少？', '省卫健委答应给各地疾控中心增加多少编制？'],
    counterExamples: ['下一步打算怎么办？', '什么时候开工？', '4711号建议是和哪几个部门商量后答复的？', '解放西街健康社区排进了老旧小区改造第几期？'],
  },
];

/** A document's or a proposal's number (第105号, 〔2025〕6号, 5004号建议), a route or a code (“101”, 15路, G235): no count of anything. */
const DOCUMENT_NUMBERS = /第?[\dA-Za-z]+号(?:建议|提案|议案|代表建议|文)?|〔\d{4}〕\s*\d+\s*号|[\[【(（]\d{4}[\]】)）]\s*\d+\s*号|“[A-Za-z]?\d+[A-Za-z]?”|[A-Za-z]?\d+\s*路(?![段口面程])|[A-Z]\d+/gu;

/** The sentence without its dates and document numbers, for telling whether it states a count. */
function withoutDatesAndNumbers(s: string): string {
  return s.replace(DATES, '').replace(DOCUMENT_NUMBERS, '');
}

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

/**
 * When the value asked for lies ahead: 「预计什么时候建成」「还要再新建多少个」「下一步打算投入多少」
 * 「改造后要加宽到多少米」. A reply that states only what was done (「永吉高速于2017年建成通车」,
 * 「累计投入16869万元」, 「路基宽6.5米」) has the topic and a value of the kind, but not the one asked:
 * the sentence's value must stand in a clause that speaks of the future (预计/计划/将/力争/争取…).
 * Examples and counter-examples are tests, like the slots'.
 */
export const PROSPECTIVE = {
  asks: /预计|打算|(?<!投资|建设|年度|项目|工作|实施|发展|专项|申报|招生|采购|补助|资金|改造)计划|准备|将要|还要|还会|要再|再新建|再建|下一步|下步|今后|以后|将来|未来|接下来|后续|争取|力争|能不能|(?:什么时候|啥时候|何时|哪年|几月)能|能在|会在|[造建宽修]后要|要加宽|要拓宽|(?<![已拟])拟/u,
  /** A clause speaking of what is to come. 「已将…列入」 is done, not planned: 将 after 已/已经 does not count. */
  states: /(?<!已经?|每年)将|计划|预计|拟|力争|争取|确保|着力|需要|[前底]完成|年[内底]|下一步|下步|今后|待.{1,20}后|(?:建成|完成|竣工|实施|投用|投入使用)后|即可|可望|正在|即将|近期|有望|目标|规划|启动|打算|准备|力求/u,
  examples: ['古丈县默戎镇高速公路简易出入口预计什么时候建成通车？', '城管局说2024年还要再新建多少个公共停车位？', '下一步打算投入多少资金？', '欧都至新岭那条乡道改造后要加宽到多少米？', '凤岗镇那个高速互通口啥时候能开工？'],
  // 「投资计划」 is a document, not a plan for what is to come: 「城管局哪天报的投资计划」 asks when it was sent.
  counterExamples: ['2021年省里给我们市定的公共停车位任务是多少？最后建成了多少？', '龙陵文旅局是哪天跟杨世国代表面商的？', '永吉高速是哪一年建成通车的？', '城管局哪天报的投资计划？'],
};

/** True when the question asks for a value that lies ahead ({@link PROSPECTIVE}). */
export function asksProspective(question: string): boolean {
  return PROSPECTIVE.asks.test(question);
}

/** A title in book-title marks. */
const TITLED = /《[^《》]{1,80}》/gu;

/** The clauses of a sentence (，；： split it; a value and the word that dates it are rarely further apart). */
const CLAUSE = /[^，,；;：:]+[，,；;：:]?/gu;

/**
 * True when `sentence` states a value of the kind `slot` asks for; with `prospective`, in a clause
 * that speaks of the future, or next to one (「…5.8公里公路拓宽,我局今年已经准备进行实施」).
 */
export function statesSlot(slot: Slot, text: string, prospective = false, asked = ''): boolean {
  const rule = BY_SLOT.get(slot);
  if (!rule) return false;
  // A value inside a document's title is part of its name, not a statement: 《…规划(2020-2035年)》 does not say when.
  const sentence = text.replace(TITLED, '《》');
  const states = (s: string) => rule.states(s, asked);
  if (!states(sentence)) return false;
  // 「预计什么时候完工」: the time must date a finishing (建成, 完成, 通车 …), not the year of the funds (「拟使用2025年省级资金…用于维修改造」).
  const milestone = WHEN.has(slot) ? MILESTONES.find((m) => m.asked.test(asked)) : undefined;
  if (!prospective && !milestone) return true;
  const clauses = sentence.match(CLAUSE) ?? [sentence];
  const near = (i: number, re: RegExp) => clauses.slice(Math.max(0, i - 1), i + 2).some((n) => re.test(n));
  let anyClause = false;
  for (const [i, c] of clauses.entries()) {
    if (!states(c)) continue;
    anyClause = true;
    // 「今年4月已对火车站左侧空地实施了地面硬化,并规划了…」: a value in a clause of what was done is not what is planned,
    // whatever the next clause says.
    if (prospective && DONE.test(c) && !FUTURE.test(c)) continue;
    if ((!prospective || near(i, PROSPECTIVE.states)) && (!milestone || near(i, milestone.dated))) return true;
  }
  // A value spread over clauses (its figure in one, its unit in the next): the whole sentence decides.
  return !anyClause && (!prospective || PROSPECTIVE.states.test(sentence)) && (!milestone || milestone.dated.test(sentence));
}

/**
 * A clause telling what was done (「今年4月已对…实施了地面硬化」「曾于2018年…」), and one telling what is to come.
 * 「已将该段道路上报为2024年破损路改造项目」 is not done in this sense: what was done is the filing, the year is the plan's.
 */
const DONE = /曾经?|已经?[^，。；,;]{0,16}?了/u;
const FUTURE = /(?<!已经?|每年)将|计划|预计|(?<![已])拟|力争|争取|确保/u;

/** Slots that ask when. */
const WHEN: ReadonlySet<Slot> = new Set(['time', 'year', 'month', 'day']);

/**
 * What a when-question asks to be dated — a start or a finish — and the words that date one in a reply. 「啥时候修完」
 * is answered by 「计划2021年底完成施工」, not by 「2021年下达资金」; 「哪年开工」 by 「力争2026年开工建设」 or 「2025年启动实施」.
 * A question naming neither (「什么时候答复的」「哪年列入规划」) is not held to them.
 */
const MILESTONES: ReadonlyArray<{ asked: RegExp; dated: RegExp }> = [
  {
    asked: /完工|竣工|建成|修完|建完|修好|建好|完成|落成|交付|投用|投入使用|用上|通车|开通|运营|投产|铺好|装好|亮/u,
    dated: /完工|竣工|建成|完成|落成|交付|投用|投入使用|通车|开通|运营|投产|到位|结束|交工|验收|修复/u,
  },
  {
    asked: /开工|动工|开建|启动|开始|动建|开挖|实施/u,
    dated: /开工|动工|开建|启动|开始|实施|建设|施工|推进|招标|招投标/u,
  },
];

/** True when `sentence` states every slot asked (a sentence answering none of them does not answer the question). */
export function statesAll(slots: readonly Slot[], sentence: string, prospective = false, asked = ''): boolean {
  return slots.every((s) => statesSlot(s, sentence, prospective, asked));
}

/** The words for what is missing: 「金额和年份」. */
export function slotLabel(slots: readonly Slot[]): string {
  return slots.map((s) => BY_SLOT.get(s)?.label ?? s).join('和');
}

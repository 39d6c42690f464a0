/**
 * Question understanding, the first stage of answering. {@link understand}
 * reads a question once into a {@link Question}: its normalized text, its
 * subject (the replies it identifies by 发文字号, proposal number, person or
 * body), the filters its words state (年份, 去年, 届次, 类别, 部门), its topic
 * terms, what it asks for (a reply field, a value slot, promises, a listing,
 * a comparison) and its intent. Retrieval and the composers read that object;
 * none of them parses the question string again.
 *
 * Which kind of question this is comes from one table of intents. Each intent
 * lists the questions it must catch; those examples are its tests
 * (test/answer/understand.test.ts), so a new phrasing is added as an
 * example of the family it belongs to, not as a special case in a composer.
 *
 * The conversational intents (greeting, thanks, who-are-you, another
 * language) are answered here with what dafu knows and how to ask; the
 * others go on to retrieval, and the record, commitment and listing
 * composers read the same question.
 */
import { asksWhatWasDone } from './activities.ts';
import { isCommitmentQuestion } from './commitments.ts';
import { findDepartments } from '../domain/departments.ts';
import { foldVariants } from '../domain/fold.ts';
import { isPlaceName } from '../domain/places.ts';
import { type ReplyField, askedFields, asksForYear, asksReplyDate } from './fields.ts';
import { type Filters, parseFilters } from './filters.ts';
import { type FullTextSearch, type LookupResult, lookup } from './lookup.ts';
import { type Slot, asksProspective, slotsOf } from './slots.ts';
import { normalizeQuestion, questionTerms } from './text.ts';
import type { StoredReply } from '../store/types.ts';

export type Intent = 'greeting' | 'thanks' | 'identity' | 'foreign' | 'question';

interface IntentRule {
  intent: Exclude<Intent, 'question'>;
  /** Whole-question test on the normalized text, without trailing punctuation. */
  test: (q: string) => boolean;
  /** Questions it must catch. */
  examples: string[];
  /** Questions it must leave alone. */
  counterExamples: string[];
}

const SMALL = (re: RegExp) => (q: string) => q.length <= 24 && re.test(q);

export const INTENTS: IntentRule[] = [
  {
    intent: 'greeting',
    test: SMALL(/^(?:你好|您好|嗨|哈喽|hello|hi|在吗|在不在|早上好|上午好|下午好|晚上好|早安)(?:呀|啊|哦)?(?:[,，!！。~～]?\s*(?:dafu|答复助手|机器人))?$/iu),
    examples: ['你好', '您好！', '在吗？', '早上好', 'hello'],
    counterExamples: ['你好，省科技厅下一步打算做什么？', '张立华代表的建议，下一步打算怎么办？'],
  },
  {
    intent: 'thanks',
    test: SMALL(/^(?:谢谢|感谢|多谢|谢啦|谢了|辛苦了|好的谢谢|好的，谢谢|thanks|thank you)(?:你|您|啦)?(?:[!！。~～])?$/iu),
    examples: ['谢谢', '谢谢你！', '多谢', '辛苦了', 'thanks'],
    counterExamples: ['感谢您对我省工作的关心是谁写的？'],
  },
  {
    intent: 'identity',
    test: SMALL(/^(?:你是谁|你是什么|你叫什么|你能(?:干|做)什么|你会(?:干|做)?什么|你有什么用|能(?:干|做)什么|怎么用|如何使用|怎么使用|使用说明|帮助|help|你是谁[，,？?]?(?:你)?能(?:干|做)什么)$/iu),
    examples: ['你是谁？', '你是谁？能干什么？', '能做什么', '怎么用？', '帮助', 'help'],
    counterExamples: ['省科技厅能做什么支持？', '谁答复的第0147号建议？'],
  },
  {
    intent: 'foreign',
    // No Chinese at all and at least two words of another language.
    test: (q) => !/[\u3400-\u9fff]/u.test(q) && (q.match(/[A-Za-z\u00C0-\u024F\u0400-\u04FF]{2,}/gu) ?? []).length >= 2,
    examples: ['What did the science department promise?', 'Who answered proposal 0147?', 'Что обещал департамент?'],
    counterExamples: ['2025W233', 'D27号提案', '吉科发高〔2024〕74号'],
  },
];

/** The intent of a question (normalized once here). */
export function intentOf(question: string): Intent {
  const q = normalizeQuestion(question).replace(/[？?。！!\s]+$/u, '');
  for (const rule of INTENTS) if (rule.test(q)) return rule.intent;
  return 'question';
}

/** What the store holds, for the conversational answers. */
export interface StoreSummary {
  replies: number;
  from: string | null;
  to: string | null;
  departments: string[];
}

/** Example questions shown with the conversational answers. */
export const EXAMPLE_QUESTIONS = ['省科技厅下一步打算做什么？', '第0147号代表建议是哪份答复？文号多少？', '关于人工智能，答复中提到了哪些支持措施？'];

/** The short answer to a conversational intent, in Chinese whatever the question's language. */
export function conversationalAnswer(intent: Exclude<Intent, 'question'>, s: StoreSummary): string {
  const held = s.replies > 0 ? `现有 ${s.replies} 份答复${s.from && s.to ? `（${s.from.slice(0, 4)}—${s.to.slice(0, 4)}年）` : ''}${s.departments.length > 0 ? `，涉及${s.departments.slice(0, 6).join('、')}${s.departments.length > 6 ? '等' : ''}` : ''}。` : '目前还没有导入答复。';
  const examples = `可以这样问：\n${EXAMPLE_QUESTIONS.join('\n')}`;
  switch (intent) {
    case 'greeting':
      return `您好！我是 dafu，回答关于代表建议、委员提案答复的问题，每句都注明出处。${held}\n${examples}`;
    case 'thanks':
      return `不客气。还有问题请直接问，例如：\n${EXAMPLE_QUESTIONS[0]}`;
    case 'identity':
      return `我是 dafu（答复），根据已导入的代表建议、委员提案答复回答问题：谁承诺了什么、在哪份答复里、什么时候，每句都引用原文并注明出处；答复里没有写的，我会直说。${held}\n${examples}`;
    case 'foreign':
      return `目前只能用中文提问和回答。${held}\n${examples}`;
  }
}

/** Words that make a question span several replies: compare them, or ask each for its figure. */
const SPANNING = /分别|各自|各是|两份|两个答复|两篇|都说|相比|对比|比较|区别|差别|异同|同一个|一致吗|一样吗/u;

/** A question, read once: what every later stage works from. */
export interface Question {
  /** As typed. */
  raw: string;
  /** Normalized (full-width folded, invisible marks and stray spaces gone, variants folded). */
  text: string;
  intent: Intent;
  /** The replies it identifies and the identifiers it states (numbers, names, bodies), matched or not. */
  subject: LookupResult;
  /** Filters its own words state; retrieval applies each only where it leaves something to search. */
  stated: Filters;
  /** Its topic words: the question's content terms without the identifiers (unweighted; retrieval weighs them). */
  terms: string[];
  /** All its content terms, identifiers included (scoring the chunks of the replies it names). */
  words: string[];
  /** Reply fields it asks for (发文字号, 日期, 联系人 …). */
  fields: ReplyField[];
  /** Values it asks for (an amount, a year …): an answer must state them. */
  slots: Slot[];
  asks: {
    /** Promises: 下一步 / 打算 / 承诺 / 答应. */
    commitments: boolean;
    /** What was done (「省科技厅做了什么」). */
    activities: boolean;
    /** Which department / who. */
    actor: boolean;
    /** A stated total (一共 / 累计). */
    total: boolean;
    /** A year with the record (「哪年」). */
    year: boolean;
    /** Across replies: comparison words, two years, or two named replies. */
    spans: boolean;
    /** The value asked for lies ahead (「预计什么时候」「还要再建多少」): only a value stated as planned answers it. */
    prospective: boolean;
    /**
     * Whether the reply says a particular thing (「有没有说在实验小学门口装抽水泵」「有没有答应给…专项资金」): what it is
     * asked to have said, as written, and its terms. An answer must quote a sentence that says it.
     */
    mention: { what: string; terms: string[] } | null;
    /** When the reply itself was written or sent (「哪天成文的」), not when something it speaks of happens (fields.ts asksReplyDate). */
    replyDate: boolean;
    /** A person is asked for (「哪位委员」「谁执笔」), not a body. */
    person: boolean;
    /** Two questions in one (「…总数多少？河南创建了几个…？」): what one names may not belong to the other. */
    several: boolean;
    /** The kind the question calls the proposal, when it uses one word only: 提案 or 建议 (a hint, not a filter). */
    family: '提案' | '建议' | null;
  };
  /** Places the question names (湖北, 龙陵县): answers come from replies that name them or a place within them. */
  places: string[];
}

/**
 * 「有没有说/提到/讲/答应/承诺/安排/点名/明确…」「是否提到…」: a question whether the reply says a particular thing.
 * Examples and counter-examples are tests (understand.test.ts).
 */
export const MENTION = {
  asks: /有没有(?:说|提到?|讲|答应|承诺|安排|点名|明确|表示|表态|考虑|写)|是否(?:提到|提及|答应|承诺|安排|明确|表示|考虑)/u,
  examples: ['古荥镇有没有说在实验小学门口装抽水泵？', '林草局有没有答应给大别山老区单独安排油茶进山道路专项资金？', '农业农村部那份答复里，有没有讲给成都平原加大农机购置补贴？', '张晓哲委员对沂南这个答复满意不满意?', '交通厅同不同意把这条路列进规划？'],
  counterExamples: ['去美丽南方的公交线路有没有列进哪年的线网调整计划？', '利息有没有政府帮着出？', '下一步怎么做？', '钢架塑料大棚能不能进农机购置补贴？', '农、财两部以后会不会扩？', '到底装不装红绿灯？'],
};

/** Words of a stance asked as A-not-A (满意不满意, 同不同意). */
const RESPONSE_WORDS = ['满意', '同意', '支持', '采纳', '答应', '认可', '赞成', '接受', '批准'];

/** What a mention question asks the reply to have said, or null (see {@link MENTION}). */
function mentionOf(text: string, terms: readonly string[]): Question['asks']['mention'] {
  // 「满意不满意」「满不满意」「同不同意」: whether the proposer or a body took a stance, which the answer must say in
  // that word. (「能不能进」「会不会扩」 ask about the matter itself: the passages about it answer them.)
  const stance = RESPONSE_WORDS.find((w) => text.includes(`${w}不${w}`) || text.includes(`${w[0]}不${w}`));
  if (stance) return { what: stance, terms: [stance] };
  const m = MENTION.asks.exec(text);
  if (!m) return null;
  const what = text.slice(m.index + m[0].length).replace(/^[了过的]/u, '').replace(/[？?。！!，,]+$/u, '').split(/[？?]/u)[0]!.trim();
  const objectTerms = terms.filter((t) => what.includes(t));
  // 「有没有明确答应」: nothing particular is asked to have been said.
  return objectTerms.length > 0 ? { what, terms: objectTerms } : null;
}

/** Where understanding looks identifiers up: the store's replies and its full-text search. */
export interface SubjectIndex {
  replies: readonly StoredReply[];
  fullText?: FullTextSearch;
}

/** Record fields that name a body or person, and the slots asking for a named instance that they answer instead. */
const BODY_FIELDS: ReadonlySet<ReplyField> = new Set(['recipient', 'issuer', 'coHandlers']);
const INSTANCE_SLOTS: ReadonlySet<Slot> = new Set(['company', 'school', 'town', 'site']);

/** Reads `raw` once into a {@link Question}. `now` dates relative years (去年, 今年). */
export function understand(raw: string, index: SubjectIndex, now: Date = new Date()): Question {
  const text = normalizeQuestion(raw);
  const subject = lookup(text, index.replies, index.fullText);
  const identifiers = subject.identifierTerms.filter((x) => findDepartments(x).length === 0);
  const words = questionTerms(text);
  const terms = words.filter((term) => !identifiers.some((id) => id.includes(term) || term.includes(id)));
  const years = new Set(text.match(/(?<!\d)(?:19|20)\d{2}(?=\s*年)/gu) ?? []);
  const fields = askedFields(text);
  return {
    raw,
    text,
    intent: intentOf(text),
    subject,
    stated: parseFilters(text, now),
    terms,
    words,
    fields,
    // 「提案方是哪家」「是哪个单位回的」 ask for a record's body, not for a named firm or place in the text.
    slots: fields.some((f) => BODY_FIELDS.has(f)) ? slotsOf(text).filter((s) => !INSTANCE_SLOTS.has(s)) : slotsOf(text),
    asks: {
      commitments: isCommitmentQuestion(text),
      activities: asksWhatWasDone(text),
      actor: asksForActor(text),
      total: asksForTotal(text),
      year: asksForYear(text),
      spans: SPANNING.test(text) || years.size >= 2 || subject.targets.length >= 2,
      prospective: asksProspective(text),
      mention: mentionOf(text, terms),
      replyDate: asksReplyDate(text),
      person: /哪(?:一|几)?位|谁执笔|哪个人|个人/u.test(text),
      several: /[？?]\s*\S/u.test(text),
      family: /提案/u.test(text) && !/建议/u.test(text) ? '提案' : /建议/u.test(text) && !/提案/u.test(text) ? '建议' : null,
    },
    places: terms.filter((t) => isPlaceName(t)).map((t) => foldVariants(t)),
  };
}

/**
 * What a question asks for, in one word, for evaluation by kind of question: a reply's record
 * field, promises, what was done, a comparison across replies, a value (amount, date …), or open.
 */
export function askOf(q: Question): 'record' | 'commitments' | 'activities' | 'comparison' | 'value' | 'open' {
  if (q.fields.length > 0) return 'record';
  if (q.asks.commitments) return 'commitments';
  if (q.asks.activities) return 'activities';
  if (q.asks.spans) return 'comparison';
  if (q.slots.length > 0) return 'value';
  return 'open';
}

/** True when the question asks which department or who did something. */
export function asksForActor(question: string): boolean {
  return /哪(?:个|一个|些)(?:部门|厅|局|委|办|单位|机构|司)|哪家(?:单位|部门)|由谁|是谁|谁来/u.test(question);
}

/** True when the question asks for a total (一共 / 总共 / 累计 / 合计 / 总计 … 多少). */
export function asksForTotal(question: string): boolean {
  // 「一共计划建多少公里」 asks for the plan's total: then a plan is the answer.
  return /一共|总共|累计|合计|总计|共计|总数|总量|加起来/u.test(question) && !/计划|打算|拟|将要|准备/u.test(question);
}

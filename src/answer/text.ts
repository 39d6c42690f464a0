/**
 * Text helpers of the answer side: question normalization, sentence spans
 * that stay verbatim substrings of a chunk, the folding used to compare
 * quotes, and the content terms of a question.
 */
import { foldVariants } from '../domain/fold.ts';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { STOPWORDS } from '../search/tokenize.ts';

let jieba: Jieba | undefined;
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

const CJK = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}〔〕（）《》“”，。：；、？！])\\s+(?=[${CJK}0-9〔〕（）《》“”，。：；、？！])|(?<=[0-9])\\s+(?=[${CJK}])`, 'gu');

/**
 * Invisible format characters: zero-width space and joiners, direction marks
 * and embeddings (U+200B–U+200F, U+202A–U+202E, U+2066–U+2069), word joiner
 * and invisible operators (U+2060–U+2064) and the BOM / zero-width no-break
 * space (U+FEFF). Text copied from a web page or a chat app carries them, and
 * 省\u200B科技厅 is then a different string from 省科技厅.
 */
export const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * Brings a typed question to the corpus' normalized form: invisible format
 * characters removed, full-width letters and digits to ASCII (CJK
 * punctuation stays, as in the stored text) and stray spaces around CJK
 * removed, so 「２０２５ 年」 finds 「2025年」; traditional characters folded, as passages
 * are when they are scored.
 */
export function normalizeQuestion(question: string): string {
  return foldVariants(question)
    .replace(INVISIBLE, '')
    .replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .replace(SPACE_BETWEEN_CJK, '')
    .trim();
}

/**
 * The comparison form for quotes (eval quote-hit, loose matching): all
 * whitespace removed and full/half-width punctuation folded, so a quote copied
 * from a PDF with its stray spaces still matches the normalized chunk.
 */
export function foldForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[“”„‟″]/g, '"')
    .replace(/[‘’‚‛′]/g, "'")
    .replace(/。/g, '.')
    .replace(/、/g, ',')
    .replace(/[〔【［]/g, '[')
    .replace(/[〕】］]/g, ']')
    .replace(/\s+/gu, '');
}

/** A sentence of a text, by its offsets: `text.slice(start, end) === sentence` always holds. */
export interface SentenceSpan {
  start: number;
  end: number;
  text: string;
}

/** Sentence ends; a closing quote or bracket right after stays with its sentence. */
const SENTENCE_END = /[。！？；!?]+[”’」』）)]*|\n+/gu;

/**
 * Splits `text` into sentences at 。！？； and line breaks. Each span is
 * trimmed of surrounding whitespace but is otherwise a verbatim slice, so a
 * quoted sentence is always a substring of the chunk it came from.
 */
export function splitSentences(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let from = 0;
  const push = (start: number, end: number) => {
    while (start < end && /\s/u.test(text[start] as string)) start++;
    while (end > start && /\s/u.test(text[end - 1] as string)) end--;
    if (end - start >= 2) spans.push({ start, end, text: text.slice(start, end) });
  };
  for (const m of text.matchAll(SENTENCE_END)) {
    const end = (m.index ?? 0) + m[0].length;
    push(from, end);
    from = end;
  }
  push(from, text.length);
  return spans;
}

/**
 * Words that say what kind of question it is but not what it is about;
 * counting them as content would make every reply look relevant.
 */
const QUESTION_WORDS = new Set([
  '哪', '哪个', '哪些', '哪家', '哪几', '哪份', '哪条', '哪年', '哪天', '哪一天', '哪一年', '几', '几家', '几个', '几项', '几号', '第几', '第几号',
  '多少', '多少次', '什么', '怎么', '怎样', '如何', '是否', '有没有', '吗', '呢', '吧', '请问', '一下', '说说', '详细', '具体', '介绍',
  '答复', '回复', '建议', '提案', '代表', '委员', '那份', '这份', '那条', '这条', '这个', '那个', '里', '中', '方面', '情况', '问题',
  '分别', '同一个', '一个', '负责', '提到', '提的', '说', '讲', '给', '留', '帮', '回', '叫', '全名', '名字', '是', '有',
  '下一步', '一步', '下步', '打算', '承诺', '答应', '计划', '将', '要', '准备', '做', '干', '支持', '安排',
  '怎么办', '怎么做', '怎么样', '做什么', '干什么', '咋办', '如何做', '打算怎么', '怎么弄', '咋弄', '怎么搞', '怎么整', '咋整',
  // relative years scope the replies (filters.ts), they are not what a passage is about
  '今年', '去年', '前年', '明年', '本年', '本年度', '上一年', '上年',
  // asking words of staff in their own words
  '帮我', '总结', '概括', '归纳', '一共', '总共', '大概', '当时', '最后', '现在', '那件', '这件', '那边', '这边', '他们', '她们', '我们',
  // words that ask when, how much, whether (the slot, see slots.ts), not what a passage is about
  '时候', '什么时候', '啥时候', '啥时', '何时', '时间', '什么时间', '多久', '多长', '多大', '几月', '几月份', '月份', '哪月', '哪位', '哪里', '哪儿',
  '啥', '咋', '能不能', '会不会', '是不是', '到底', '究竟', '大约', '左右', '预计', '还是', '一起',
  // 「区里财政」「省里给的任务」: a colloquial reference to a level of government, not a topic word of any reply
  '省里', '市里', '县里', '区里', '州里', '旗里', '镇里', '乡里', '村里', '上面', '上级', '局里', '厅里', '委里', '部里', '办里',
]);

/** Single characters that are function words or light verbs in a question (按, 多, 能, 是, 给 …). */
const FUNCTION_CHARS = new Set(Array.from('按把被给让由将就都也还又很最多能会要说做办去来在是有和与及对向从到的了么吗呢吧啊呀嘛'));

/**
 * A word jieba's HMM glued from a question word and its neighbour (「城管局哪天报的」 → 哪天报, 「是谁提的」 → 谁提)
 * is split back into its dictionary words, so the question word drops out as it would alone. A made-up word
 * with no question word in it (徐凤娟) stays whole.
 */
function unglued(words: readonly string[]): string[] {
  return words.flatMap((w) => {
    if (Array.from(w).length < 2 || !/^[\u4e00-\u9fff]+$/u.test(w)) return [w];
    const parts = segmenter().cut(w, false);
    if (parts.length < 2) return [w];
    if (parts.some((p) => QUESTION_WORDS.has(p) || STOPWORDS.has(p) || /^哪/u.test(p))) return parts;
    // A word jieba's dictionary does not know, with a function character in it (按省, 最多能, 办多, 方是): the asker's
    // run of words cut in the wrong place, not a name (徐凤娟 has none).
    return parts.some((p) => FUNCTION_CHARS.has(p)) ? parts : [w];
  });
}

/**
 * Content terms of a question, for relevance scoring by substring presence:
 * jieba words (HMM on, so 徐凤娟 stays whole) minus stopwords, question words
 * and punctuation; numbers and identifiers stay. Single CJK characters are
 * dropped: they match nearly every passage.
 */
export function questionTerms(question: string): string[] {
  // A date's 年/月/日/号 ends a word: jieba otherwise glues it to what follows (2024年省科技厅 → 年省).
  const words = segmenter().cut(normalizeQuestion(question).replace(/(?<=\d\s*)([年月日号])(?=[\u4e00-\u9fff])/gu, '$1 '), true);
  const out: string[] = [];
  for (const w of unglued(words)) {
    const t = w.trim();
    if (!t || STOPWORDS.has(t) || QUESTION_WORDS.has(t)) continue;
    if (!/[\p{L}\p{N}]/u.test(t)) continue;
    if (/^[\u3400-\u9fff]$/u.test(t)) continue;
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

/**
 * Parts of speech that carry no topic (jieba's tags): pronouns and demonstratives (那段, 为啥),
 * adverbs (不好, 长久), locatives of time (以前), numerals and measure words (几条, 一段),
 * prepositions, conjunctions, particles, interjections.
 */
const FILLER_TAGS = new Set(['r', 'd', 'f', 'm', 'q', 'p', 'c', 'u', 'y', 'e', 'o', 'ul', 'uj', 'uz', 'ug', 'uv', 'ud', 'rr', 'rz']);

/** The words jieba reads in `text`, with their parts of speech. */
export function taggedWords(text: string): Array<{ word: string; tag: string }> {
  return segmenter().tag(text, true);
}

/**
 * The parts of speech of a question term, remembered: every term is judged filler, phrasing and topic, by each
 * question that uses it. Bounded, as the questions people ask are not.
 */
const TERM_TAGS = new Map<string, string[]>();
function tagsOf(term: string): string[] {
  let tags = TERM_TAGS.get(term);
  if (!tags) {
    tags = segmenter().tag(term, true).map((t) => t.tag);
    if (TERM_TAGS.size >= 20_000) TERM_TAGS.clear();
    TERM_TAGS.set(term, tags);
  }
  return tags;
}

/** True when every word jieba reads in `term` is a filler part of speech ({@link FILLER_TAGS}). */
export function isFillerWord(term: string): boolean {
  const tags = tagsOf(term);
  return tags.length > 0 && tags.every((t) => FILLER_TAGS.has(t));
}

/**
 * Parts of speech that carry how the asker phrases the act or the time (加开, 争取到, 接下来, 后面)
 * rather than what the question is about: verbs, set phrases, adverbs (not time words: 课后 is a topic).
 */
const PHRASING_TAGS = new Set(['v', 'vd', 'vi', 'vq', 'l', 'i', 'd', 'ad']);

/**
 * True when every word jieba reads in `term` is a phrasing part of speech ({@link PHRASING_TAGS}), or filler; or
 * when `term` is no dictionary word but one jieba's HMM made up from the asker's run of characters (「提案方是哪家」
 * → 方是), which a corpus that never uses it cannot be about.
 */
export function isPhrasingWord(term: string): boolean {
  const tags = tagsOf(term);
  if (tags.length > 0 && tags.every((t) => PHRASING_TAGS.has(t) || FILLER_TAGS.has(t))) return true;
  return /^[\u4e00-\u9fff]{2}$/u.test(term) && segmenter().cut(term, false).length > 1;
}

/** Parts of speech of what a question is about: nouns of every kind, verbal nouns (建设, 管理), set phrases (人才培养), abbreviations, Latin words. */
const TOPIC_TAGS = /^(?:n|nr|ns|nt|nz|nrt|nrfg|ng|vn|j|l|eng|an)$/u;

/** True when jieba reads a noun-like word in `term` ({@link TOPIC_TAGS}); codes and numbers with letters count too. */
export function isTopicWord(term: string): boolean {
  if (/[a-z]/iu.test(term)) return true;
  return tagsOf(term).some((t) => TOPIC_TAGS.test(t));
}

/** Character bigrams of a CJK word, the fallback when the whole word never occurs in the corpus. */
export function bigrams(word: string): string[] {
  const chars = Array.from(word);
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push((chars[i] as string) + (chars[i + 1] as string));
  return out;
}

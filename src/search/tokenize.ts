/**
 * Chinese-aware tokenizer for the lexical (BM25) index. The same function
 * tokenizes documents at ingest and questions at query time, so every rule
 * here applies symmetrically to both sides.
 *
 * Why each piece exists:
 * - jieba (search mode, HMM on) gives real words, so 人工智能 matches as a word
 *   and not as 4 unrelated characters;
 * - character bigrams over every CJK run are the fallback for words jieba does
 *   not know (names such as 徐凤娟, new terms such as 具身智能): a query and a
 *   document that share the characters share the bigrams;
 * - document numbers (吉工信议案〔2025〕6号), proposal numbers (0147, 2025W233)
 *   and other identifiers are kept whole for exact hits and also split into
 *   their parts, because users type them in many ways (第147号, W233, [2025]);
 * - stopwords are dropped: they match almost everything and made queries
 *   3.5–12× slower when kept.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { foldVariants } from '../domain/fold.ts';

let jieba: Jieba | undefined;
/** Loading the dictionary takes ~100 ms, so it happens once, on first use. */
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/**
 * Function words and question words that carry no meaning for retrieval.
 * Deliberately small: domain words such as 答复 or 建议 stay, BM25's IDF
 * already down-weights them, and dropping them would make some titles
 * unsearchable.
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  // Chinese function words
  '的', '了', '和', '与', '及', '是', '在', '对', '等', '将', '为', '以', '并', '也', '有', '就', '都', '而',
  '或', '之', '其', '于', '把', '被', '这', '那', '我', '您', '你', '他', '她', '它', '们', '个', '着', '从',
  '我们', '您们', '你们', '他们', '她们', '它们', '一个', '一些', '这个', '那个', '这些', '那些', '以及', '对于',
  '关于', '并且', '而且', '或者', '因为', '所以', '如果', '但是', '还是', '就是', '已经', '可以', '进行',
  // question words: questions are full of them, documents are not about them
  '什么', '哪些', '哪个', '怎么', '怎样', '如何', '为什么', '吗', '呢', '吧', '啊', '请问', '请', '是否',
  '有没有', '多少', '哪里', '哪', '谁',
  // counters around numbers (第0147号, 2025年): the number itself is the token that matters
  '第', '号', '年', '月', '日',
  // English
  'the', 'a', 'an', 'of', 'and', 'or', 'to', 'in', 'is', 'are', 'for', 'on', 'with', 'by', 'at', 'as', 'be',
]);

/**
 * Characters that make a bigram meaningless (的建, 展的). Only the commonest
 * particles: a wider list would drop real words, which jieba then has to cover.
 */
const STOP_CHARS = new Set(['的', '了', '和', '与', '及', '是', '在', '之', '其', '吗', '呢', '吧', '啊', '着', '也', '并', '或', '而']);

const CJK = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
const CJK_RUN = new RegExp(`[${CJK}]+`, 'gu');
/** Latin/digit identifiers, allowing inner - _ / . (0431-87077670, 12220000412760962A/2025-01346, 3.5). */
const IDENT_RUN = /[a-z0-9]+(?:[-_/.][a-z0-9]+)*/g;
/** Year brackets in any of the forms people type, canonicalized to 〔YYYY〕. */
const YEAR_BRACKETS = /[[(【〔［（]\s*(\d{4})\s*[\])】〕］）]/g;
/** A document number: issuer prefix, 〔year〕, serial, 号. */
const DOC_NUMBER = new RegExp(`([${CJK}]{0,12})〔(\\d{4})〕\\s*第?\\s*(\\d+)\\s*号`, 'gu');

/**
 * Bring the input to the one form both sides are tokenized in: traditional
 * characters folded to simplified (a simplified question finds a traditional
 * reply, and the other way round), NFKC (full-width → ASCII), lowercase,
 * canonical year brackets.
 */
function canonical(text: string): string {
  return foldVariants(text).normalize('NFKC').toLowerCase().replace(YEAR_BRACKETS, '〔$1〕');
}

/** Whole document numbers, also under every shorter issuer prefix so 工信议案〔2025〕6号 still matches. */
function docNumberTokens(text: string, out: string[]): void {
  // Most texts have none; the regex would still try a 12-character prefix at every CJK character.
  if (!text.includes('〔')) return;
  for (const m of text.matchAll(DOC_NUMBER)) {
    const prefix = m[1] ?? '';
    const core = `〔${m[2]}〕${Number(m[3])}号`;
    out.push(core);
    // The regex prefix may have swallowed preceding words (根据吉工信议案…);
    // every suffix of it is emitted so the true issuer prefix is among them.
    for (let len = 2; len <= prefix.length; len++) out.push(prefix.slice(prefix.length - len) + core);
  }
}

/** A run such as 2025w233 or 0431-87077670: whole, its parts, and digit parts without leading zeros (0147 → 147). */
function identTokens(run: string, out: string[]): void {
  out.push(run);
  const parts = run.split(/[-_/.]/).filter(Boolean);
  // A decimal number (3.5) is one value, not two identifiers.
  if (/^\d+\.\d+$/.test(run)) return;
  for (const part of parts) {
    if (parts.length > 1) out.push(part);
    const pieces = part.match(/[a-z]+|\d+/g) ?? [];
    if (pieces.length > 1) {
      for (let i = 0; i < pieces.length; i++) {
        const piece = pieces[i] as string;
        if (/^\d/.test(piece) || piece.length > 1) out.push(piece);
        // letter prefix + number: the w233 of 2025w233, the d27 of d27
        const next = pieces[i + 1];
        if (/^[a-z]/.test(piece) && next !== undefined && i > 0) out.push(piece + next);
      }
    }
    for (const piece of pieces) {
      if (/^0\d+$/.test(piece)) out.push(String(Number(piece)));
    }
  }
}

/** Whether a UTF-16 code unit is in the CJK ranges above (all of them are single units). */
function isCjkCode(c: number): boolean {
  return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
}

/** Two or more characters, all CJK; a loop because this runs for every jieba word (the regex was a third of tokenizing). */
function isCjkWord(w: string): boolean {
  if (w.length < 2) return false;
  for (let i = 0; i < w.length; i++) if (!isCjkCode(w.charCodeAt(i))) return false;
  return true;
}

const STOP_CODES = new Set([...STOP_CHARS].map((c) => c.charCodeAt(0)));

/**
 * jieba words (two or more CJK characters) of the whole text, then the
 * character bigrams of every CJK run. jieba runs once over the whole text:
 * one native call instead of one per run is about 1.5× faster.
 */
function cjkTokens(text: string, out: string[]): void {
  const words = new Set<string>();
  // single characters are covered by bigrams and are mostly noise on their own
  for (const w of segmenter().cutForSearch(text, true)) {
    if (isCjkWord(w)) {
      out.push(w);
      words.add(w);
    }
  }
  for (const m of text.matchAll(CJK_RUN)) {
    const run = m[0];
    // every character of the ranges in CJK is a single UTF-16 unit, so indexing is safe
    if (run.length === 1) {
      out.push(run);
      continue;
    }
    for (let i = 0; i + 1 < run.length; i++) {
      if (STOP_CODES.has(run.charCodeAt(i)) || STOP_CODES.has(run.charCodeAt(i + 1))) continue;
      const bigram = run.slice(i, i + 2);
      // a bigram jieba already produced as a word would otherwise count twice
      if (!words.has(bigram)) out.push(bigram);
    }
  }
}

/**
 * Splits `text` into lexical tokens (lowercased, stopwords removed). Order
 * follows the text roughly but is not meaningful; duplicates are kept because
 * BM25 counts term frequency.
 */
export function tokenize(text: string): string[] {
  const s = canonical(text);
  const raw: string[] = [];
  docNumberTokens(s, raw);
  cjkTokens(s, raw);
  for (const m of s.matchAll(IDENT_RUN)) identTokens(m[0], raw);
  return raw.filter((t) => t.length > 0 && !STOPWORDS.has(t));
}

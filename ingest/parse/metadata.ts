/**
 * The metadata a government site prints around a reply (索引号, 发文字号,
 * 发布机构, 成文日期 …), read in every layout seen:
 * - tab-separated cells ("索引号:\tvalue\t分类:\tvalue", the HTML loader's form);
 * - several `key: value` pairs on one line, with or without colons, and pipe
 *   tables (「索引号|15262660-/2021-0702001|发布机构|龙陵县文化和旅游局|」);
 * - pairs whose separating spaces normalization removed (「分类人大代表建议办理」,
 *   「发布机构山东省能源局发文日期2024-06-09」): known keys split them;
 * - a key on one line and its value on the next;
 * - labels that lost a character (「题:」「号:」) and traditional labels (文號,
 *   索引號, 公開日期), which reach this stage already folded.
 * Keys we know but do not keep (来源, 作者, 浏览量, 公开方式 …) still end the
 * previous value, so it never swallows them.
 */
import { isDocNumber, DATE_LINE, isoDate } from '../../src/domain/numbers.ts';

/** The reply fields a metadata cell can give. */
export type MetaField = 'indexNumber' | 'category' | 'issuer' | 'date' | 'issuedDate' | 'title' | 'docNumber' | 'publishedDate' | 'result' | 'signer' | 'coHandlers';

/**
 * Key words by field, as they read after normalization and folding. `null`: a known key whose value is not kept.
 * Within a field the words are in order of preference: a page that prints several cells for one field (组配分类 and
 * 主题分类) gives the value of the first word listed, wherever its cell is.
 */
const KEYS: Array<[MetaField | null, string[]]> = [
  ['indexNumber', ['信息索引号', '索引号', '索取号', '索引']],
  // 组配分类 / 信息分类 name the site's column (政协委员提案办理); the subject is 主题分类 (所属主题) when printed.
  ['category', ['主题分类', '所属主题', '所属分类', '分类', '类别', '信息分类', '组配分类']],
  ['issuer', ['发文机关', '发布机构', '发文单位', '发布单位', '成文单位', '发布部门', '公开单位', '信息所属单位', '所属机构', '公开责任部门', '责任部门', '发文机构', '承办单位', '答复单位']],
  ['date', ['成文日期', '成文时间', '印发日期', '签发日期']],
  // Taken for the date only when the reply has no 成文日期 and no dated signature.
  ['issuedDate', ['发文日期', '生成日期', '答复日期']],
  ['title', ['复文标题', '文章标题', '信息名称', '文件名称', '标题', '题名', '题目', '名称']],
  ['docNumber', ['发文字号', '文件字号', '文件编号', '发文号', '文号']],
  ['publishedDate', ['发布日期', '发布时间', '公开日期', '公开时间', '发表时间', '更新时间', '信息时间', '日期', '时间']],
  ['result', ['办理结果类别', '办理结果', '答复类别', '办复类别', '办理类别', '结果类别', '答复类型']],
  ['signer', ['签发领导', '领导署名', '签发人', '签发']],
  ['coHandlers', ['协办单位', '会办单位', '会签单位', '会签']],
  [
    null,
    [
      '信息来源', '来源', '作者', '公开方式', '公开范围', '公开形式', '公开属性', '有效性', '浏览量', '浏览次数', '访问量', '阅读量', '阅读次数',
      '点击数', '点击量', '字号', '字体', '主题词', '关键词', '关键字', '公开目录', '体裁分类', '服务对象', '效力状态', '有效期',
      '统一编号', '文种', '生效日期', '失效日期', '废止日期', '实施日期', '公开时限', '统一社会信用代码', '组织机构代码', '责任编辑', '编辑',
      '审核', '供稿', '浏览', '类型', '主办单位',
    ],
  ],
];

interface Key {
  word: string;
  field: MetaField | null;
  /** Preference among the keys of its field: 0 is the most preferred. */
  rank: number;
}
/** Longest key first, so 发文字号 wins over 文号 and 发布日期 over 日期. */
const ALL_KEYS: Key[] = KEYS.flatMap(([field, words]) => words.map((word, rank) => ({ word, field, rank }))).sort((a, b) => b.word.length - a.word.length);
/**
 * Keys of a date that is neither the reply's nor the page's (生效日期, 失效日期 …): their value is a date too,
 * so it is taken with them (never left behind as a date line for the signature) and never read as a timestamp.
 */
const isOtherDateKey = (k: Key): boolean => k.field === null && /(?:日期|时间|期)$/.test(k.word);
/** Keys generic enough to open a sentence (时间紧, 名称不规范): taken only with a separator after them. */
const NEEDS_SEPARATOR = new Set(['承办单位', '答复单位', '日期', '时间', '名称', '来源', '作者', '编辑', '审核', '浏览', '类型', '类别', '签发', '会签', '题目', '字号', '字体', '主办单位', '承办单位']);

const SEP = /^[\s:：|｜\t]+/;
const KEY_ALT = ALL_KEYS.map((k) => k.word).join('|');
/** A line that starts with a key (optionally in 【】). */
const STARTS_WITH_KEY = new RegExp(`^[【\\[]?\\s*(?:${KEY_ALT})`);

/**
 * Whether a raw line (spaces not yet removed, traditional not yet folded is
 * fine for the common keys) opens with a metadata key: the normalizer keeps
 * such a line apart from its neighbours.
 */
export function startsWithMetadataKey(line: string): boolean {
  const compact = line.replace(/[\s\u3000]+/g, '').replace(/^[【[•·\-–—*]/, '');
  const m = STARTS_WITH_KEY.exec(compact);
  if (!m) return false;
  const key = ALL_KEYS.find((k) => compact.startsWith(k.word))!;
  return !NEEDS_SEPARATOR.has(key.word) || /^[:：|｜]/.test(compact.slice(key.word.length)) || compact.length === key.word.length;
}

interface Cell {
  key: Key;
  value: string;
}

/** The key at `pos` of `line`, longest first. */
function keyAt(line: string, pos: number): Key | null {
  for (const k of ALL_KEYS) if (line.startsWith(k.word, pos)) return k;
  return null;
}

/**
 * Reads the cells of one line, or null when the line is not metadata. A key
 * counts at the line's start, after a separator, or — keys of three or more
 * characters, or any key after a non-Chinese character — in the middle of the
 * run normalization glued together.
 */
function cellsOf(line: string, headerRegion: boolean): Cell[] | null {
  const t = line.replace(/^[【[•·\-–—*|｜]\s*/, '');
  if (!STARTS_WITH_KEY.test(t) || t.length > 300) return null;
  // Where a line still has its separators, a key glued to the text before it must have one after it,
  // so a value that contains a key word (「两会意见建议办理结果公开」) stays whole.
  const hasSeparators = /[:：|｜\t]/.test(t);
  const hits: Array<{ key: Key; start: number; end: number; separated: boolean }> = [];
  for (let i = 0; i < t.length; i++) {
    const prev = i === 0 ? '' : t[i - 1]!;
    // A label may be printed in brackets (「[发文字号]」): the bracket is a boundary like a separator.
    const atBoundary = i === 0 || /[\s:：|｜\t【\[】\]•·\-–—]/.test(prev);
    const key = keyAt(t, i);
    if (!key) continue;
    const end = i + key.word.length;
    const after = t.slice(end).replace(/^\s*[】\]]/, '');
    const separated = end >= t.length || after === '' || SEP.test(after);
    const colon = /^\s*[:：]/.test(after);
    const glued = (key.word.length >= 3 || !/[\u4e00-\u9fff]/.test(prev) || colon) && (colon || !hasSeparators || /^[|｜\t]/.test(after));
    if (!(atBoundary || (headerRegion && glued && hits.length > 0))) continue;
    if (NEEDS_SEPARATOR.has(key.word) && !separated) continue;
    if (!separated && !headerRegion) continue;
    hits.push({ key, start: i, end, separated });
    i = end - 1;
  }
  if (hits.length === 0 || hits[0]!.start !== 0) return null;
  // A line of body text that happens to start with a key word has no separator and is long.
  if (!hits[0]!.separated && hits.length === 1 && t.length > 60) return null;
  return hits.map((h, n) => {
    const next = hits[n + 1]?.start ?? t.length;
    // The label's closing bracket and the separators go; so does the next label's opening bracket.
    const between = t
      .slice(h.end, next)
      .replace(/^\s*[】\]]/, '')
      .replace(SEP, '')
      .replace(/[\s|｜\t:：•·\-–—【\[]+$/, '')
      .trim();
    // A cell border ends a value: in a table row the value is its first cell (「| 其他 | 人大建议 |」 → 其他).
    const value = /[|｜\t]/.test(between) ? between.split(/\s*[|｜\t]\s*/).find((c) => c !== '') ?? '' : between;
    return { key: h.key, value };
  });
}

/** Whether a line (normalized, not yet folded is fine for the common keys) holds a metadata value dafu keeps (发布时间:…, 索引号:…). */
export function holdsMetadataValue(line: string): boolean {
  return cellsOf(line, true)?.some((c) => c.key.field !== null && c.value !== '') ?? false;
}

/** A line that is only a key (and a colon): its value may be on the next line. */
function lonelyKey(line: string): Key | null {
  const m = /^[【[]?\s*([\u4e00-\u9fff]{1,8})\s*[:：]?\s*[】\]]?$/.exec(line);
  if (!m) return null;
  return ALL_KEYS.find((k) => k.word === m[1]) ?? null;
}

/**
 * A value line with the next label glued to its end, the line break between
 * them lost (「07B060315202001018信息所属单位」): where that label starts, or -1.
 * Only a key of three or more characters after a character that is not
 * Chinese counts, so a Chinese value holding a key word (「…办理结果公开」) stays whole.
 */
export function gluedKeyAt(value: string): number {
  for (let i = 1; i < value.length; i++) {
    if (/[\u4e00-\u9fff]/.test(value[i - 1]!)) continue;
    const key = keyAt(value, i);
    if (key && key.word.length >= 3 && (i + key.word.length === value.length || /^\s*[:：]/.test(value.slice(i + key.word.length)))) return i;
  }
  return -1;
}

/** The field a cell's value goes to; 「号:」 (a lost 文/索引) is decided by the value's shape. */
function fieldOf(key: Key, value: string): MetaField | null {
  // 「类别:B」: a class letter is the handling result, not a subject category.
  if (key.field === 'category' && /^[A-D]\d?\s*类?$/.test(value.trim())) return 'result';
  if (key.field === 'docNumber' && !isDocNumber(value) && /^[0-9A-Za-z]{6,}[-/]/.test(value)) return 'indexNumber';
  return key.field;
}

/** Metadata read from a reply's lines, and the lines that remain. */
export interface PageMetadata {
  meta: Map<MetaField, string>;
  /** The lines that are not metadata, in order. */
  rest: string[];
}

/** Where the header (the part before the addressee and the opening) ends: metadata of generic shape is only read there. */
function headerEnd(lines: readonly string[]): number {
  const i = lines.findIndex((l) => /收悉|现答复如下|现将.{0,10}答复/.test(l) || /^(?:尊敬的)?[^，。：:\s]{2,30}(?:代表|委员|同志|委会)[：:]/.test(l));
  return i < 0 ? Math.min(lines.length, 12) : i;
}

/**
 * A page timestamp: an ISO date (with dashes, as CMSs print them), perhaps glued to its time, or to a counter or
 * id before it, which normalization joined when only a space stood between digits (「admin 484 2022-09-21」 →
 * 「admin 4842022-09-21」). Month and day are checked when the date is read.
 */
const ISO_IN_TEXT = /(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:(?=\d{1,2}:\d{2})|(?!\d))/;

/** A line of its own that states a class of result: 「A1」, 「B类」, 「(C)」 under a ministry's title. */
const RESULT_LINE = /^[（(【]?\s*([A-D]\d?|[甲乙丙丁])\s*类?\s*[)）】]?$/;

/** Reads the metadata cells of `lines` (normalized, folded); the first non-empty value of a field wins. */
export function readMetadata(lines: readonly string[]): PageMetadata {
  const meta = new Map<MetaField, string>();
  const rank = new Map<MetaField, number>();
  const rest: string[] = [];
  const header = headerEnd(lines);
  // The first non-empty value of a field wins, unless a more preferred key of the field gives one later.
  const put = (field: MetaField | null, value: string, key?: Key) => {
    if (!field || !value) return;
    const r = key && key.field === field ? key.rank : Infinity;
    if (!meta.has(field) || r < rank.get(field)!) {
      meta.set(field, value);
      rank.set(field, r);
    }
  };
  const copy = [...lines];
  for (let i = 0; i < copy.length; i++) {
    const line = copy[i]!;
    const inHeader = i < header;
    const lonely = inHeader ? lonelyKey(line) : null;
    if (lonely) {
      const whole = copy[i + 1];
      // The next label glued to the value's end (「07B…018信息所属单位」) starts the line after.
      const glued = whole === undefined ? -1 : gluedKeyAt(whole);
      const next = whole !== undefined && glued > 0 ? whole.slice(0, glued) : whole;
      // The value is the next line, unless that line is another label (「事由:…」).
      // A key we do not keep (「信息来源:」 left empty) takes nothing: the next line is the reply's own (its 发文字号);
      // but a date key we do not keep (生效日期) takes its date, which is nobody's signature date.
      const otherDate = isOtherDateKey(lonely) && next !== undefined && DATE_LINE.test(next.trim());
      const takes = otherDate || (lonely.field !== null && (lonely.field === 'docNumber' || !/^[\u4e00-\u9fff]{1,16}[〔［\[【(（]\s*\d{4}/.test(next ?? '')));
      if (takes && next !== undefined && i + 1 < header && !lonelyKey(next) && !STARTS_WITH_KEY.test(next) && !/^[\u4e00-\u9fff]{1,8}\s*[:：]/.test(next) && next.length <= 100) {
        put(fieldOf(lonely, next.trim()), next.trim(), lonely);
        if (glued > 0) {
          copy[i + 1] = whole!.slice(glued); // the glued label is read next, as a line of its own
          continue;
        }
        i++;
      }
      continue;
    }
    const cells = cellsOf(line, inHeader);
    if (cells) {
      for (const c of cells) {
        put(fieldOf(c.key, c.value), c.value, c.key);
        // A timestamp in the value of a key we do not keep (「来源:农业厅办公室2017-09-09 16:24:21」) is the page's;
        // the date of a 生效日期 / 失效日期 cell is not.
        if (inHeader && c.key.field === null && !isOtherDateKey(c.key) && ISO_IN_TEXT.test(c.value)) put('publishedDate', ISO_IN_TEXT.exec(c.value)![0]);
      }
      // Below the header a labelled line (会签：…, 签发人：…) is part of the reply's closing: read it, keep it.
      if (inHeader) continue;
    }
    if (inHeader && DATE_LINE.test(line.trim()) && isoDate(line) && /\d{4}[-/.]/.test(line)) {
      // A bare timestamp under the page title is when the page was published.
      put('publishedDate', line.trim());
      continue;
    }
    // A timestamp inside a header line of the page (「2018-07-11 09:01 信息来源:…」, 「…法律法规网2016-07-19 17:20:08」).
    if (inHeader && ISO_IN_TEXT.test(line) && line.length <= 120 && !/收悉|答复如下/.test(line)) put('publishedDate', ISO_IN_TEXT.exec(line)![0]);
    if (inHeader && RESULT_LINE.test(line.trim())) {
      put('result', RESULT_LINE.exec(line.trim())![1]!);
      continue;
    }
    rest.push(line);
  }
  return { meta, rest };
}

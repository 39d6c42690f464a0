/**
 * Text from a page saved from a Chinese government website. Such a page is
 * mostly furniture (navigation, font-size switches, share buttons, footers);
 * the reply itself sits in a content container (TRS_Editor, #zoom, …) and its
 * metadata (索引号, 发文字号, …) in a table above it. We keep the metadata as
 * "key:\tvalue" lines, because the reply parser reads that form (it is how the
 * sample .txt replies look), then the body as paragraphs separated by blank
 * lines. Everything else is dropped.
 */
import { parse, HTMLElement, NodeType, type Node } from 'node-html-parser';
// Page furniture, by the one lexicon the parser uses too.
import { isFurnitureLine } from '../parse/furniture.ts';
import { binaryReason, decodeAs, detectLegacy, strictUtf8, type Decoded, DecodeFailure } from './encoding.ts';

/** The metadata fields the reply parser reads, in the order they are emitted. */
export const HTML_METADATA_KEYS = ['索引号', '分类', '发文机关', '成文日期', '标题', '发文字号', '发布日期'] as const;

/** Tags that never hold reply text. */
const DROP_TAGS = 'script, style, noscript, nav, header, footer, aside, iframe, button, select, input, textarea, object, embed, svg, canvas, template, head';

/** id/class words that mark page furniture (breadcrumbs, share bars, footers …). */
const FURNITURE_ATTR = /(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|footer|foot|header|share|bdshare|sidebar|topbar|toolbar|copyright|position|location|weizhi|wza|accessibility)(?:[\s_-]|$)/i;

/**
 * Content containers, best first. Government CMSs (TRS, 政府信息公开/xxgk) use
 * these names; within one level the candidate with the most text wins.
 */
const CONTAINER_PATTERNS: RegExp[] = [/trs_editor/i, /(?:^|[\s_-])zoom(?:[\s_-]|$)/i, /article/i, /content/i, /xxgk/i];


/** Block-level tags: their boundaries become line breaks. */
const BLOCK_TAGS = new Set([
  'address', 'article', 'blockquote', 'center', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'form', 'h1', 'h2', 'h3',
  'h4', 'h5', 'h6', 'hr', 'li', 'main', 'ol', 'p', 'pre', 'section', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul', 'title', 'body', 'html',
]);

/** Finds the declared charset in the first bytes (`<meta charset>` or http-equiv Content-Type). */
export function declaredCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const m = /<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  return m ? m[1]!.toLowerCase() : null;
}

/**
 * Decodes an HTML page: BOM → strict UTF-8 → the declared charset (GBK and
 * GB2312 read as GB18030) → detection. Valid UTF-8 wins over a declaration
 * because browsers re-save pages as UTF-8 but often leave the old `<meta>`.
 */
export function decodeHtml(bytes: Uint8Array): Decoded {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    const t = strictUtf8(b.subarray(3));
    if (t !== null) return { text: t, encoding: 'utf-8' };
  }
  const binary = binaryReason(bytes);
  if (binary) throw new DecodeFailure(binary);
  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
  const declared = declaredCharset(bytes);
  const byDeclaration = declared ? decodeAs(bytes, declared) : null;
  return byDeclaration ?? detectLegacy(bytes);
}

/** Identifying words of an element (id + class) for the container and furniture tests. */
function attrWords(el: HTMLElement): string {
  return `${el.getAttribute('id') ?? ''} ${el.getAttribute('class') ?? ''}`.trim();
}

/** Visible text of a node as lines: blocks break lines, table cells end with a tab. */
function render(node: Node, out: string[]): void {
  if (node.nodeType === NodeType.TEXT_NODE) {
    // HTML collapses source whitespace; &nbsp; counts as a space here. U+3000 (ideographic indent) is kept for the normalizer.
    out.push(node.text.replace(/[\s\u00a0]+/g, (ws) => (ws.includes('\u3000') ? ws.replace(/[^\u3000]/g, '') : ' ')));
    return;
  }
  if (node.nodeType !== NodeType.ELEMENT_NODE) return;
  const el = node as HTMLElement;
  const tag = el.tagName?.toLowerCase() ?? '';
  if (tag === 'br') {
    out.push('\n');
    return;
  }
  const block = BLOCK_TAGS.has(tag);
  if (block) out.push('\n');
  for (const child of el.childNodes) render(child, out);
  if (tag === 'td' || tag === 'th') out.push('\t');
  if (block) out.push('\n');
}

/** Rendered lines of an element, trimmed, empty ones dropped. */
function lines(el: HTMLElement): string[] {
  const out: string[] = [];
  render(el, out);
  return out
    .join('')
    .split('\n')
    .map((l) => l.replace(/^[ \t]+|[ \t]+$/g, '').replace(/ *\t[ \t]*/g, '\t'))
    .filter((l) => l.replace(/[\s\u3000]/g, '') !== '');
}

const KEY_ALT = HTML_METADATA_KEYS.join('|');
/** A known key at the start of a cell or after a space, followed by a colon (or the cell's end). */
const KEY_IN_CELL = new RegExp(`(?:^|(?<=\\s))(${KEY_ALT})\\s*(?:[:：]|$)`, 'g');
/** A cell that is only some other label, e.g. "主题分类：" — it ends the previous value. */
const OTHER_LABEL = /^[\u4e00-\u9fa5]{1,8}\s*[:：]$/;

type Token = { label: string | null; text: string };

/**
 * Reads "key: value" pairs from one rendered line (a table row with
 * tab-separated cells, or inline spans). Returns null unless the line starts
 * with a known key, so body text is never mistaken for metadata.
 */
export function metadataPairs(line: string): [string, string][] | null {
  if (line.length > 400) return null;
  const tokens: Token[] = [];
  for (const raw of line.split('\t')) {
    const cell = raw.trim();
    if (!cell) continue;
    const matches = [...cell.matchAll(KEY_IN_CELL)];
    if (matches.length === 0) {
      tokens.push(OTHER_LABEL.test(cell) ? { label: '', text: '' } : { label: null, text: cell });
      continue;
    }
    const before = cell.slice(0, matches[0]!.index).trim();
    if (before) tokens.push({ label: null, text: before });
    matches.forEach((m, i) => {
      tokens.push({ label: m[1]!, text: '' });
      const end = i + 1 < matches.length ? matches[i + 1]!.index : cell.length;
      const value = cell.slice(m.index + m[0].length, end).trim();
      if (value) tokens.push({ label: null, text: value });
    });
  }
  if (!tokens[0]?.label) return null;
  const pairs: [string, string][] = [];
  let current: [string, string[]] | null = null;
  for (const t of tokens) {
    if (t.label !== null) {
      if (current?.[0]) pairs.push([current[0], current[1].join(' ')]);
      current = [t.label, []];
    } else current?.[1].push(t.text);
  }
  if (current?.[0]) pairs.push([current[0], current[1].join(' ')]);
  return pairs;
}


/** The element holding the reply, or null when the page has no recognizable container. */
function findContainer(root: HTMLElement): HTMLElement | null {
  const all = root.querySelectorAll('*');
  for (const pattern of CONTAINER_PATTERNS) {
    let best: HTMLElement | null = null;
    let bestLen = 0;
    for (const el of all) {
      const words = attrWords(el);
      if (!words || !pattern.test(words) || FURNITURE_ATTR.test(words)) continue;
      const len = el.text.replace(/\s/g, '').length;
      if (len > bestLen) [best, bestLen] = [el, len];
    }
    // A near-empty match (an empty "content" wrapper) is not the reply.
    if (best && bestLen >= 20) return best;
  }
  return null;
}

function removeFurniture(el: HTMLElement): void {
  for (const f of el.querySelectorAll('*')) if (FURNITURE_ATTR.test(attrWords(f))) f.remove();
}

/**
 * Extracts the reply text from decoded HTML: metadata lines ("key:\tvalue",
 * one per line, first occurrence wins), a blank line, then the body paragraphs
 * separated by blank lines. The page title (first h1) is kept when it lies
 * outside the content container. Returns '' for a page with no text.
 */
export function htmlToText(html: string): string {
  const root = parse(html, { comment: false });
  for (const el of root.querySelectorAll(DROP_TAGS)) el.remove();

  // Metadata can sit anywhere (often in a table above the container); read it from the whole page.
  const meta = new Map<string, string>();
  const metaLines = new Set<string>();
  const pageRoot = root.querySelector('body') ?? root;
  for (const line of lines(pageRoot)) {
    const pairs = metadataPairs(line);
    if (!pairs) continue;
    metaLines.add(line);
    for (const [k, v] of pairs) if (v && !meta.has(k)) meta.set(k, v);
  }

  const container = findContainer(pageRoot);
  const bodyEl = container ?? pageRoot;
  removeFurniture(bodyEl);
  const body = lines(bodyEl).filter((l) => !metaLines.has(l) && !isFurnitureLine(l));

  if (container) {
    const h1 = pageRoot.querySelector('h1');
    const title = h1 ? lines(h1).join('') : '';
    if (title && !isFurnitureLine(title) && !body.some((l) => l.includes(title))) body.unshift(title);
  }

  const head = HTML_METADATA_KEYS.filter((k) => meta.has(k)).map((k) => `${k}:\t${meta.get(k)}`);
  return [head.join('\n'), body.join('\n\n')].filter(Boolean).join('\n\n');
}

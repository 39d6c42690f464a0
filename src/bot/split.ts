/**
 * Splits Telegram HTML into messages below the 4096-character limit.
 *
 * Telegram counts the limit after entity parsing (visible text only); we
 * measure the raw HTML instead, which is always at least as long, so a part
 * that fits here always fits there. Cuts prefer paragraph breaks, then line
 * breaks, then sentence ends, and never fall inside a tag or an entity
 * (`&amp;`) or between a surrogate pair; tags open at a cut are closed at the
 * end of the part and reopened at the start of the next, so every part is
 * valid HTML on its own.
 */

/** Telegram's limit for a message text. */
export const TELEGRAM_TEXT_LIMIT = 4096;

interface Token {
  text: string;
  kind: 'text' | 'open' | 'close' | 'void';
  /** Tag name for open/close tokens. */
  name?: string;
}

const TAG = /^<\/?([a-zA-Z][a-zA-Z0-9-]*)[^>]*>/;
const ENTITY = /^&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);/;

function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < html.length) {
    const rest = html.slice(i, i + 512);
    if (html[i] === '<') {
      const m = TAG.exec(rest);
      if (m) {
        const name = m[1]!.toLowerCase();
        const kind = m[0].startsWith('</') ? 'close' : m[0].endsWith('/>') ? 'void' : 'open';
        tokens.push({ text: m[0], kind, name });
        i += m[0].length;
        continue;
      }
    }
    if (html[i] === '&') {
      const m = ENTITY.exec(rest);
      if (m) {
        tokens.push({ text: m[0], kind: 'text' });
        i += m[0].length;
        continue;
      }
    }
    const code = html.charCodeAt(i);
    const width = code >= 0xd800 && code <= 0xdbff && i + 1 < html.length ? 2 : 1;
    tokens.push({ text: html.slice(i, i + width), kind: 'text' });
    i += width;
  }
  return tokens;
}

/** Break quality after a token: lower is better; undefined means "do not cut here unless forced". */
function breakRank(tokens: Token[], i: number): number | undefined {
  const t = tokens[i]!;
  if (t.kind !== 'text') return undefined;
  if (t.text === '\n') return tokens[i - 1]?.text === '\n' ? 0 : 1;
  if ('。！？；!?;'.includes(t.text)) return 2;
  if ('，、,. '.includes(t.text)) return 3;
  return undefined;
}

/**
 * Splits `html` into parts of at most `limit` characters (default 4096).
 * Returns `[html]` unchanged when it fits; never returns an empty part.
 */
export function splitHtml(html: string, limit: number = TELEGRAM_TEXT_LIMIT): string[] {
  if (html.length <= limit) return [html];
  const tokens = tokenize(html);
  const parts: string[] = [];
  let stack: Token[] = [];
  let start = 0;

  while (start < tokens.length) {
    // Skip blank lines at the start of a part (they are the break we cut at).
    while (start < tokens.length && tokens[start]!.kind === 'text' && /^\s$/.test(tokens[start]!.text)) start++;
    if (start >= tokens.length) break;

    const prefix = stack.map((t) => t.text).join('');
    const open = [...stack];
    let length = prefix.length;
    let end = start;
    // Best cut seen so far for each rank, as the index after which we cut and the stack there.
    const best: Array<{ at: number; stack: Token[] } | undefined> = [];
    let lastFit: { at: number; stack: Token[] } | undefined;

    for (; end < tokens.length; end++) {
      const t = tokens[end]!;
      const nextOpen = [...open];
      if (t.kind === 'open') nextOpen.push(t);
      else if (t.kind === 'close') {
        const idx = nextOpen.map((o) => o.name).lastIndexOf(t.name);
        if (idx >= 0) nextOpen.splice(idx, 1);
      }
      const closing = nextOpen.map((o) => `</${o.name}>`).join('').length;
      if (length + t.text.length + closing > limit) break;
      length += t.text.length;
      open.splice(0, open.length, ...nextOpen);
      // Never end a part right after an opening tag (it would be empty there).
      if (t.kind !== 'open') lastFit = { at: end, stack: [...open] };
      const rank = breakRank(tokens, end);
      if (rank !== undefined) best[rank] = { at: end, stack: [...open] };
    }

    if (end >= tokens.length) {
      parts.push(prefix + tokens.slice(start).map((t) => t.text).join(''));
      break;
    }
    // Prefer a good break unless it would leave a tiny part (under a third of the limit).
    const minUseful = Math.floor(limit / 3);
    let cut = lastFit;
    for (const candidate of best) {
      if (candidate && candidate.at - start >= Math.min(minUseful, (lastFit?.at ?? start) - start)) {
        cut = candidate;
        break;
      }
    }
    if (!cut) throw new Error(`splitHtml: limit ${limit} is too small for the markup`);
    const body = tokens.slice(start, cut.at + 1).map((t) => t.text).join('');
    const closing = [...cut.stack].reverse().map((o) => `</${o.name}>`).join('');
    const part = (prefix + body).replace(/\s+$/, '') + closing;
    parts.push(part);
    stack = cut.stack;
    start = cut.at + 1;
  }
  return parts.filter((p) => p.replace(/<[^>]*>/g, '').trim().length > 0);
}

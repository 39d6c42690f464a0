/** Checks text the way Telegram's HTML parse mode would reject it: unknown or unbalanced tags, bare < or &. */
const ALLOWED = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);

/** Problems found in `html` (empty when Telegram would accept it). */
export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === '<') {
      const m = /^<(\/?)([a-zA-Z-]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*>/.exec(html.slice(i));
      if (!m) {
        problems.push(`bare < at ${i}`);
        i++;
        continue;
      }
      const name = m[2]!.toLowerCase();
      if (!ALLOWED.has(name)) problems.push(`tag <${name}> not supported by Telegram`);
      if (m[1]) {
        const top = stack.pop();
        if (top !== name) problems.push(`</${name}> closes <${top ?? 'nothing'}>`);
      } else stack.push(name);
      i += m[0].length;
      continue;
    }
    if (ch === '&') {
      const m = /^&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/.exec(html.slice(i));
      if (!m) problems.push(`bare & at ${i}`);
      i += m ? m[0].length : 1;
      continue;
    }
    if (ch === '>') problems.push(`bare > at ${i}`);
    i++;
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(', ')}`);
  return problems;
}

/** What the user sees: tags removed, entities decoded (the bot's own helper). */
export { visibleText } from '../../src/bot/html.ts';

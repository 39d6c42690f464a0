/**
 * Folds traditional characters to simplified ones (答覆 → 答复, 會議 → 会议,
 * 號 → 号) so that one vocabulary reads both, and a simplified question finds
 * a traditional reply. The fold is length-preserving, character for
 * character: a match found at position i of the folded text is at position i
 * of the original, so values and quotes are always cut from the original,
 * verbatim text (traditional stays traditional).
 *
 * OpenCC's dictionaries (opencc-js) are used rather than a table of our own:
 * they are maintained, cover thousands of characters and the one-to-many
 * cases (乾/幹/干) by phrase. Its phrase rules keep length in practice; a
 * line where they do not falls back to character by character.
 */
import * as OpenCC from 'opencc-js/t2cn';

type Convert = (text: string) => string;

let converter: Convert | undefined;
function convert(): Convert {
  const c = converter ?? OpenCC.Converter({ from: 't', to: 'cn' });
  converter = c;
  return c;
}

/**
 * The characters OpenCC would change on their own, found once (~21k lookups).
 * Most replies are simplified: a text with none of them is returned as is,
 * at the cost of one scan instead of a dictionary conversion.
 */
let foldable: Uint8Array | undefined;
function foldableChars(): Uint8Array {
  if (foldable) return foldable;
  const c = convert();
  const set = new Uint8Array(0x10000);
  const ranges: Array<[number, number]> = [[0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xf900, 0xfaff]];
  for (const [from, to] of ranges) {
    for (let cp = from; cp <= to; cp++) {
      const ch = String.fromCharCode(cp);
      if (c(ch) !== ch) set[cp] = 1;
    }
  }
  foldable = set;
  return set;
}

function mayBeTraditional(text: string): boolean {
  const set = foldableChars();
  for (let i = 0; i < text.length; i++) if (set[text.charCodeAt(i)] === 1) return true;
  return false;
}

/**
 * `text` with traditional characters folded to simplified ones, the same
 * length as `text`. Simplified text comes back unchanged.
 */
export function foldVariants(text: string): string {
  if (!mayBeTraditional(text)) return text;
  const c = convert();
  const whole = c(text);
  if (whole.length === text.length) return whole;
  // A phrase rule changed the length: fold each line, then each character, so positions still line up.
  return text
    .split('\n')
    .map((line) => {
      const l = c(line);
      if (l.length === line.length) return l;
      let out = '';
      for (const ch of line) {
        const f = c(ch);
        out += f.length === ch.length ? f : ch;
      }
      return out;
    })
    .join('\n');
}

/** Whether the text has characters that fold (a traditional-character copy). */
export function hasTraditional(text: string): boolean {
  return foldVariants(text) !== text;
}

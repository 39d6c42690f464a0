/**
 * Turns the bytes of a text file into a string without asking the user which
 * encoding it is in. Chinese government .txt files come as UTF-8 (with or
 * without a BOM) or as GBK/GB2312/GB18030, sometimes as UTF-16 with a BOM.
 * Strict UTF-8 is tried first because GBK text is almost never valid UTF-8,
 * so a successful strict decode is strong evidence; only then is chardet asked.
 */
import iconv from 'iconv-lite';
import { analyse } from 'chardet';

/** What {@link decodeText} found: the text (BOM stripped) and the decoder used. */
export interface Decoded {
  text: string;
  /** Decoder actually used: 'utf-8', 'utf-16le', 'utf-16be', 'gb18030', or another iconv-lite name. */
  encoding: string;
}

/** Why bytes could not be turned into text; the caller wraps it into a LoadError. */
export class DecodeFailure extends Error {}

const GB_FAMILY = new Set(['gb18030', 'gbk', 'gb2312', 'euc-cn', 'x-gbk', 'cp936', 'hz-gb-2312']);

/** Bytes inspected by the binary sniff; enough to see NULs in any real binary header. */
const SNIFF_BYTES = 8192;

/**
 * Returns a reason if `bytes` look like binary data rather than text, else
 * null. Text never contains NUL bytes (UTF-16 is handled before this via its
 * BOM), and more than 10% C0 control characters other than tab/newline/CR/FF/ESC
 * means it is not something a person wrote.
 */
export function binaryReason(bytes: Uint8Array): string | null {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  const hint = magicHint(bytes);
  const utf16 = utf16WithoutBom(bytes.subarray(0, n));
  if (utf16) return `UTF-16 (${utf16}) without a byte order mark; re-save it as UTF-8`;
  const nul = bytes.subarray(0, n).indexOf(0);
  if (nul >= 0) return `looks like binary data, not text (NUL byte at offset ${nul})${hint}`;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  if (n > 0 && control / n > 0.1) {
    return `looks like binary data, not text (${control} control characters in the first ${n} bytes)${hint}`;
  }
  return null;
}

/**
 * 'LE' or 'BE' when `head` looks like UTF-16 text without a BOM: NUL bytes
 * (the high or low halves of ASCII characters: digits, spaces, line breaks)
 * at least one in twenty bytes, three quarters or more on the same side of
 * each byte pair, and the pairs decode to text without control characters. Binary
 * data has its NULs on both sides.
 */
function utf16WithoutBom(head: Uint8Array): 'LE' | 'BE' | null {
  const n = head.length - (head.length % 2);
  if (n < 8) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) if (head[i] === 0) i % 2 === 0 ? even++ : odd++;
  const nuls = even + odd;
  // Not all on one side: a CJK character such as 一 (U+4E00) has a zero low byte too.
  if (nuls < n / 20 || Math.min(even, odd) > nuls * 0.25) return null;
  const order = odd > even ? 'LE' : 'BE';
  const text = iconv.decode(Buffer.from(head.subarray(0, n)), order === 'LE' ? 'utf-16le' : 'utf-16be');
  const controls = (text.match(/[\u0000-\u0008\u000e-\u001f]/g) ?? []).length;
  return controls <= text.length * 0.01 ? order : null;
}

/** A hint for well-known formats saved under a text extension, so the fix is obvious. */
function magicHint(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 8)).toString('latin1');
  if (head.startsWith('%PDF')) return '; it is a PDF, rename it to .pdf';
  if (head.startsWith('PK\x03\x04')) return '; it is a ZIP archive (a .docx? rename it to .docx)';
  if (head.startsWith('\xd0\xcf\x11\xe0')) return '; it is an old MS Office file (.doc/.xls), save it as .docx or .txt';
  if (head.startsWith('\x89PNG') || head.startsWith('\xff\xd8\xff') || head.startsWith('GIF8')) return '; it is an image';
  return '';
}

/** Decodes strictly as UTF-8; null when the bytes are not valid UTF-8. */
export function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Decodes with a Unicode BOM if there is one (BOM removed), else null. */
function decodeByBom(bytes: Uint8Array): Decoded | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    const text = strictUtf8(buf.subarray(3));
    if (text === null) throw new DecodeFailure('starts with a UTF-8 byte order mark but is not valid UTF-8');
    return { text, encoding: 'utf-8' };
  }
  if (buf[0] === 0xff && buf[1] === 0xfe) return { text: iconv.decode(buf.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  return null;
}

/**
 * Decodes with a named charset (e.g. from an HTML `<meta charset>`); GBK and
 * GB2312 are decoded as GB18030, their superset, so no character is lost.
 * Returns null for a charset iconv-lite does not know or a decode with
 * replacement characters (the declaration was wrong).
 */
export function decodeAs(bytes: Uint8Array, charset: string): Decoded | null {
  let name = charset.trim().toLowerCase();
  if (GB_FAMILY.has(name)) name = 'gb18030';
  if (name === 'utf8') name = 'utf-8';
  if (!iconv.encodingExists(name)) return null;
  const text = iconv.decode(Buffer.from(bytes), name, { stripBOM: true });
  return text.includes('\uFFFD') ? null : { text, encoding: name };
}

/**
 * Decodes text bytes, detecting the encoding: BOM (UTF-8, UTF-16LE/BE) →
 * strict UTF-8 → chardet's best guess (GB family decoded as GB18030) →
 * GB18030 when chardet is unsure (short texts), since that is what Chinese
 * government files use when they are not UTF-8.
 * @throws DecodeFailure when the bytes look binary or no decoder reads them cleanly.
 */
export function decodeText(bytes: Uint8Array): Decoded {
  const bom = decodeByBom(bytes);
  if (bom) return bom;
  const binary = binaryReason(bytes);
  if (binary) throw new DecodeFailure(binary);
  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
  return detectLegacy(bytes);
}

/** Non-UTF-8 text: trust chardet when it is confident, else fall back to GB18030. */
export function detectLegacy(bytes: Uint8Array): Decoded {
  const guesses = analyse(bytes);
  const tried: string[] = [];
  for (const g of guesses) {
    // chardet gives 10 to anything it cannot rule out; only a real signal counts.
    if (g.confidence < 30) break;
    // Mostly UTF-8 with a few broken bytes: decoding it as anything else would garble the rest.
    if (g.name === 'UTF-8') throw new DecodeFailure('mostly UTF-8 but contains invalid UTF-8 byte sequences (a damaged file?); re-save it as UTF-8');
    const d = decodeAs(bytes, g.name);
    tried.push(g.name);
    if (d) return d;
  }
  const gb = decodeAs(bytes, 'gb18030');
  if (gb) return gb;
  // chardet's guesses may already include GB18030: name each decoder once.
  const names = [...new Set([...tried, 'GB18030'].map((n) => n.toUpperCase()))];
  const guessed = tried.length ? ` (tried ${names.join(', ')})` : '';
  throw new DecodeFailure(`cannot tell the text encoding: not valid UTF-8 or GB18030${guessed}; save it as UTF-8`);
}

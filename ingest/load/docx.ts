/**
 * Text of a .docx through mammoth, the well-kept docx reader: its raw-text
 * mode gives each paragraph (table cells included) followed by a blank line,
 * which we keep as the paragraph separator, the same shape the sample .txt
 * replies have, so the normalizer never joins two paragraphs.
 */

import { checkZip, ZipRefused } from './zip-guard.ts';

/** Why a .docx gave no text; the caller wraps it into a LoadError. */
export class DocxFailure extends Error {}

/**
 * Extracts the paragraphs of a .docx as lines separated by blank lines.
 * @throws DocxFailure when the bytes are not a readable Word document.
 */
export async function docxToText(bytes: Buffer): Promise<string> {
  const head = bytes.subarray(0, 4).toString('latin1');
  if (head === '\xd0\xcf\x11\xe0') throw new DocxFailure('this is an old binary Word (.doc) file named .docx; save it as .docx');
  if (head !== 'PK\x03\x04') throw new DocxFailure('not a valid .docx (not a ZIP archive; corrupt or not a Word file)');
  try {
    // Before mammoth inflates anything: it would expand a ZIP bomb in full.
    checkZip(bytes);
  } catch (err) {
    if (err instanceof ZipRefused) throw new DocxFailure(err.message, { cause: err });
    throw err;
  }
  let value: string;
  try {
    // Imported on first use so loading .txt files does not pay for it.
    const { default: mammoth } = await import('mammoth');
    ({ value } = await mammoth.extractRawText({ buffer: bytes }));
  } catch (err) {
    // mammoth walks the XML tree recursively: thousands of nested elements overflow the stack.
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      throw new DocxFailure('refused: the document XML is nested too deeply to read (thousands of levels; a real reply has a few). Re-save it from Word or WPS', { cause: err });
    }
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new DocxFailure(`not a valid .docx (${detail})`, { cause: err });
  }
  return value
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.replace(/\n/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');
}

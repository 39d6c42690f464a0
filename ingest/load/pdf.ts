/**
 * The text layer of a PDF through pdf-parse v2 (pdf.js underneath). Pages are
 * joined with a newline: a page break often falls inside a sentence, and
 * joining wrapped lines is the normalizer's job. Without a text layer (a
 * scanned image) there is nothing to cite, so we refuse rather than guess.
 */

/** Why a PDF gave no text; the caller wraps it into a LoadError. */
export class PdfFailure extends Error {}

/**
 * Extracts the text of every page, pages joined with "\n".
 * @throws PdfFailure for a corrupt or encrypted PDF, or one without a text layer.
 */
export async function pdfToText(bytes: Buffer): Promise<string> {
  if (!bytes.subarray(0, 1024).toString('latin1').includes('%PDF-')) {
    throw new PdfFailure('not a valid PDF (no %PDF header; corrupt or not a PDF)');
  }
  // Imported on first use: pdf.js takes over a second to load, and most corpora are .txt.
  const { PDFParse, VerbosityLevel } = await import('pdf-parse');
  // pdf.js may transfer (detach) the buffer it is given; hand it a copy so the caller's bytes stay intact for hashing.
  const parser = new PDFParse({ data: new Uint8Array(bytes), verbosity: VerbosityLevel.ERRORS });
  try {
    const result = await parser.getText({ pageJoiner: '' });
    const text = result.pages.map((p) => p.text.replace(/\s+$/, '')).join('\n');
    if (text.replace(/\s/g, '') === '') {
      throw new PdfFailure(`no text layer (scanned image?) in ${result.total} page${result.total === 1 ? '' : 's'}; run OCR first`);
    }
    return text;
  } catch (err) {
    if (err instanceof PdfFailure) throw err;
    const name = err instanceof Error ? err.name : '';
    const msg = err instanceof Error ? err.message : String(err);
    if (name === 'PasswordException') throw new PdfFailure('the PDF is encrypted with a password', { cause: err });
    throw new PdfFailure(`not a valid PDF (${msg})`, { cause: err });
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

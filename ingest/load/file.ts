/**
 * Loads one file into raw text. Every failure becomes a LoadError naming the
 * file and the reason, so a folder run can skip it, report it, and go on.
 */
import { open, stat, lstat } from 'node:fs/promises';
import { extname } from 'node:path';
import { LoadError } from './errors.ts';
import { formatOf, unsupportedReason, type Format } from './formats.ts';
import { decodeText, DecodeFailure } from './encoding.ts';
import { decodeHtml, htmlToText } from './html.ts';
import { docxToText, DocxFailure } from './docx.ts';
import { pdfToText, PdfFailure } from './pdf.ts';

/** A file read into raw text; normalization happens later, elsewhere. */
export interface LoadedFile {
  /** The path as given to loadFile, or `options.name` (the corpus-relative path in a folder run). */
  file: string;
  /** Raw extracted text, BOM removed, not yet normalized. */
  text: string;
  format: Format;
  /** Decoder used for text formats ('utf-8', 'utf-16le', 'utf-16be', 'gb18030', …); absent for docx/pdf. */
  encoding?: string;
  /** The file's bytes, for the content hash. */
  bytes: Buffer;
}

/**
 * Largest file loaded by default: 10 MiB. A reply is tens of KB even as a PDF;
 * anything far bigger is a mistake (a scan, an archive) and would only cost
 * memory, so it is refused from its size alone, before reading it.
 */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface LoadOptions {
  /** Size cap in bytes; default {@link DEFAULT_MAX_FILE_BYTES}. */
  maxBytes?: number;
  /** Name to report in `file` and in errors; default the path as given. */
  name?: string;
}

function formatSize(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} KB`;
}

/** A user-facing reason for a file-system error. */
async function fsReason(path: string, err: unknown): Promise<string> {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': {
      const link = await lstat(path).catch(() => null);
      return link?.isSymbolicLink() ? 'broken symbolic link (its target does not exist)' : 'file not found';
    }
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: cannot read the file';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'ELOOP':
      return 'symbolic link loop';
    default:
      return `cannot read the file (${code ?? (err instanceof Error ? err.message : String(err))})`;
  }
}

/**
 * Reads `path` and extracts its raw text by extension: .txt/.md (UTF-8 with or
 * without BOM, UTF-16 with BOM, GB18030/GBK detected), .html/.htm (the reply
 * body and its metadata, page furniture dropped), .docx (mammoth) and .pdf
 * (the text layer).
 * @throws LoadError for an unsupported extension, a missing, unreadable,
 *   empty, too large, binary or corrupt file, or one with no text.
 */
export async function loadFile(path: string, options: LoadOptions = {}): Promise<LoadedFile> {
  const name = options.name ?? path;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const ext = extname(path);
  const format = formatOf(ext);
  if (!format) throw new LoadError(name, unsupportedReason(ext));

  let bytes: Buffer;
  try {
    // stat before open: opening a FIFO would block, and the size check must not read the file.
    const info = await stat(path);
    if (info.isDirectory()) throw new LoadError(name, 'is a directory, not a file');
    if (!info.isFile()) throw new LoadError(name, 'not a regular file');
    if (info.size === 0) throw new LoadError(name, 'empty file');
    if (info.size > maxBytes) {
      throw new LoadError(name, `too large: ${formatSize(info.size)} (limit ${formatSize(maxBytes)}); a reply is far smaller, check the file`);
    }
    const fh = await open(path, 'r');
    try {
      bytes = await fh.readFile();
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (err instanceof LoadError) throw err;
    throw new LoadError(name, await fsReason(path, err), { cause: err });
  }
  // The file may have changed between stat and read.
  if (bytes.length === 0) throw new LoadError(name, 'empty file');
  if (bytes.length > maxBytes) throw new LoadError(name, `too large: ${formatSize(bytes.length)} (limit ${formatSize(maxBytes)})`);

  try {
    switch (format) {
      case 'txt':
      case 'md': {
        const { text, encoding } = decodeText(bytes);
        if (text.trim() === '') throw new LoadError(name, 'contains only whitespace (empty file)');
        return { file: name, text, format, encoding, bytes };
      }
      case 'html': {
        const { text: html, encoding } = decodeHtml(bytes);
        const text = htmlToText(html);
        if (text.trim() === '') throw new LoadError(name, 'no text in the page after removing navigation and page furniture');
        return { file: name, text, format, encoding, bytes };
      }
      case 'docx': {
        const text = await docxToText(bytes);
        if (text.trim() === '') throw new LoadError(name, 'the document contains no text');
        return { file: name, text, format, bytes };
      }
      case 'pdf':
        return { file: name, text: await pdfToText(bytes), format, bytes };
    }
  } catch (err) {
    if (err instanceof LoadError) throw err;
    if (err instanceof DecodeFailure || err instanceof DocxFailure || err instanceof PdfFailure) {
      throw new LoadError(name, err.message, { cause: err });
    }
    // The HTML reader and its parser walk the element tree recursively: thousands of nested elements overflow the stack.
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      throw new LoadError(name, `refused: the ${format === 'html' ? 'page' : 'document'} is nested too deeply to read (thousands of levels; a real reply has a few dozen). Save the reply as .txt, or re-save the page from a browser`, { cause: err });
    }
    throw new LoadError(name, `could not extract text (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

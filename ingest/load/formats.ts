/** The file formats loading understands, keyed by lower-case extension. */

/** A loaded file's format; .htm counts as html. */
export type Format = 'txt' | 'md' | 'html' | 'docx' | 'pdf';

/** Extensions (lower case, with the dot) that {@link loadFile} reads; anything else is skipped. */
export const SUPPORTED_EXTENSIONS = ['.txt', '.md', '.html', '.htm', '.docx', '.pdf'] as const;

const FORMAT_BY_EXT: Record<string, Format> = {
  '.txt': 'txt',
  '.md': 'md',
  '.html': 'html',
  '.htm': 'html',
  '.docx': 'docx',
  '.pdf': 'pdf',
};

/** The format for an extension (any case, e.g. ".TXT"), or null if unsupported. */
export function formatOf(ext: string): Format | null {
  return FORMAT_BY_EXT[ext.toLowerCase()] ?? null;
}

/** The reason a file with this extension is skipped, naming what is supported. */
export function unsupportedReason(ext: string): string {
  const supported = `supported: ${SUPPORTED_EXTENSIONS.join(' ')}`;
  return ext ? `unsupported extension ${ext.toLowerCase()}; ${supported}` : `no file extension; ${supported}`;
}

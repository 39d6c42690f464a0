/**
 * Loading: files of any supported format → raw text plus bytes. The public
 * surface of ingest/load; normalization and parsing happen later, elsewhere.
 */
export { LoadError } from './errors.ts';
export { SUPPORTED_EXTENSIONS, formatOf, type Format } from './formats.ts';
export { loadFile, DEFAULT_MAX_FILE_BYTES, type LoadedFile, type LoadOptions } from './file.ts';
export { walkCorpus, resolveCorpusFile, loadCorpus, type CorpusListing, type LoadedCorpus, type Skipped } from './walk.ts';

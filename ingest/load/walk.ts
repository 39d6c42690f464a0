/**
 * Walks a corpus folder. Files with an unknown extension are listed as
 * skipped with a reason (the user should know a file was left out), hidden
 * files and folders (".git", ".DS_Store") are ignored silently, and symbolic
 * links are followed only once per real folder so a loop cannot hang the walk.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { LoadError } from './errors.ts';
import { formatOf, unsupportedReason } from './formats.ts';
import { loadFile, type LoadedFile, type LoadOptions } from './file.ts';

/** A file that was left out and why. `file` is relative to the corpus folder, with "/" separators. */
export interface Skipped {
  file: string;
  reason: string;
}

/** Result of {@link walkCorpus}. */
export interface CorpusListing {
  /** Loadable files, relative to the corpus folder with "/" separators, sorted; see {@link resolveCorpusFile}. */
  files: string[];
  skipped: Skipped[];
}

function errCode(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? (err instanceof Error ? err.message : String(err));
}

/**
 * Lists the supported files under `dir`, recursively. Paths are relative to
 * `dir` with POSIX separators (stable across machines, used as the corpus key
 * in the store manifest); turn one back into a path with {@link resolveCorpusFile}.
 * Both lists are sorted by path.
 * @throws LoadError when `dir` itself is missing or not a folder.
 */
export async function walkCorpus(dir: string): Promise<CorpusListing> {
  const root = resolve(dir);
  const info = await stat(root).catch((err: unknown) => {
    throw new LoadError(dir, errCode(err) === 'ENOENT' ? 'corpus folder not found' : `cannot read the corpus folder (${errCode(err)})`);
  });
  if (!info.isDirectory()) throw new LoadError(dir, 'not a folder');

  const files: string[] = [];
  const skipped: Skipped[] = [];
  const seen = new Set<string>([await realpath(root)]);

  async function visit(abs: string, rel: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch (err) {
      skipped.push({ file: rel || '.', reason: `cannot read the folder (${errCode(err)})` });
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const childAbs = join(abs, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let loop = false;
        const target = await stat(childAbs).catch((err: unknown) => {
          loop = (err as NodeJS.ErrnoException).code === 'ELOOP';
          return null;
        });
        if (!target) {
          // A link to itself (or around a circle) is not broken: its target exists, it is the link.
          skipped.push({ file: childRel, reason: loop ? 'symbolic link loop (it points to itself or around a circle)' : 'broken symbolic link (its target does not exist)' });
          continue;
        }
        isDir = target.isDirectory();
        isFile = target.isFile();
      }
      if (isDir) {
        const real = await realpath(childAbs).catch(() => childAbs);
        if (seen.has(real)) {
          skipped.push({ file: childRel, reason: 'symbolic link to a folder already walked (a loop or a duplicate)' });
          continue;
        }
        seen.add(real);
        await visit(childAbs, childRel);
      } else if (!isFile) {
        skipped.push({ file: childRel, reason: 'not a regular file' });
      } else if (formatOf(extname(entry.name))) {
        files.push(childRel);
      } else {
        skipped.push({ file: childRel, reason: unsupportedReason(extname(entry.name)) });
      }
    }
  }

  await visit(root, '');
  const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  files.sort(byPath);
  skipped.sort((a, b) => byPath(a.file, b.file));
  return { files, skipped };
}

/** The file-system path of a corpus-relative path returned by {@link walkCorpus}. */
export function resolveCorpusFile(dir: string, file: string): string {
  return join(dir, ...file.split('/'));
}

/** Result of {@link loadCorpus}. */
export interface LoadedCorpus {
  /** Loaded files in path order; `file` is the corpus-relative path. */
  loaded: LoadedFile[];
  /** Files left out (unknown extension, unreadable, empty, binary, corrupt, …), in path order. */
  skipped: Skipped[];
}

/**
 * Walks `dir` and loads every supported file; a file that fails to load is
 * added to `skipped` with its reason instead of stopping the run. Errors other
 * than LoadError (bugs) still propagate.
 */
export async function loadCorpus(dir: string, options: Omit<LoadOptions, 'name'> = {}): Promise<LoadedCorpus> {
  const { files, skipped } = await walkCorpus(dir);
  const loaded: LoadedFile[] = [];
  const failed: Skipped[] = [];
  // One at a time: files are small, and this keeps memory flat on a big folder.
  for (const file of files) {
    try {
      loaded.push(await loadFile(resolveCorpusFile(dir, file), { ...options, name: file }));
    } catch (err) {
      if (!(err instanceof LoadError)) throw err;
      failed.push({ file, reason: err.reason });
    }
  }
  const all = [...skipped, ...failed].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { loaded, skipped: all };
}

/**
 * The one error loading raises. It carries the file and a short reason so a
 * folder run can list what it skipped, and its message names both so a user
 * who sees only that line knows which file to fix and why.
 */
import { DafuInputError } from '../../src/errors.ts';

/** A file that could not be loaded; `reason` is the short cause, e.g. "empty file". */
export class LoadError extends DafuInputError {
  // Starts with "Dafu" so the CLI prints the message alone, without a stack.
  override name = 'DafuLoadError';
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`ingest/load: ${file}: ${reason}; skipped`, options);
  }
}

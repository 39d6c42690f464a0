/**
 * Error types shared across modules. Messages name the module, the offending
 * value and what to do, because they are often the only thing a user sees.
 * Every class name starts with "Dafu" so the CLI prints the message without a stack.
 */

/** Input we could not use (a file, a question, a setting): the user can fix it. */
export class DafuInputError extends Error {
  override name = 'DafuInputError';
}

/** A remote service answered, but said no (HTTP 4xx/5xx, an API error). */
export class DafuServiceError extends Error {
  override name = 'DafuServiceError';
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A remote service could not be reached at all (DNS, refused, timeout, offline mode). */
export class DafuUnreachableError extends Error {
  override name = 'DafuUnreachableError';
}

/** The store is missing, from another model or format, or locked by another ingest. */
export class DafuStoreError extends Error {
  override name = 'DafuStoreError';
}

/** Another ingest holds the store's lock; the caller may wait for its generation instead of failing. */
export class DafuStoreBusyError extends DafuStoreError {
  override name = 'DafuStoreBusyError';
}

/** The embedding model could not be loaded. */
export class DafuModelError extends Error {
  override name = 'DafuModelError';
}

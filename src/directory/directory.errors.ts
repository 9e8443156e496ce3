/** Storage could not be reached or failed to answer: the caller should retry later (503). */
export class DirectoryUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the user directory is unavailable', { cause });
    this.name = 'DirectoryUnavailableError';
  }
}

/** A record (or an identity) breaks the user rules; it must never be signed. */
export class InvalidUserRecordError extends Error {
  constructor(
    readonly userId: string,
    readonly rule: string,
  ) {
    super(`user record breaks a rule: ${rule}`);
    this.name = 'InvalidUserRecordError';
  }
}

/** The identity is valid but the directory does not know the user (403). */
export class UnknownUserError extends Error {
  constructor(readonly userId: string) {
    super('user is not in the directory');
    this.name = 'UnknownUserError';
  }
}

/**
 * A custom query (DIRECTORY_USER_QUERY, DIRECTORY_WATCHLIST_QUERY or their list forms) cannot be
 * used (start-up): the message carries the database's own words, never the query's parameters.
 */
export class DirectoryQueryError extends Error {
  constructor(
    readonly setting: string,
    reason: string,
  ) {
    super(`${setting} cannot be used: ${reason}`);
    this.name = 'DirectoryQueryError';
  }
}

/** How long a caller should wait when an identity provider could not answer. */
export const DEFAULT_RETRY_AFTER_S = 5;

/**
 * Thrown by a strategy (or a channel check) whose provider could not decide: unreachable,
 * slower than its timeout, a 5xx, an answer it cannot read. Never for bad credentials: those
 * are declined (`null`). The caller gets 503 with `Retry-After`, and nothing is signed; the
 * message goes to the log (scrubbed of secrets), never into the answer.
 */
export class IdentityProviderUnavailable extends Error {
  /** Seconds, sent as `Retry-After`. */
  readonly retryAfterS: number;

  constructor(reason: string, options: { retryAfterS?: number } = {}) {
    super(reason);
    this.name = 'IdentityProviderUnavailable';
    this.retryAfterS = options.retryAfterS ?? DEFAULT_RETRY_AFTER_S;
  }
}

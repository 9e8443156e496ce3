/** How long a caller should wait when an identity provider could not answer. */
export const DEFAULT_RETRY_AFTER_S = 5;

/** Longest `Retry-After` sent: past an hour, a client had better retry anyway. */
export const MAX_RETRY_AFTER_S = 3600;

/**
 * Thrown by a strategy (or a channel check) whose provider could not decide: unreachable,
 * slower than its timeout, a 5xx, an answer it cannot read. Never for bad credentials: those
 * are declined (`null`). The caller gets 503 with `Retry-After`, and nothing is signed; the
 * message goes to the log (scrubbed of secrets), never into the answer.
 */
export class IdentityProviderUnavailable extends Error {
  /** Whole seconds from 1 to MAX_RETRY_AFTER_S, sent as `Retry-After`. */
  readonly retryAfterS: number;

  constructor(reason: string, options: { retryAfterS?: number } = {}) {
    super(reason);
    this.name = 'IdentityProviderUnavailable';
    this.retryAfterS = retryAfterSeconds(options.retryAfterS);
  }
}

/**
 * A plugin's `retryAfterS` as a valid header value: `Retry-After` is whole seconds, and
 * anything else (a fraction, a negative, NaN, Infinity, a string with a line break) would be
 * sent as it is, or refused by Node as a 500. Not a number at all means the default.
 */
function retryAfterSeconds(value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    return DEFAULT_RETRY_AFTER_S;
  }
  return Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil(value)));
}

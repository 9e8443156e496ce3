/** A caller spent its budget (429). `retryAfterS` is when the budget allows it again. */
export class RateLimitedError extends Error {
  constructor(
    readonly limit: string,
    readonly retryAfterS: number,
  ) {
    super(`rate limit "${limit}" exceeded`);
    this.name = 'RateLimitedError';
  }
}

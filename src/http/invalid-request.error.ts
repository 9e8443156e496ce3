/**
 * A malformed request (400), found before or after the caller is identified. Each problem names
 * its field and never quotes the input, so the list is safe for the response and the log.
 */
export class InvalidRequestError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid request: ${problems.join('; ')}`);
    this.name = 'InvalidRequestError';
  }
}

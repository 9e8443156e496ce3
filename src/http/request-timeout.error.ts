/** The request did not arrive in full within `HTTP_REQUEST_TIMEOUT_MS` (Node's 408). */
export class RequestTimeoutError extends Error {
  constructor() {
    super('the request did not arrive within HTTP_REQUEST_TIMEOUT_MS');
    this.name = 'RequestTimeoutError';
  }
}

/** A request that arrived after the listener began closing: 503, Retry-After, `Connection: close`. */
export class ShuttingDownError extends Error {
  constructor() {
    super('the service is shutting down');
    this.name = 'ShuttingDownError';
  }
}

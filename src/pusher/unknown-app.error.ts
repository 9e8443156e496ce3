/** A path names an app that is not configured: answered 404, and nothing is signed. */
export class UnknownAppError extends Error {
  constructor() {
    super('unknown app');
    this.name = 'UnknownAppError';
  }
}

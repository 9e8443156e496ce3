/** The request's headers are over Node's `maxHeaderSize` (16 KiB): Node stops reading them. */
export class HeadersTooLargeError extends Error {
  constructor() {
    super('request headers are too large');
    this.name = 'HeadersTooLargeError';
  }
}

import type { FastifyRequest } from 'fastify';

/**
 * The client hung up before its answer was written (mid-body, or while it was being worked out).
 * Nobody is left to answer: an outcome to count (`aborted`, 499 in the request line, nginx's
 * "client closed request"), never an error of ours.
 */
export class ClientAbortedError extends Error {
  constructor() {
    super('the client closed the connection before the answer');
    this.name = 'ClientAbortedError';
  }
}

/**
 * Node's error for a request body cut short by its connection closing (`aborted`, ECONNRESET),
 * as it reaches the error filter through Fastify's body reader.
 */
export function isClientAbort(
  error: unknown,
  request: FastifyRequest,
): boolean {
  return (
    error instanceof Error &&
    (error as NodeJS.ErrnoException).code === 'ECONNRESET' &&
    (request.raw.destroyed || request.raw.socket?.destroyed === true)
  );
}

import type { FastifyHttpOptions } from 'fastify';
import type { Server } from 'node:http';

type TimeoutOptions = Pick<
  FastifyHttpOptions<Server>,
  'requestTimeout' | 'http' | 'forceCloseConnections' | 'return503OnClosing'
>;

/**
 * Fastify's server options that bound how long a client may take to send a request.
 *
 * - `HTTP_REQUEST_TIMEOUT_MS` bounds receiving the whole request, headers and body, from its first
 *   byte (and a new connection's silence): past it Node answers 408 and closes the connection.
 *   Without it (Fastify's default) a client that sends `Content-Length: 100` and 50 bytes holds
 *   its connection for as long as it likes, and keeps every shutdown from finishing.
 * - Node checks the deadlines every `connectionsCheckingInterval` (30 s by default, far coarser
 *   than the timeout): a tenth of the timeout, at most a second.
 * - Shutdown: idle keep-alive connections are closed at once (`'idle'`); the rest are drained by
 *   connection-drain.ts, which answers requests arriving meanwhile itself (Fastify's own 503
 *   carries no Retry-After and skips the request log), hence `return503OnClosing: false`.
 *
 * Waiting for a handler's answer is not bounded here: every dependency call has its own timeout.
 */
export function requestTimeoutOptions(timeoutMs: number): TimeoutOptions {
  return {
    requestTimeout: timeoutMs,
    http: {
      headersTimeout: timeoutMs,
      connectionsCheckingInterval: Math.min(
        1_000,
        Math.max(10, Math.floor(timeoutMs / 10)),
      ),
    },
    forceCloseConnections: 'idle',
    return503OnClosing: false,
  };
}

import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * Ids from UUIDs, ULIDs, hex or base64 trace ids fit; anything else (spaces, quotes, control
 * characters, huge values) could forge log lines or headers, so it is replaced.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:=+/@-]{1,128}$/;

/** Fastify's `genReqId`: the caller's X-Request-Id when it is safe, a fresh UUID otherwise. */
export function requestIdOf(request: { headers: IncomingHttpHeaders }): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given)
    ? given
    : randomUUID();
}

import type { FastifyRequest } from 'fastify';
import type { AuthRequest } from '../plugin/auth-request';

/** Longer than any real token; refusing early bounds the work a garbage header costs. */
const MAX_TOKEN_LENGTH = 16_384;

/**
 * A JSONP request is a `<script>` GET: it carries the visitor's cookies to any page that embeds
 * it, so it may only authenticate with a token written into its URL.
 */
export function isJsonpRequest(request: FastifyRequest): boolean {
  return request.method === 'GET';
}

export function bearerToken(request: AuthRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return match && match[1].length <= MAX_TOKEN_LENGTH ? match[1] : undefined;
}

/** The token a pusher-js `params` entry carries: the query for JSONP, the body for POST. */
export function parameterToken(
  request: AuthRequest,
  name: string,
): string | undefined {
  const value = (request.jsonp ? request.query : request.body)[name];
  return typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_TOKEN_LENGTH
    ? value
    : undefined;
}

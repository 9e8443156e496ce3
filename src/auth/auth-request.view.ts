import type { FastifyRequest } from 'fastify';
import { clientIpOf } from '../http/client-ip';
import type { AuthRequest } from '../plugin/auth-request';
import { isJsonpRequest } from './request-credentials';

/** Headers a `<script>` GET carries on its own (ambient credentials): hidden from strategies. */
const AMBIENT_CREDENTIALS = new Set(['cookie', 'authorization']);

/**
 * The read-only view of a request that strategies are handed, built once per request (each
 * strategy of a chain reads the same view). Only string values are kept: a repeated query or
 * body field keeps its first value, a repeated header its values joined by ", ".
 */
export function authRequestOf(request: FastifyRequest): AuthRequest {
  const jsonp = isJsonpRequest(request);
  const headers = record();
  for (const [name, value] of Object.entries(request.headers)) {
    if (jsonp && AMBIENT_CREDENTIALS.has(name)) continue;
    if (typeof value === 'string') headers[name] = value;
    else if (Array.isArray(value)) headers[name] = value.join(', ');
  }
  return Object.freeze({
    method: request.method,
    path: request.url.split('?', 1)[0],
    headers: Object.freeze(headers),
    cookies: Object.freeze(jsonp ? record() : parseCookies(headers.cookie)),
    query: Object.freeze(stringFields(request.query)),
    body: Object.freeze(jsonp ? record() : stringFields(request.body)),
    clientAddress: clientIpOf(request),
    jsonp,
  });
}

function stringFields(source: unknown): Record<string, string> {
  const fields = record();
  if (typeof source !== 'object' || source === null) return fields;
  for (const [name, value] of Object.entries(source)) {
    if (typeof value === 'string') fields[name] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') {
      fields[name] = value[0];
    }
  }
  return fields;
}

/** RFC 6265 cookie pairs; values URL-decoded when they decode, a name sent twice keeps its first. */
function parseCookies(header: string | undefined): Record<string, string> {
  const cookies = record();
  if (!header) return cookies;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const name = pair.slice(0, at).trim();
    if (!name || Object.hasOwn(cookies, name)) continue;
    cookies[name] = decoded(
      pair
        .slice(at + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1'),
    );
  }
  return cookies;
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Without a prototype: a caller's `__proto__` or `constructor` is a plain key like any other. */
function record(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

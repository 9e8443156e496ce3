import type { FastifyRequest } from 'fastify';
import { clientIpOf } from '../http/client-ip';
import type { AuthRequest } from '../plugin/auth-request';
import { isJsonpRequest } from './request-credentials';

/** Headers a `<script>` GET carries on its own (ambient credentials): hidden from strategies. */
const AMBIENT_CREDENTIALS = new Set(['cookie', 'authorization']);

/**
 * The read-only view of a request that strategies are handed, one per request (each strategy of
 * a chain reads the same view). Only string values are kept: a repeated query or body field keeps
 * its first value, a repeated header its values joined by ", ". Each part is worked out when a
 * strategy first reads it: the jwt strategy reads one header, and a sign-in should not pay for
 * copying the rest, parsing cookies or the query.
 */
export function authRequestOf(request: FastifyRequest): AuthRequest {
  return Object.freeze(new RequestView(request));
}

class RequestView implements AuthRequest {
  readonly method: string;
  readonly jsonp: boolean;
  #headers?: Readonly<Record<string, string>>;
  #cookies?: Readonly<Record<string, string>>;
  #query?: Readonly<Record<string, string>>;
  #body?: Readonly<Record<string, string>>;

  /** Truly private: a plugin must not reach the framework's request (and its cookies) through it. */
  readonly #request: FastifyRequest;

  constructor(request: FastifyRequest) {
    this.#request = request;
    this.method = request.method;
    this.jsonp = isJsonpRequest(request);
  }

  get path(): string {
    return this.#request.url.split('?', 1)[0];
  }

  get headers(): Readonly<Record<string, string>> {
    if (!this.#headers) {
      const headers = record();
      for (const [name, value] of Object.entries(this.#request.headers)) {
        if (this.jsonp && AMBIENT_CREDENTIALS.has(name)) continue;
        if (typeof value === 'string') headers[name] = value;
        else if (Array.isArray(value)) headers[name] = value.join(', ');
      }
      this.#headers = Object.freeze(headers);
    }
    return this.#headers;
  }

  get cookies(): Readonly<Record<string, string>> {
    this.#cookies ??= Object.freeze(
      this.jsonp ? record() : parseCookies(this.headers.cookie),
    );
    return this.#cookies;
  }

  get query(): Readonly<Record<string, string>> {
    this.#query ??= Object.freeze(stringFields(this.#request.query));
    return this.#query;
  }

  get body(): Readonly<Record<string, string>> {
    this.#body ??= Object.freeze(
      this.jsonp ? record() : stringFields(this.#request.body),
    );
    return this.#body;
  }

  get clientAddress(): string {
    return clientIpOf(this.#request);
  }
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

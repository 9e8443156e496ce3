import { timingSafeEqual } from 'node:crypto';
import type { AuthRequest } from '../../plugin/auth-request';
import type { ForwardAuthSettings } from './forward-auth.settings';

/** Longer than any real CSRF token; refusing early bounds the work a garbage header costs. */
const MAX_TOKEN_LENGTH = 4096;

/**
 * The defence a cookie-authenticated request must pass, since browsers attach cookies to
 * requests any site can trigger: an allowed `Origin`, and an `X-CSRF-Token` header (which a
 * cross-site form cannot set) that equals a cookie (double-submit) or is forwarded upstream.
 */
export class CsrfPolicy {
  constructor(private readonly settings: ForwardAuthSettings) {}

  /** Why the request fails the defence (for a debug line), or undefined when it passes. */
  refusal(request: AuthRequest): string | undefined {
    const { origin } = request.headers;
    if (typeof origin !== 'string') return 'no Origin header';
    if (!this.settings.allowedOrigins.includes(origin)) {
      return 'Origin is not in FORWARD_AUTH_ALLOWED_ORIGINS';
    }
    const token = csrfToken(request);
    if (!token) return 'no X-CSRF-Token header';
    const { csrf } = this.settings;
    if (csrf.mode === 'forward') return undefined;
    const cookies = cookieValues(request.headers.cookie, csrf.cookie);
    // Two cookies of one name means one was planted (e.g. from a sibling subdomain).
    if (cookies.length !== 1) return `not exactly one ${csrf.cookie} cookie`;
    return equalStrings(cookies[0], token)
      ? undefined
      : `X-CSRF-Token does not match the ${csrf.cookie} cookie`;
  }
}

export function csrfToken(request: AuthRequest): string | undefined {
  const value = request.headers['x-csrf-token'];
  return typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_TOKEN_LENGTH
    ? value
    : undefined;
}

/** Every value of the named cookie, URL-decoded as frameworks (Angular, axios) read them. */
function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals < 0 || pair.slice(0, equals).trim() !== name) continue;
    const raw = pair
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    try {
      values.push(decodeURIComponent(raw));
    } catch {
      values.push(raw);
    }
  }
  return values;
}

function equalStrings(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

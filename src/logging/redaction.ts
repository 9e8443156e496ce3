import { escapeForLog } from './log-escape';

/**
 * What never reaches a log line: credentials by key wherever they appear in a logged object,
 * known secret values and token-shaped text inside strings, and every query value except the
 * few that identify a request.
 */
export const REDACTED = '[Redacted]';

const SENSITIVE_KEYS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-csrf-token',
  'password',
  'secret',
  'token',
  'access_token',
  'id_token',
  'refresh_token',
  // The user signature `<key>:<hmac>` and its channel counterpart.
  'auth',
  'signature',
  'shared_secret',
];

/** The keys whose values are never logged; `JWT_QUERY_PARAM` joins them when set. */
export function sensitiveKeys(
  credentialParameters: readonly string[] = [],
): ReadonlySet<string> {
  return new Set([...SENSITIVE_KEYS, ...credentialParameters]);
}

/**
 * pino `redact` paths: each key at the top level and in request/response headers. One level
 * down under any key is handled by `redactNested` (pino's `*.key` wildcards cost ~25 µs a line).
 */
export function redactPaths(keys: ReadonlySet<string>): string[] {
  const paths: string[] = [];
  for (const key of keys) {
    const path = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const nested = path.startsWith('[') ? path : `.${path}`;
    paths.push(path, `req.headers${nested}`, `res.headers${nested}`);
  }
  return paths;
}

/** A copy of `value` with its sensitive keys replaced, or `value` itself when it has none. */
export function redactNested(
  value: Record<string, unknown>,
  keys: ReadonlySet<string>,
): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    if (keys.has(key.toLowerCase())) {
      copy ??= { ...value };
      copy[key] = REDACTED;
    }
  }
  return copy ?? value;
}

/** Query parameters whose values help an operator and can never carry a credential. */
const SAFE_QUERY_PARAMS = new Set(['socket_id', 'callback', 'channel_name']);

/**
 * The URL as logged: path kept, every query value but the safe ones replaced. The root logger
 * cuts it to LOG_VALUE_MAX_CHARS, like every string field.
 */
export function safeUrl(
  url: string,
  credentialParameters: readonly string[] = [],
): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const [rawName] = pair.split('=', 1);
      const name = decodeOrKeep(rawName);
      const keep =
        SAFE_QUERY_PARAMS.has(name) && !credentialParameters.includes(name);
      return keep ? pair : `${rawName}=${REDACTED}`;
    })
    .join('&');
  return `${url.slice(0, queryStart)}?${query}`;
}

function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * One pass for every token shape: JWS/JWE compact serialisations (a base64url JSON header starts
 * with "eyJ"), bearer/basic credentials, and hex HMAC-SHA256 values (a Pusher signature).
 */
const TOKEN_PATTERN =
  /eyJ[\w-]{2,}\.[\w-]{2,}\.[\w-]*(?:\.[\w-]*\.[\w-]*)?|\b(Bearer|Basic)\s+[^\s"',;]+|\b[0-9a-f]{64}\b/gi;

/** Secrets shorter than this are not searched for: they would redact ordinary words. */
const MIN_SECRET_LENGTH = 6;

/**
 * Replaces configured secret values and token-shaped text in a string, and escapes the
 * characters that would change how the line reads (log-escape.ts). Every message, error message
 * and stack trace goes through it, so `\n` and `\t` stay (ours are multi-line); a string field is
 * then cut and escaped entirely by `truncateForLog`.
 */
export function createScrubber(
  secrets: readonly (string | undefined)[],
): (text: string) => string {
  const values = secrets.filter(
    (secret): secret is string =>
      typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH,
  );
  return (text) => {
    let result = text;
    for (const secret of values) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    result = result.replace(TOKEN_PATTERN, (_match, scheme?: string) =>
      scheme ? `${scheme} ${REDACTED}` : REDACTED,
    );
    return escapeForLog(result, true);
  };
}

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

/** pino `redact` paths: each key at the top level, one level down, and in request headers. */
export function redactPaths(tokenParam?: string): string[] {
  const keys = tokenParam ? [...SENSITIVE_KEYS, tokenParam] : SENSITIVE_KEYS;
  const paths = new Set<string>();
  for (const key of keys) {
    const path = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const nested = path.startsWith('[') ? path : `.${path}`;
    paths.add(path);
    paths.add(`*${nested}`);
    paths.add(`req.headers${nested}`);
    paths.add(`res.headers${nested}`);
  }
  return [...paths];
}

/** Query parameters whose values help an operator and can never carry a credential. */
const SAFE_QUERY_PARAMS = new Set(['socket_id', 'callback', 'channel_name']);
const MAX_LOGGED_URL = 512;

/** The URL as logged: path kept, every query value but the safe ones replaced. */
export function safeUrl(url: string, tokenParam?: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url.slice(0, MAX_LOGGED_URL);
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const [rawName] = pair.split('=', 1);
      const name = decodeOrKeep(rawName);
      const keep = SAFE_QUERY_PARAMS.has(name) && name !== tokenParam;
      return keep ? pair : `${rawName}=${REDACTED}`;
    })
    .join('&');
  return `${url.slice(0, queryStart)}?${query}`.slice(0, MAX_LOGGED_URL);
}

function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

const TOKEN_PATTERNS: [RegExp, string][] = [
  // JWS/JWE compact serialisation: a base64url JSON header starts with "eyJ".
  [/eyJ[\w-]{2,}\.[\w-]{2,}\.[\w-]*(\.[\w-]*\.[\w-]*)?/g, REDACTED],
  [/\b(Bearer|Basic)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`],
  // A Pusher signature: hex HMAC-SHA256.
  [/\b[0-9a-f]{64}\b/gi, REDACTED],
];

/** Secrets shorter than this are not searched for: they would redact ordinary words. */
const MIN_SECRET_LENGTH = 6;

/** Replaces configured secret values and token-shaped text in a string. */
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
    for (const [pattern, replacement] of TOKEN_PATTERNS) {
      result = result.replace(pattern, replacement);
    }
    return result;
  };
}

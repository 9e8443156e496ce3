/**
 * What a policy rule's `allow` asks when it leaves the decision to the team's own data:
 *
 *   allow: { sql: "SELECT 1 FROM doc_viewers WHERE doc_id = :doc AND user_id = :user" }
 *   allow: { http: "https://app.internal/channel-access" }          (or { url, timeout_ms })
 *   allow: { check: document-access }                                (a plugin's channel check)
 */
export type RelationSpec =
  | { kind: 'sql'; query: string; parameters: readonly string[] }
  | { kind: 'http'; url: string; timeoutMs: number }
  | { kind: 'check'; name: string };

/** Parameters every relation may use, besides the pattern's named captures. */
export const BUILT_IN_PARAMETERS = ['user', 'app', 'channel'] as const;

/** Longest an `http` relation may take unless its rule says otherwise. */
export const DEFAULT_HTTP_TIMEOUT_MS = 2_000;

/** One line naming a relation in logs and explanations (never a secret: URLs lose their query). */
export function describeRelation(spec: RelationSpec): string {
  switch (spec.kind) {
    case 'sql':
      return 'sql relation';
    case 'http': {
      const url = new URL(spec.url);
      return `http relation (${url.origin}${url.pathname})`;
    }
    case 'check':
      return `channel check ${spec.name}`;
    default: {
      const unknown: never = spec;
      throw new Error(`unknown relation ${String(unknown)}`);
    }
  }
}

/**
 * The `:name` parameters of a query, outside string literals, quoted identifiers, comments and
 * `::` casts, in order of first use.
 */
export function sqlParameters(query: string): string[] {
  const names: string[] = [];
  forEachParameter(query, (name) => {
    if (!names.includes(name)) names.push(name);
  });
  return names;
}

/** The query with each `:name` replaced by `$n` (PostgreSQL), n its place in `sqlParameters`. */
export function toPositional(
  query: string,
  parameters: readonly string[],
): string {
  let out = '';
  let last = 0;
  forEachParameter(query, (name, start, end) => {
    out += `${query.slice(last, start)}$${parameters.indexOf(name) + 1}`;
    last = end;
  });
  return out + query.slice(last);
}

function forEachParameter(
  query: string,
  found: (name: string, start: number, end: number) => void,
): void {
  let i = 0;
  while (i < query.length) {
    const char = query[i];
    if (char === "'" || char === '"') {
      const close = query.indexOf(char, i + 1);
      i = close < 0 ? query.length : close + 1;
    } else if (char === '-' && query[i + 1] === '-') {
      const close = query.indexOf('\n', i);
      i = close < 0 ? query.length : close + 1;
    } else if (char === '/' && query[i + 1] === '*') {
      const close = query.indexOf('*/', i + 2);
      i = close < 0 ? query.length : close + 2;
    } else if (char === ':' && query[i + 1] === ':') {
      i += 2;
    } else if (char === ':') {
      const match = /^[a-z][a-z0-9_]*/.exec(query.slice(i + 1));
      if (match) found(match[0], i, i + 1 + match[0].length);
      i += 1 + (match?.[0].length ?? 0);
    } else {
      i++;
    }
  }
}

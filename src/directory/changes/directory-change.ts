/** What a change notification says happened in the directory. */
export type DirectoryChange =
  /** The user was written (or their watchlist was): reload on next use. */
  | { kind: 'changed'; id: string }
  /** The user is gone: forget them, and maybe end their live connections. */
  | { kind: 'removed'; id: string }
  /** Anything may have changed (a bulk write, or notifications were missed): forget everything. */
  | { kind: 'reset' }
  /** The user's groups, or the grants to the user, changed: reload their channel access. */
  | { kind: 'access-changed'; id: string }
  /** A group's grants changed (or many memberships at once): reload everyone's channel access. */
  | { kind: 'access-reset' }
  /** The team's own tables behind `sql` relations changed: ask every relation again. */
  | { kind: 'relations-reset' }
  /**
   * A grant or a membership was taken away: read the revocation log (migration 0005). Only a
   * hint to look: what was revoked is read from the log, never from a notification.
   */
  | { kind: 'revoked' };

/**
 * The PostgreSQL channel the built-in triggers notify on. Your own triggers (for tables read by
 * DIRECTORY_USER_QUERY) may notify here too, with the same JSON payloads.
 */
export const CHANGE_CHANNEL = 'pusher_auth_directory';

/**
 * Reads a payload `{"op":"change"|"delete"|"access","id":"…"}` or
 * `{"op":"reset"|"access-reset"|"relations"|"revoke"}` (the built-in triggers' format, and the SQLite change
 * log's `op`). Anything else is unreadable: null.
 */
export function parseChange(op: unknown, id: unknown): DirectoryChange | null {
  if (op === 'reset') return { kind: 'reset' };
  if (op === 'access-reset') return { kind: 'access-reset' };
  if (op === 'relations') return { kind: 'relations-reset' };
  if (op === 'revoke') return { kind: 'revoked' };
  if (typeof id !== 'string' || id === '') return null;
  if (op === 'change') return { kind: 'changed', id };
  if (op === 'delete') return { kind: 'removed', id };
  if (op === 'access') return { kind: 'access-changed', id };
  return null;
}

export function parseChangePayload(payload: string): DirectoryChange | null {
  try {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { op, id } = parsed as Record<string, unknown>;
    return parseChange(op, id);
  } catch {
    return null;
  }
}

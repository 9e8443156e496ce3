import type { DirectoryUser } from '../directory/directory-user';
import { InvalidUserRecordError } from '../directory/directory.errors';
import { quoteForLog } from '../logging/truncate';
import { distinctWatched, type UserRules } from '../directory/user-rules';

/** One line of an import or export file (JSON Lines). */
export interface UserRecord {
  id: string;
  user_info: Record<string, unknown> | null;
  watchlist: string[];
}

/** A user as it will be stored, and how many watchlist entries were dropped on the way. */
export interface CheckedUser {
  user: DirectoryUser;
  dropped: number;
}

const FIELDS = new Set(['id', 'user_info', 'watchlist']);

/**
 * A lone UTF-16 surrogate (JSON allows `"\ud800"`) or a NUL: PostgreSQL refuses to store either
 * in jsonb, and would fail the whole import's transaction; SQLite would keep what PostgreSQL
 * cannot, so an export from one would not import into the other.
 */
const LONE_SURROGATE = /[\ud800-\udfff]/u;
const unstorable = (text: string): boolean =>
  LONE_SURROGATE.test(text) || text.includes('\u0000');

/**
 * A record from an import file, checked against the user rules the service signs by, so a file
 * cannot store what would then be refused at sign-in. Throws an Error whose message names the
 * problem (never the line's content beyond a field name).
 */
export function parseRecord(line: string, rules: UserRules): CheckedUser {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new Error('not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('must be a JSON object {"id","user_info","watchlist"}');
  }
  const record = parsed as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !FIELDS.has(key));
  if (unknown.length > 0) {
    throw new Error(
      `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => quoteForLog(key)).join(', ')}`,
    );
  }
  if (typeof record.id !== 'string') throw new Error('id must be a string');
  const watchlist: unknown = record.watchlist ?? [];
  if (!Array.isArray(watchlist)) {
    throw new Error('watchlist must be an array of ids');
  }
  if (!watchlist.every((entry): entry is string => typeof entry === 'string')) {
    throw new Error('watchlist entries must be valid user ids');
  }
  return checkUser(
    { id: record.id, userInfo: record.user_info ?? null, watchlist },
    rules,
  );
}

/**
 * The user rules, as one message; the user comes back as the service signs it (the watchlist
 * without repeats or the user's own id), so what is stored and exported is what is signed.
 */
export function checkUser(user: DirectoryUser, rules: UserRules): CheckedUser {
  try {
    rules.toPusherUser(user);
  } catch (error) {
    if (error instanceof InvalidUserRecordError)
      throw new Error(error.rule, { cause: error });
    throw error;
  }
  if (hasUnstorableText(user.userInfo)) {
    throw new Error(
      'user_info text must be valid Unicode without NUL characters (no lone \\ud800-\\udfff or \\u0000 escapes)',
    );
  }
  const watchlist = distinctWatched(user.id, user.watchlist);
  return {
    user: watchlist === user.watchlist ? user : { ...user, watchlist },
    dropped: user.watchlist.length - watchlist.length,
  };
}

/** What a warning says when checkUser dropped watchlist entries. */
export function droppedNote(dropped: number): string {
  return `dropped ${dropped} watchlist ${dropped === 1 ? 'entry' : 'entries'} (repeated ids, or the user's own id)`;
}

function hasUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return unstorable(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasUnstorableText);
  return Object.entries(value).some(
    ([key, entry]) => unstorable(key) || hasUnstorableText(entry),
  );
}

export function toRecord(user: DirectoryUser): UserRecord {
  return {
    id: user.id,
    user_info: (user.userInfo ?? null) as Record<string, unknown> | null,
    watchlist: user.watchlist,
  };
}

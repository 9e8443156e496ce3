import type { DirectoryUser } from '../directory/directory-user';
import { InvalidUserRecordError } from '../directory/directory.errors';
import type { UserRules } from '../directory/user-rules';

/** One line of an import or export file (JSON Lines). */
export interface UserRecord {
  id: string;
  user_info: Record<string, unknown> | null;
  watchlist: string[];
}

const FIELDS = new Set(['id', 'user_info', 'watchlist']);

/**
 * A record from an import file, checked against the user rules the service signs by, so a file
 * cannot store what would then be refused at sign-in. Throws an Error whose message names the
 * problem (never the line's content beyond a field name).
 */
export function parseRecord(line: string, rules: UserRules): DirectoryUser {
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
      `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => JSON.stringify(key)).join(', ')}`,
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

/** The user rules, as one message. */
export function checkUser(
  user: DirectoryUser,
  rules: UserRules,
): DirectoryUser {
  try {
    rules.toPusherUser(user);
  } catch (error) {
    if (error instanceof InvalidUserRecordError)
      throw new Error(error.rule, { cause: error });
    throw error;
  }
  return user;
}

export function toRecord(user: DirectoryUser): UserRecord {
  return {
    id: user.id,
    user_info: (user.userInfo ?? null) as Record<string, unknown> | null,
    watchlist: user.watchlist,
  };
}

import type { DirectoryUser } from '../directory-user';
import {
  DirectoryQueryError,
  InvalidUserRecordError,
} from '../directory.errors';
import { decodeJsonText } from '../stored-json';

/**
 * Your own SQL, `$1` = the user id (validated: all use it); for `users` and `watchlists`, `$1` =
 * a list of ids (a text[] on PostgreSQL, a JSON array on SQLite).
 */
export interface CustomQueries {
  user: string;
  watchlist?: string;
  users?: string;
  watchlists?: string;
}

export const USER_QUERY = 'DIRECTORY_USER_QUERY';
export const WATCHLIST_QUERY = 'DIRECTORY_WATCHLIST_QUERY';
export const USERS_QUERY = 'DIRECTORY_USERS_QUERY';
export const WATCHLISTS_QUERY = 'DIRECTORY_WATCHLISTS_QUERY';

export type QuerySetting =
  | typeof USER_QUERY
  | typeof WATCHLIST_QUERY
  | typeof USERS_QUERY
  | typeof WATCHLISTS_QUERY;

/** The settings whose rows made a user, named when a row is refused. */
export interface RowSources {
  user: typeof USER_QUERY | typeof USERS_QUERY;
  watchlist: typeof WATCHLIST_QUERY | typeof WATCHLISTS_QUERY;
}

const ONE_USER: RowSources = { user: USER_QUERY, watchlist: WATCHLIST_QUERY };

/** The columns each query must return; checked once at start-up. */
export const REQUIRED_COLUMNS: Record<QuerySetting, readonly string[]> = {
  [USER_QUERY]: ['user_info'],
  [WATCHLIST_QUERY]: ['id'],
  // The id says which user a row answers; the rest is what USER_QUERY returns for one.
  [USERS_QUERY]: ['id', 'user_info'],
  [WATCHLISTS_QUERY]: ['user_id', 'id'],
};

export function checkColumns(
  setting: QuerySetting,
  columns: readonly string[],
): void {
  for (const required of REQUIRED_COLUMNS[setting]) {
    if (!columns.includes(required)) {
      throw new DirectoryQueryError(
        setting,
        `it must return a column named "${required}" (it returns ${columns.length > 0 ? columns.map((name) => `"${name}"`).join(', ') : 'no columns'})`,
      );
    }
  }
}

export type Row = Record<string, unknown>;

/**
 * Maps your rows onto a directory user. What the rows hold is checked later by the user rules,
 * exactly as for the built-in tables; only shapes no rule could judge are refused here.
 */
export function userFromRows(
  id: string,
  userRows: Row[],
  watchlistRows: Row[],
  from: RowSources = ONE_USER,
): DirectoryUser | null {
  if (userRows.length === 0) return null;
  if (userRows.length > 1) {
    throw new InvalidUserRecordError(
      id,
      `${from.user} returned ${userRows.length} rows${from.user === USERS_QUERY ? ' for this id' : ''} (at most one expected)`,
    );
  }
  return {
    id,
    userInfo: decodeJsonText(userRows[0].user_info),
    watchlist: watchlistRows.map((row) => watchedId(id, row.id, from)),
  };
}

/** Integer keys become strings, as pusher-js requires of ids (bigint already arrives as text). */
function watchedId(userId: string, value: unknown, from: RowSources): string {
  const id = idText(value);
  if (id !== undefined) return id;
  throw new InvalidUserRecordError(
    userId,
    `${from.watchlist} returned an id that is neither text nor an integer`,
  );
}

/** An id column's value as text: integers become strings; anything else is no id. */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return String(value);
  }
  return undefined;
}

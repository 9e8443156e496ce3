import type { DirectoryUser } from '../directory-user';
import {
  DirectoryQueryError,
  InvalidUserRecordError,
} from '../directory.errors';
import { decodeJsonText } from '../stored-json';

/** Your own SQL, `$1` = the user id (validated: both use it). */
export interface CustomQueries {
  user: string;
  watchlist?: string;
}

export const USER_QUERY = 'DIRECTORY_USER_QUERY';
export const WATCHLIST_QUERY = 'DIRECTORY_WATCHLIST_QUERY';

/** The column each query must return; checked once at start-up. */
export const REQUIRED_COLUMN = {
  [USER_QUERY]: 'user_info',
  [WATCHLIST_QUERY]: 'id',
} as const;

export function checkColumns(
  setting: keyof typeof REQUIRED_COLUMN,
  columns: readonly string[],
): void {
  const required = REQUIRED_COLUMN[setting];
  if (!columns.includes(required)) {
    throw new DirectoryQueryError(
      setting,
      `it must return a column named "${required}" (it returns ${columns.length > 0 ? columns.map((name) => `"${name}"`).join(', ') : 'no columns'})`,
    );
  }
}

type Row = Record<string, unknown>;

/**
 * Maps your rows onto a directory user. What the rows hold is checked later by the user rules,
 * exactly as for the built-in tables; only shapes no rule could judge are refused here.
 */
export function userFromRows(
  id: string,
  userRows: Row[],
  watchlistRows: Row[],
): DirectoryUser | null {
  if (userRows.length === 0) return null;
  if (userRows.length > 1) {
    throw new InvalidUserRecordError(
      id,
      `${USER_QUERY} returned ${userRows.length} rows (at most one expected)`,
    );
  }
  return {
    id,
    userInfo: decodeJsonText(userRows[0].user_info),
    watchlist: watchlistRows.map((row) => watchedId(id, row.id)),
  };
}

/** Integer keys become strings, as pusher-js requires of ids (bigint already arrives as text). */
function watchedId(userId: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return String(value);
  }
  throw new InvalidUserRecordError(
    userId,
    `${WATCHLIST_QUERY} returned an id that is neither text nor an integer`,
  );
}

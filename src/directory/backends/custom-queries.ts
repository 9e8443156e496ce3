import type { DirectoryUser } from '../directory-user';
import {
  DirectoryQueryError,
  InvalidUserRecordError,
} from '../directory.errors';
import { decodeJsonText } from '../stored-json';

/**
 * Your own SQL, `$1` = the user id (validated: all use it); for `users`, `$1` = a list of ids
 * (a text[] on PostgreSQL, a JSON array on SQLite).
 */
export interface CustomQueries {
  user: string;
  watchlist?: string;
  users?: string;
}

export const USER_QUERY = 'DIRECTORY_USER_QUERY';
export const WATCHLIST_QUERY = 'DIRECTORY_WATCHLIST_QUERY';
export const USERS_QUERY = 'DIRECTORY_USERS_QUERY';

export type QuerySetting =
  typeof USER_QUERY | typeof WATCHLIST_QUERY | typeof USERS_QUERY;

/** The columns each query must return; checked once at start-up. */
export const REQUIRED_COLUMNS: Record<QuerySetting, readonly string[]> = {
  [USER_QUERY]: ['user_info'],
  [WATCHLIST_QUERY]: ['id'],
  // The id says which user a row answers; the rest is what USER_QUERY returns for one.
  [USERS_QUERY]: ['id', 'user_info'],
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
  setting: typeof USER_QUERY | typeof USERS_QUERY = USER_QUERY,
): DirectoryUser | null {
  if (userRows.length === 0) return null;
  if (userRows.length > 1) {
    throw new InvalidUserRecordError(
      id,
      `${setting} returned ${userRows.length} rows${setting === USERS_QUERY ? ' for this id' : ''} (at most one expected)`,
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
  const id = idText(value);
  if (id !== undefined) return id;
  throw new InvalidUserRecordError(
    userId,
    `${WATCHLIST_QUERY} returned an id that is neither text nor an integer`,
  );
}

function idText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return String(value);
  }
  return undefined;
}

/**
 * The rows of USERS_QUERY under each id asked (none: an unknown user). Rows for an id not asked
 * (or one that is not text or an integer) answer nobody and are dropped, as a WHERE clause
 * wider than `$1` would be harmless; two rows for one id refuse that id alone, exactly as two
 * rows from USER_QUERY do (userFromRows).
 */
export function rowsById(
  ids: readonly string[],
  rows: readonly Row[],
): Map<string, Row[]> {
  const byId = new Map<string, Row[]>(ids.map((id) => [id, []]));
  for (const row of rows) {
    const id = idText(row.id);
    if (id !== undefined) byId.get(id)?.push(row);
  }
  return byId;
}

/**
 * Several users from USERS_QUERY's rows: each id keeps its own answer (a user, null or its own
 * error), and watchlists, which WATCHLIST_QUERY reads one user at a time, are read for the users
 * found only, side by side.
 */
export async function usersFromRows(
  ids: readonly string[],
  rows: readonly Row[],
  readWatchlist: (id: string) => Promise<Row[]>,
): Promise<Map<string, DirectoryUser | null | Error>> {
  const byId = [...rowsById(ids, rows)];
  const answers = await Promise.all(
    byId.map(async ([id, userRows]) => {
      try {
        const watchlistRows =
          userRows.length === 1 ? await readWatchlist(id) : [];
        return userFromRows(id, userRows, watchlistRows, USERS_QUERY);
      } catch (error) {
        // Backends throw domain errors (directory.errors.ts), always Errors.
        return error as Error;
      }
    }),
  );
  return new Map(byId.map(([id], index) => [id, answers[index]]));
}

import type { DirectoryUser } from '../directory-user';
import {
  idText,
  Row,
  userFromRows,
  USERS_QUERY,
  WATCHLIST_QUERY,
  WATCHLISTS_QUERY,
} from './custom-queries';

export interface WatchlistsReader {
  setting: typeof WATCHLIST_QUERY | typeof WATCHLISTS_QUERY;
  /** The watchlist rows of each user asked, or the error that concerns that user alone. */
  read(ids: string[]): Promise<Map<string, Row[] | Error>>;
}

/**
 * The rows under each id asked, by `column` (none: no row for that id). A row for an id not
 * asked, or whose id is neither text nor an integer, answers nobody and is dropped: a WHERE
 * clause wider than `$1` is harmless. Several rows for one id all stay under it, so two user
 * rows refuse that user alone, as two rows from DIRECTORY_USER_QUERY do (userFromRows).
 */
export function rowsById(
  ids: readonly string[],
  rows: readonly Row[],
  column: 'id' | 'user_id',
): Map<string, Row[]> {
  const byId = new Map<string, Row[]>(ids.map((id) => [id, []]));
  for (const row of rows) {
    const id = idText(row[column]);
    if (id !== undefined) byId.get(id)?.push(row);
  }
  return byId;
}

/**
 * Watchlists in one query (DIRECTORY_WATCHLISTS_QUERY, rows keep their order within a user),
 * or, without it, DIRECTORY_WATCHLIST_QUERY once per user, side by side, each failing alone.
 */
export function watchlistsReader(
  readList: ((ids: string[]) => Promise<Row[]>) | undefined,
  readOne: (id: string) => Promise<Row[]>,
): WatchlistsReader {
  if (readList !== undefined) {
    return {
      setting: WATCHLISTS_QUERY,
      read: async (ids) => rowsById(ids, await readList(ids), 'user_id'),
    };
  }
  return {
    setting: WATCHLIST_QUERY,
    read: async (ids) =>
      new Map(
        await Promise.all(
          ids.map(
            async (id) =>
              [id, await readOne(id).catch((error: Error) => error)] as const,
          ),
        ),
      ),
  };
}

/**
 * Several users from DIRECTORY_USERS_QUERY's rows. Each id keeps its own answer (a user, null
 * or its own error); watchlists are read afterwards for the users found only. A watchlist read
 * that fails as a whole (the list query) fails the whole read, as the user rows' query would.
 */
export async function usersFromRows(
  ids: readonly string[],
  rows: readonly Row[],
  readWatchlists: WatchlistsReader,
): Promise<Map<string, DirectoryUser | null | Error>> {
  const userRows = rowsById(ids, rows, 'id');
  const found = [...userRows.keys()].filter(
    (id) => userRows.get(id)!.length === 1,
  );
  const watchlists =
    found.length > 0
      ? await readWatchlists.read(found)
      : new Map<string, Row[]>();
  const answers = new Map<string, DirectoryUser | null | Error>();
  for (const [id, rowsOfId] of userRows) {
    const watchlistRows = watchlists.get(id) ?? [];
    if (watchlistRows instanceof Error) {
      answers.set(id, watchlistRows);
      continue;
    }
    try {
      answers.set(
        id,
        userFromRows(id, rowsOfId, watchlistRows, {
          user: USERS_QUERY,
          watchlist: readWatchlists.setting,
        }),
      );
    } catch (error) {
      // userFromRows throws InvalidUserRecordError, which concerns this id alone.
      answers.set(id, error as Error);
    }
  }
  return answers;
}

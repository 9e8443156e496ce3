import { InvalidUserRecordError } from './directory.errors';
import type { DirectoryUser } from './directory-user';

/** The user object Pusher accepts in `user_data`, ready to sign. */
export interface PusherUser {
  id: string;
  user_info?: Record<string, unknown>;
  watchlist?: string[];
}

/**
 * Pusher rejects other characters at sign-in: the id becomes part of `#server-to-user-<id>`.
 * `.` and `..` are refused too: the id is also a path segment of the REST API
 * (`/users/<id>/terminate_connections`), and an HTTP client resolves dot segments, so the call
 * would go to another path than the one signed.
 */
const USER_ID = /^(?!\.\.?$)[A-Za-z0-9_\-=@,.;]{1,128}$/;

/** USER_ID in words, for every message about an id (CLI, policy file, log lines). */
export const USER_ID_RULE =
  '1-128 characters of A-Z a-z 0-9 _ - = @ , . ; (not "." or "..")';

/** The rule a record or an identity breaks when its id is not a Pusher user id. */
export const INVALID_USER_ID = `id must be ${USER_ID_RULE}`;

export function isValidUserId(id: unknown): id is string {
  return typeof id === 'string' && USER_ID.test(id);
}

/** The contract's user rules, with the limits from configuration. */
export class UserRules {
  constructor(
    private readonly watchlistMax: number,
    private readonly userInfoMaxBytes: number,
  ) {}

  /**
   * The longest a valid user can be as compact JSON (`{"id","user_info","watchlist"}`): the
   * limits a file reader needs to bound a record before parsing it.
   */
  get largestRecordBytes(): number {
    // An id is at most 128 ASCII characters; with its quotes and comma, 131 bytes a watchlist entry.
    return 128 + this.userInfoMaxBytes + this.watchlistMax * 131 + 64;
  }

  /**
   * Returns the user as Pusher will see it, or throws InvalidUserRecordError naming the rule.
   * The watchlist is signed without repeated ids and without the user's own: Pusher gains
   * nothing from either, and WATCHLIST_MAX counts the ids that remain.
   */
  toPusherUser(user: DirectoryUser): PusherUser {
    const fail = (rule: string): never => {
      throw new InvalidUserRecordError(user.id, rule);
    };
    if (!isValidUserId(user.id)) {
      fail(INVALID_USER_ID);
    }
    const result: PusherUser = { id: user.id };
    if (user.userInfo !== null && user.userInfo !== undefined) {
      if (typeof user.userInfo !== 'object' || Array.isArray(user.userInfo)) {
        fail('user_info must be a JSON object');
      }
      const size = Buffer.byteLength(JSON.stringify(user.userInfo), 'utf8');
      if (size > this.userInfoMaxBytes) {
        fail(
          `user_info must be at most ${this.userInfoMaxBytes} bytes as JSON (is ${size})`,
        );
      }
      result.user_info = user.userInfo as Record<string, unknown>;
    }
    if (!user.watchlist.every(isValidUserId)) {
      fail('watchlist entries must be valid user ids');
    }
    const watchlist = distinctWatched(user.id, user.watchlist);
    if (watchlist.length > this.watchlistMax) {
      const counted =
        watchlist === user.watchlist
          ? ''
          : " once repeats and the user's own id are dropped";
      fail(
        `watchlist must have at most ${this.watchlistMax} entries (has ${watchlist.length}${counted})`,
      );
    }
    if (watchlist.length > 0) result.watchlist = watchlist;
    return result;
  }
}

/** The watchlist in its order, each id once, without the user's own; the same array when clean. */
export function distinctWatched(
  id: string,
  watchlist: readonly string[],
): string[] {
  const seen = new Set<string>([id]);
  const kept = watchlist.filter((entry) => {
    if (seen.has(entry)) return false;
    seen.add(entry);
    return true;
  });
  return kept.length === watchlist.length ? (watchlist as string[]) : kept;
}

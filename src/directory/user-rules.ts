import { InvalidUserRecordError } from './directory.errors';
import type { DirectoryUser } from './directory-user';

/** The user object Pusher accepts in `user_data`, ready to sign. */
export interface PusherUser {
  id: string;
  user_info?: Record<string, unknown>;
  watchlist?: string[];
}

/** Pusher rejects other characters at sign-in: the id becomes part of `#server-to-user-<id>`. */
const USER_ID = /^[A-Za-z0-9_\-=@,.;]{1,128}$/;

/** USER_ID in words, for every message about an id (CLI, policy file, log lines). */
export const USER_ID_RULE = '1-128 characters of A-Z a-z 0-9 _ - = @ , . ;';

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

  /** Returns the user as Pusher will see it, or throws InvalidUserRecordError naming the rule. */
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
    if (user.watchlist.length > this.watchlistMax) {
      fail(
        `watchlist must have at most ${this.watchlistMax} entries (has ${user.watchlist.length})`,
      );
    }
    if (!user.watchlist.every(isValidUserId)) {
      fail('watchlist entries must be valid user ids');
    }
    if (user.watchlist.length > 0) result.watchlist = user.watchlist;
    return result;
  }
}

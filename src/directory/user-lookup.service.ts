import { Injectable, Logger, Optional } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { DirectoryChangeFeed } from './changes/directory-change-feed';
import { InvalidUserRecordError, UnknownUserError } from './directory.errors';
import { UserCache } from './user-cache';
import { UserDirectory } from './user-directory';
import { isValidUserId, PusherUser, UserRules } from './user-rules';

/** Turns an identified caller into the user object Pusher signs. */
@Injectable()
export class UserLookupService {
  private readonly logger = new Logger('UserLookup');
  private readonly rules: UserRules;
  private readonly cache: UserCache;

  constructor(
    private readonly directory: UserDirectory,
    private readonly config: AppConfig,
    changes: DirectoryChangeFeed,
    @Optional() metrics?: Metrics,
  ) {
    this.rules = new UserRules(
      config.userRules.watchlistMax,
      config.userRules.userInfoMaxBytes,
    );
    this.cache = new UserCache({
      ttlMs: config.directory.cacheTtlMs,
      staleIfErrorMs: config.directory.staleIfErrorMs,
      onStale: (id, ageMs) =>
        this.logger.warn(
          `user directory unavailable: serving user ${JSON.stringify(id)} as loaded ${ageMs} ms ago (DIRECTORY_STALE_IF_ERROR_MS)`,
        ),
      observe: (result) => metrics?.recordCacheLookup(result),
    });
    changes.subscribe((change) => {
      if (change.kind === 'reset') this.cache.reset();
      else if (change.kind === 'changed' || change.kind === 'removed')
        this.cache.invalidate(change.id);
      // Channel access changes leave user records as they are.
    });
  }

  /**
   * @throws UnknownUserError, InvalidUserRecordError (both 403), DirectoryUnavailableError (503)
   */
  async lookup(
    id: string,
    claims: Record<string, unknown>,
  ): Promise<PusherUser> {
    if (!isValidUserId(id)) {
      // Checked before storage is asked: such an id cannot be in a valid record anyway.
      throw new InvalidUserRecordError(
        id,
        'id must be 1-128 characters of A-Z a-z 0-9 _ - = @ , . ;',
      );
    }
    const user = await this.cache.getOrLoad(id, async () => {
      const stored = await this.directory.findUser(id);
      return stored && this.rules.toPusherUser(stored);
    });
    if (user) return user;
    if (this.config.directory.unknownUsers === 'claims') {
      return this.rules.toPusherUser({
        id,
        userInfo: userInfoFromClaims(claims),
        watchlist: [],
      });
    }
    throw new UnknownUserError(id);
  }
}

/** Only display fields: a token's other claims (roles, scopes) must not reach other members. */
function userInfoFromClaims(
  claims: Record<string, unknown>,
): Record<string, string> | null {
  const info: Record<string, string> = {};
  for (const field of ['name', 'email'] as const) {
    if (typeof claims[field] === 'string') info[field] = claims[field];
  }
  return Object.keys(info).length > 0 ? info : null;
}

import { Injectable, Logger, Optional } from '@nestjs/common';
import { LoadingCache } from '../cache/loading-cache';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { DirectoryChangeFeed } from './changes/directory-change-feed';
import {
  DirectoryUnavailableError,
  InvalidUserRecordError,
  UnknownUserError,
} from './directory.errors';
import { UserDirectory } from './user-directory';
import { UserReadBatcher } from './user-read-batcher';
import {
  INVALID_USER_ID,
  isValidUserId,
  PusherUser,
  UserRules,
} from './user-rules';
import { quoteForLog } from '../logging/truncate';

/**
 * Turns an identified caller into the user object Pusher signs. Loaded users are reused for
 * `DIRECTORY_CACHE_TTL_MS`; concurrent misses for one id share a single storage read (a sign-in
 * burst after a reconnect wave would otherwise multiply them), and the misses of one event-loop
 * turn are read together (UserReadBatcher). Change notifications forget a user, or age every
 * entry at once (`reset`).
 */
@Injectable()
export class UserLookupService {
  private readonly logger = new Logger('UserLookup');
  private readonly rules: UserRules;
  private readonly cache: LoadingCache<PusherUser | null>;
  private readonly reads: UserReadBatcher;

  constructor(
    directory: UserDirectory,
    private readonly config: AppConfig,
    changes: DirectoryChangeFeed,
    @Optional() metrics?: Metrics,
  ) {
    this.reads = new UserReadBatcher(directory);
    this.rules = new UserRules(
      config.userRules.watchlistMax,
      config.userRules.userInfoMaxBytes,
    );
    this.cache = new LoadingCache({
      // Bounded so a flood of distinct users cannot grow memory without limit.
      max: config.directory.cacheMaxUsers,
      ttlMs: config.directory.cacheTtlMs,
      // An unknown user may be created any moment: asked about again each time.
      keep: (user) => user !== null,
      staleIfError: {
        windowMs: config.directory.staleIfErrorMs,
        when: (error) => error instanceof DirectoryUnavailableError,
        onStale: (id, ageMs) =>
          this.logger.warn(
            `user directory unavailable: serving user ${quoteForLog(id)} as loaded ${ageMs} ms ago (DIRECTORY_STALE_IF_ERROR_MS)`,
          ),
      },
      onLookup: (result) => metrics?.recordCacheLookup(result),
      onEvict: () => metrics?.recordCacheEviction('users'),
    });
    changes.subscribe((change) => {
      if (change.kind === 'reset') this.cache.invalidateAll();
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
      throw new InvalidUserRecordError(id, INVALID_USER_ID);
    }
    const user = await this.cache.get(id, async () => {
      const stored = await this.reads.read(id);
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

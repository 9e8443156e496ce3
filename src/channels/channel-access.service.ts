import { Injectable, Logger, Optional } from '@nestjs/common';
import { LoadingCache } from '../cache/loading-cache';
import { AppConfig } from '../config/app-config';
import { DirectoryChangeFeed } from '../directory/changes/directory-change-feed';
import type { StoredChannelAccess } from '../directory/channel-grant';
import { UserDirectory } from '../directory/user-directory';
import { isValidUserId } from '../directory/user-rules';
import { Metrics } from '../metrics/metrics';
import type { ChannelAccess } from './channel-access';
import {
  ChannelPattern,
  isChannelPattern,
  parseChannelPattern,
} from './policy/channel-pattern';
import { quoteForLog } from '../logging/truncate';

/**
 * Reads a user's groups and grants from the directory, reused for `DIRECTORY_CACHE_TTL_MS`: a
 * page that subscribes to ten channels asks storage once, and concurrent misses share one read.
 * Change notifications for grants and memberships forget a user's entry, or every entry.
 */
@Injectable()
export class ChannelAccessService {
  private readonly logger = new Logger(ChannelAccessService.name);
  private readonly cache: LoadingCache<ChannelAccess>;

  constructor(
    private readonly directory: UserDirectory,
    config: AppConfig,
    changes: DirectoryChangeFeed,
    @Optional() metrics?: Metrics,
  ) {
    this.cache = new LoadingCache({
      // Bounded like the user cache, so a flood of distinct users cannot grow memory without limit.
      max: config.directory.cacheMaxUsers,
      ttlMs: config.directory.cacheTtlMs,
      onEvict: () => metrics?.recordCacheEviction('channel_access'),
    });
    changes.subscribe((change) => {
      if (change.kind === 'access-changed' || change.kind === 'removed')
        this.cache.invalidate(change.id);
      else if (change.kind === 'access-reset' || change.kind === 'reset')
        this.cache.invalidateAll();
    });
  }

  /** @throws DirectoryUnavailableError (503) */
  accessOf(userId: string): Promise<ChannelAccess> {
    return this.cache.get(userId, async () =>
      this.check(userId, await this.directory.findChannelAccess(userId)),
    );
  }

  /**
   * Stored rows are data anyone with database access may have written: a malformed group id or
   * pattern is logged and skipped, and never widens access. Everything else keeps working.
   */
  private check(userId: string, stored: StoredChannelAccess): ChannelAccess {
    const groups = stored.groups.filter((group) => {
      if (isValidUserId(group)) return true;
      this.logger.warn(
        `ignoring group ${quoteForLog(group)} of user ${quoteForLog(userId)}: group ids follow the user id rules`,
      );
      return false;
    });
    const grants: ChannelPattern[] = [];
    for (const text of stored.grants) {
      const parsed = parseChannelPattern(text);
      if (isChannelPattern(parsed)) grants.push(parsed);
      else {
        this.logger.warn(
          `ignoring a channel grant reaching user ${quoteForLog(userId)}: pattern ${quoteForLog(text)} ${parsed.problem}`,
        );
      }
    }
    return { groups, grants };
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DirectoryChangeFeed } from '../directory/changes/directory-change-feed';
import type { StoredChannelAccess } from '../directory/channel-grant';
import { UserDirectory } from '../directory/user-directory';
import { isValidUserId } from '../directory/user-rules';
import type { ChannelAccess } from './channel-access';
import { ChannelAccessCache } from './channel-access.cache';
import {
  ChannelPattern,
  isChannelPattern,
  parseChannelPattern,
} from './policy/channel-pattern';

/** Reads a user's groups and grants from the directory, through a cache. */
@Injectable()
export class ChannelAccessService {
  private readonly logger = new Logger(ChannelAccessService.name);
  private readonly cache: ChannelAccessCache;

  constructor(
    private readonly directory: UserDirectory,
    config: AppConfig,
    changes: DirectoryChangeFeed,
  ) {
    this.cache = new ChannelAccessCache(config.directory.cacheTtlMs);
    changes.subscribe((change) => {
      if (change.kind === 'access-changed' || change.kind === 'removed')
        this.cache.invalidate(change.id);
      else if (change.kind === 'access-reset' || change.kind === 'reset')
        this.cache.clear();
    });
  }

  /** @throws DirectoryUnavailableError (503) */
  accessOf(userId: string): Promise<ChannelAccess> {
    return this.cache.getOrLoad(userId, async () =>
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
        `ignoring group ${JSON.stringify(group)} of user ${JSON.stringify(userId)}: group ids follow the user id rules`,
      );
      return false;
    });
    const grants: ChannelPattern[] = [];
    for (const text of stored.grants) {
      const parsed = parseChannelPattern(text);
      if (isChannelPattern(parsed)) grants.push(parsed);
      else {
        this.logger.warn(
          `ignoring a channel grant reaching user ${JSON.stringify(userId)}: pattern ${JSON.stringify(text.slice(0, 256))} ${parsed.problem}`,
        );
      }
    }
    return { groups, grants };
  }
}

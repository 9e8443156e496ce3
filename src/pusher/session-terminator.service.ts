import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { backoffDelayMs } from '../retry/backoff';
import { AppConfig } from '../config/app-config';
import { DirectoryChangeFeed } from '../directory/changes/directory-change-feed';
import { UserDirectory } from '../directory/user-directory';
import { isValidUserId } from '../directory/user-rules';
import { quoteForLog } from '../logging/truncate';
import {
  ConnectionTerminator,
  MAX_ATTEMPTS,
  RETRY_BASE_MS,
  RETRY_MAX_MS,
} from './connection-terminator.service';

/**
 * With TERMINATE_ON_REMOVE, a user removed from the directory (by the CLI, or a row deleted:
 * the change feed tells us) loses their live connections through the Pusher REST API.
 *
 * A notification is only a hint: on PostgreSQL any role may NOTIFY the channel, with no right on
 * any table. The directory is read again first, and only a user it no longer holds loses their
 * connections (a role that can delete rows can remove users anyway).
 *
 * Every replica hears the removal and every replica calls the API. Ending connections is
 * idempotent, so the duplicates are harmless, and no replica has to be elected (an election
 * would leave a gap whenever the elected one is down).
 */
@Injectable()
export class SessionTerminator implements OnApplicationShutdown {
  private readonly logger = new Logger('SessionTerminator');
  /** Removals the directory has yet to confirm, by user id: bounded by the removals. */
  private readonly confirmations = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly connections: ConnectionTerminator,
    changes: DirectoryChangeFeed,
    config: AppConfig,
    private readonly directory: UserDirectory,
  ) {
    if (!config.directory.terminateOnRemove) return;
    changes.subscribe((change) => {
      if (change.kind === 'removed') void this.confirmRemoval(change.id, 1);
    });
  }

  /** Ends the user's connections on every app once the directory confirms they are gone. */
  private async confirmRemoval(id: string, attempt: number): Promise<void> {
    // pusher-http-node puts the id into the URL path unescaped: only safe ids may get there.
    if (!isValidUserId(id)) {
      this.logger.warn(
        `removed user ${quoteForLog(id)} is not a valid Pusher user id: no connections to end`,
      );
      return;
    }
    let stored: unknown;
    try {
      stored = await this.directory.findUser(id);
    } catch {
      this.retryConfirmation(id, attempt);
      return;
    }
    if (stored) {
      this.logger.warn(
        `a change notification said user ${quoteForLog(id)} was removed, but the directory still holds them: their connections are left alone`,
      );
      return;
    }
    this.connections.end(id, `removed user ${JSON.stringify(id)}`);
  }

  private retryConfirmation(id: string, attempt: number): void {
    const who = `whether user ${quoteForLog(id)} was removed`;
    if (this.stopped || attempt >= MAX_ATTEMPTS) {
      this.logger.error(
        `could not read the directory to confirm ${who} (attempt ${attempt}); their connections are left alone`,
      );
      return;
    }
    const delay = backoffDelayMs(attempt - 1, RETRY_BASE_MS, RETRY_MAX_MS);
    this.logger.warn(
      `could not read the directory to confirm ${who} (attempt ${attempt} of ${MAX_ATTEMPTS}); retrying in ${delay} ms`,
    );
    clearTimeout(this.confirmations.get(id));
    const timer = setTimeout(() => {
      this.confirmations.delete(id);
      void this.confirmRemoval(id, attempt + 1);
    }, delay);
    this.confirmations.set(id, timer);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.confirmations.size === 0) return;
    // Never lost silently: name who may still be connected.
    this.logger.error(
      `shutting down before these removals could be confirmed (their connections may still be open): ${[...this.confirmations.keys()].map((id) => JSON.stringify(id)).join(', ')}`,
    );
    for (const timer of this.confirmations.values()) clearTimeout(timer);
    this.confirmations.clear();
  }
}

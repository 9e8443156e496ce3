import {
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DirectoryChangeFeed } from '../directory/changes/directory-change-feed';
import type {
  Revocation,
  RevokedAccess,
} from '../directory/revocations/revocation';
import { RevocationLog } from '../directory/revocations/revocation-log';
import { isValidUserId } from '../directory/user-rules';
import { quoteForLog } from '../logging/truncate';
import { backoffDelayMs } from '../retry/backoff';
import {
  ConnectionTerminator,
  RETRY_BASE_MS,
  RETRY_MAX_MS,
} from './connection-terminator.service';

/** Log entries per read; a bigger backlog is read batch after batch. */
const BATCH = 200;
/** Members of a revoked group grant checked per query. */
const MEMBERS_PAGE = 1_000;
/**
 * How long an id skipped by the log is waited for: PostgreSQL hands out ids at insert time, so a
 * transaction may commit after one with a higher id. As long as the log keeps entries.
 */
const GAP_WAIT_MS = 600_000;
/** Most skipped ids remembered at once (each is asked for again with every read). */
const MAX_GAPS = 1_000;

/**
 * With TERMINATE_ON_REVOKE, users who lose a grant or a group membership lose their live
 * connections through the Pusher REST API; pusher-js then connects again (where the app does)
 * and the revoked channel's authorization gets 403.
 *
 * The notification is only a hint to read the revocation log (migration 0005), which only the
 * tables' own triggers write. Each entry is then checked against the directory as it is now, and
 * only users who really no longer hold the access lose their connections: a grant made again
 * before the entry is read ends nothing.
 *
 * Every replica reads the log from where it started and ends the same connections: ending them
 * is idempotent, and no replica has to be elected (as for removals).
 */
@Injectable()
export class RevocationTerminator
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger('SessionTerminator');
  private readonly enabled: boolean;
  /** The highest id handled; undefined until the log was first read. */
  private lastId?: number;
  /** Ids below lastId not seen yet, with when they were first missed. */
  private readonly gaps = new Map<number, number>();
  private reading = false;
  private readAgain = false;
  private failures = 0;
  private retryTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly log: RevocationLog,
    changes: DirectoryChangeFeed,
    config: AppConfig,
    private readonly connections: ConnectionTerminator,
  ) {
    this.enabled = config.directory.terminateOnRevoke;
    if (!this.enabled) return;
    changes.subscribe((change) => {
      // A reset also follows a listener that was down: revocations may have been missed.
      if (change.kind === 'revoked' || change.kind === 'reset') this.read();
    });
  }

  /** Where this replica starts: revocations before it ran were for the replicas then running. */
  onApplicationBootstrap(): void {
    if (this.enabled) this.read();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  /** One reader at a time; a hint while reading makes it read once more. */
  private read(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    void this.readAll().finally(() => (this.reading = false));
  }

  private async readAll(): Promise<void> {
    do {
      this.readAgain = false;
      try {
        if (this.lastId === undefined) {
          this.lastId = await this.log.latestId();
        } else if (await this.readBatch()) {
          this.readAgain = true;
        }
        this.failures = 0;
      } catch {
        this.retryLater();
        return;
      }
    } while (this.readAgain && !this.stopped);
  }

  /** Handles the next entries in order; answers whether a full batch was read. */
  private async readBatch(): Promise<boolean> {
    const now = Date.now();
    for (const [id, since] of this.gaps) {
      if (now - since > GAP_WAIT_MS) this.gaps.delete(id);
    }
    const entries = await this.log.read(
      this.lastId!,
      [...this.gaps.keys()],
      BATCH,
    );
    for (const entry of entries) {
      // A failure leaves this entry (and those after it) to be read again.
      await this.handle(entry);
      if (this.gaps.delete(entry.id)) continue;
      for (let id = this.lastId! + 1; id < entry.id; id++) {
        if (this.gaps.size >= MAX_GAPS) break;
        this.gaps.set(id, now);
      }
      this.lastId = entry.id;
    }
    return entries.length === BATCH;
  }

  private async handle({ id, revoked }: Revocation): Promise<void> {
    const what = describe(revoked);
    let lost = 0;
    let after: string | undefined;
    do {
      const users = await this.log.usersWhoLost(revoked, after, MEMBERS_PAGE);
      lost += users.length;
      for (const userId of users) {
        if (!isValidUserId(userId)) {
          this.logger.warn(
            `user ${quoteForLog(userId)} lost access (${what}) but is not a valid Pusher user id: no connections to end`,
          );
          continue;
        }
        this.connections.end(
          userId,
          `user ${JSON.stringify(userId)}, who lost access (${what})`,
        );
      }
      after = users.length === MEMBERS_PAGE ? users.at(-1) : undefined;
    } while (after !== undefined);
    if (lost === 0) {
      this.logger.debug(
        `revocation ${id} (${what}): nobody lost access now (granted again, or no members): no connections to end`,
      );
    }
  }

  private retryLater(): void {
    if (this.stopped) return;
    const delay = backoffDelayMs(this.failures++, RETRY_BASE_MS, RETRY_MAX_MS);
    // One warning per outage; the attempts after it at debug level.
    this.logger[this.failures === 1 ? 'warn' : 'debug'](
      `could not read the revocation log or the directory (attempt ${this.failures}); retrying in ${delay} ms`,
    );
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.read(), delay);
    this.retryTimer.unref();
  }
}

/** What was taken away, for the log: ids and patterns quoted as stored rows may hold anything. */
function describe(revoked: RevokedAccess): string {
  switch (revoked.kind) {
    case 'user-grant':
      return `grant ${quoteForLog(revoked.channelPattern)} revoked`;
    case 'group-grant':
      return `grant ${quoteForLog(revoked.channelPattern)} of group ${quoteForLog(revoked.groupId)} revoked`;
    case 'membership':
      return `removed from group ${quoteForLog(revoked.groupId)}`;
    default: {
      const never: never = revoked;
      return never;
    }
  }
}

import { Logger } from '@nestjs/common';
import { isValidUserId } from '../user-rules';
import type { DirectoryChange } from './directory-change';

export type ChangeListener = (change: DirectoryChange) => void;

/**
 * Least time between two resets (or revocation hints) of one kind. Anyone who can NOTIFY (on
 * PostgreSQL: any role, no right needed) could otherwise clear every replica's caches at will and
 * make each look-up a storage read; the resets that arrive within the interval are merged into
 * one at its end.
 */
export const RESET_INTERVAL_MS = 1_000;

type ResetKind = Exclude<DirectoryChange, { id: string }>['kind'];

/**
 * The port through which the service learns that the directory changed (the cache forgets the
 * user; a removal may end the user's sessions). One adapter per backend, chosen at boot.
 */
export abstract class DirectoryChangeFeed {
  protected readonly logger = new Logger('DirectoryChanges');
  private readonly listeners: ChangeListener[] = [];
  private readonly lastReset = new Map<ResetKind, number>();
  private readonly pendingReset = new Map<ResetKind, NodeJS.Timeout>();

  subscribe(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** Begins watching. Resolves after the first attempt; a failure there is retried in the background. */
  abstract start(): Promise<void>;

  abstract close(): Promise<void>;

  /** What the feed knows itself (it reconnected, it fell behind): passed on at once. */
  protected emit(change: DirectoryChange): void {
    this.deliver(change);
  }

  /**
   * What a notification or a log entry says: one naming a user is passed on at once, one naming
   * nobody (a reset) at most once per RESET_INTERVAL_MS of its kind.
   */
  protected emitNotice(change: DirectoryChange): void {
    if ('id' in change) this.deliver(change);
    else this.throttleReset(change.kind);
  }

  /** Drops a merged reset still waiting: call from `close()`. */
  protected cancelPendingResets(): void {
    for (const timer of this.pendingReset.values()) clearTimeout(timer);
    this.pendingReset.clear();
  }

  private throttleReset(kind: ResetKind): void {
    const now = Date.now();
    const waitMs =
      (this.lastReset.get(kind) ?? -Infinity) + RESET_INTERVAL_MS - now;
    if (waitMs <= 0) {
      this.lastReset.set(kind, now);
      this.deliver({ kind });
      return;
    }
    if (this.pendingReset.has(kind)) return;
    const timer = setTimeout(() => {
      this.pendingReset.delete(kind);
      this.lastReset.set(kind, Date.now());
      this.deliver({ kind });
    }, waitMs);
    timer.unref();
    this.pendingReset.set(kind, timer);
  }

  private deliver(change: DirectoryChange): void {
    // Trace level (LOG_LEVEL=trace): one line per change is too many for debugging anything else.
    this.logger.verbose(
      'id' in change
        ? `directory change: ${change.kind} ${printableId(change.id)}`
        : `directory change: ${change.kind}`,
    );
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        // One listener's bug must not keep the others (the cache) from hearing about a change.
        this.logger.error(
          `a change listener failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}

/** Valid ids are plain characters; anything else (your own tables may hold it) is quoted. */
function printableId(id: string): string {
  return isValidUserId(id) ? id : JSON.stringify(id);
}

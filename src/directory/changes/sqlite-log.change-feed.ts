import type { Database, Statement } from 'better-sqlite3';
import { parseChange } from './directory-change';
import { DirectoryChangeFeed } from './directory-change-feed';

/** Reading the log is one indexed query; at this pace a change is seen within a quarter second. */
const POLL_MS = 250;
/** Past this many entries at once (an import), forgetting everything is cheaper than one by one. */
const BULK_ENTRIES = 1_000;

interface LogEntry {
  seq: number;
  op: string;
  user_id: string | null;
}

/**
 * SQLite has no notifications, so the built-in triggers append every change to
 * `directory_changes` (migration 0003) and this feed reads what is new. That covers writes
 * from this process and from another one (the directory CLI) alike. Old entries are pruned by
 * the CLI after it writes, never here: the service only reads, so it never waits on a lock.
 */
export class SqliteChangeLogFeed extends DirectoryChangeFeed {
  private lastSeq = 0;
  private timer?: NodeJS.Timeout;
  private failing = false;
  private latestSeq?: Statement<[], { seq: number | null }>;
  private newEntries?: Statement<[number, number], LogEntry>;
  private removedBetween?: Statement<[number, number], { user_id: string }>;

  constructor(private readonly database: Database) {
    super();
  }

  start(): Promise<void> {
    this.latestSeq = this.database.prepare(
      'SELECT max(seq) AS seq FROM directory_changes',
    );
    // History from before start-up is irrelevant: the cache is empty.
    this.lastSeq = this.latestSeq.get()?.seq ?? 0;
    this.newEntries = this.database.prepare(
      'SELECT seq, op, user_id FROM directory_changes WHERE seq > ? ORDER BY seq LIMIT ?',
    );
    this.removedBetween = this.database.prepare(
      "SELECT user_id FROM directory_changes WHERE seq > ? AND seq <= ? AND op = 'delete' ORDER BY seq",
    );
    this.timer = setInterval(() => this.poll(), POLL_MS);
    this.timer.unref();
    this.logger.log('following the directory change log (SQLite)');
    return Promise.resolve();
  }

  close(): Promise<void> {
    clearInterval(this.timer);
    this.cancelPendingResets();
    return Promise.resolve();
  }

  private poll(): void {
    try {
      this.readNewEntries();
      if (this.failing) this.logger.log('reading the change log again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) {
        this.logger.warn(
          `cannot read the change log (${(error as Error).message}); relying on the cache TTL meanwhile`,
        );
      }
      this.failing = true;
    }
  }

  private readNewEntries(): void {
    const entries = this.newEntries!.all(this.lastSeq, BULK_ENTRIES + 1);
    if (entries.length === 0) return;
    if (entries.length <= BULK_ENTRIES) {
      for (const entry of entries) {
        const change = parseChange(entry.op, entry.user_id);
        if (change) this.emitNotice(change);
      }
      this.lastSeq = entries[entries.length - 1].seq;
      return;
    }
    const upTo = this.latestSeq!.get()?.seq ?? this.lastSeq;
    this.emit({ kind: 'reset' });
    // Removals still count one by one: each may have sessions to end.
    for (const { user_id: id } of this.removedBetween!.all(
      this.lastSeq,
      upTo,
    )) {
      this.emit({ kind: 'removed', id });
    }
    this.lastSeq = upTo;
  }
}

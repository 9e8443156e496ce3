import type { DirectoryUser } from './directory-user';
import type { UserDirectory } from './user-directory';

/**
 * Most ids in one read. A PostgreSQL array of 100 ids of up to 191 characters stays under 20 KB,
 * and a reconnect storm at 200 connections fills about one read per turn.
 */
export const MAX_IDS_PER_READ = 100;

interface Waiter {
  resolve(user: DirectoryUser | null): void;
  reject(error: unknown): void;
}

/**
 * Directory reads asked for during one turn of the event loop, sent together as one
 * `findUsers` when the turn ends (`setImmediate`), or as soon as `maxIds` distinct ids wait.
 * For the built-in schema (and your own tables with DIRECTORY_USERS_QUERY) that is one query for
 * them all: in a reconnect storm with cold caches the requests parsed in one turn each miss, and
 * one query per miss cost a round trip and a pooled connection each (about 1 500 sign-ins a
 * second against 5 000 with the cache warm).
 *
 * Each id keeps its own answer: a user, null, or its own error; a read that fails as a whole
 * fails every id it carried. Asking for an id already waiting shares its place in the read.
 */
export class UserReadBatcher {
  private waiting = new Map<string, Waiter[]>();
  private scheduled = false;

  constructor(
    private readonly directory: UserDirectory,
    private readonly maxIds = MAX_IDS_PER_READ,
  ) {}

  read(id: string): Promise<DirectoryUser | null> {
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(id);
      if (waiters) waiters.push({ resolve, reject });
      else this.waiting.set(id, [{ resolve, reject }]);
      if (this.waiting.size >= this.maxIds) this.send();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.send();
        });
      }
    });
  }

  private send(): void {
    const batch = this.waiting;
    if (batch.size === 0) return;
    this.waiting = new Map();
    this.directory.findUsers([...batch.keys()]).then(
      (answers) => {
        for (const [id, waiters] of batch) {
          const answer = answers.get(id) ?? null;
          for (const waiter of waiters) {
            if (answer instanceof Error) waiter.reject(answer);
            else waiter.resolve(answer);
          }
        }
      },
      (error: unknown) => {
        for (const waiters of batch.values()) {
          for (const waiter of waiters) waiter.reject(error);
        }
      },
    );
  }
}

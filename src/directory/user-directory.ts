import type { StoredChannelAccess } from './channel-grant';
import type { DirectoryUser } from './directory-user';

/** What a readiness probe needs to know about storage. */
export interface DirectoryHealth {
  /** Migrations this version expects that the database has not recorded (empty when ready). */
  pendingMigrations: string[];
}

/**
 * The storage port the service reads through: one adapter per backend (`backends/`), chosen once
 * at boot from `DIRECTORY_URL`. Writing is DirectoryAdmin's (`admin/`): the request path never
 * writes, and your own tables (custom queries) are never written at all.
 * Read failures surface as DirectoryUnavailableError, never as the driver's own error.
 */
export abstract class UserDirectory {
  /** The stored user, or null when there is none. */
  abstract findUser(id: string): Promise<DirectoryUser | null>;

  /**
   * Several users at once: an answer for every id asked (the user, null when there is none, or
   * the error that concerns that id alone). A rejection fails every id of the read.
   *
   * By default one `findUser` per id, run together; a backend that can read a list in one query
   * overrides it (UserReadBatcher sends the misses of one event-loop turn here).
   */
  async findUsers(
    ids: readonly string[],
  ): Promise<Map<string, DirectoryUser | null | Error>> {
    const answers = await Promise.all(
      ids.map((id) =>
        // Backends throw domain errors (directory.errors.ts), always Errors.
        this.findUser(id).catch((error: Error) => error),
      ),
    );
    return new Map(ids.map((id, index) => [id, answers[index]]));
  }

  /** The user's groups and the channel patterns granted to them or to those groups. */
  abstract findChannelAccess(userId: string): Promise<StoredChannelAccess>;

  /**
   * Gets storage ready at start-up: applies pending migrations to the built-in schema (safe from
   * several replicas at once), or validates custom queries (read-only; nothing is changed).
   */
  abstract migrate(): Promise<void>;

  /**
   * A cheap round trip for the readiness probe; throws DirectoryUnavailableError when storage
   * cannot answer. Backends with a schema override this to report pending migrations too.
   */
  async checkHealth(): Promise<DirectoryHealth> {
    await this.findUser('health-check');
    return { pendingMigrations: [] };
  }

  abstract close(): Promise<void>;
}

import type { DirectoryUser } from './directory-user';

/**
 * The storage port. One adapter per backend (`backends/`), chosen once at boot from `DIRECTORY_URL`.
 * Read failures surface as DirectoryUnavailableError, never as the driver's own error.
 */
export abstract class UserDirectory {
  /** The stored user, or null when there is none. */
  abstract findUser(id: string): Promise<DirectoryUser | null>;

  /** Creates or replaces a user and their whole watchlist, atomically. */
  abstract upsertUser(user: DirectoryUser): Promise<void>;

  /** Removes a user; answers whether there was one. */
  abstract removeUser(id: string): Promise<boolean>;

  /**
   * Gets storage ready at start-up: applies pending migrations to the built-in schema (safe from
   * several replicas at once), or validates custom queries (read-only; nothing is changed).
   */
  abstract migrate(): Promise<void>;

  abstract close(): Promise<void>;
}

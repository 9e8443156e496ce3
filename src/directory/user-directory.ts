import type { ChannelGrant, StoredChannelAccess } from './channel-grant';
import type { DirectoryUser } from './directory-user';

/** What a readiness probe needs to know about storage. */
export interface DirectoryHealth {
  /** Migrations this version expects that the database has not recorded (empty when ready). */
  pendingMigrations: string[];
}

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

  /** The user's groups and the channel patterns granted to them or to those groups. */
  abstract findChannelAccess(userId: string): Promise<StoredChannelAccess>;

  /** Adds a user to a group; adding twice changes nothing. */
  abstract addGroupMember(groupId: string, userId: string): Promise<void>;

  /** Answers whether the user was a member. */
  abstract removeGroupMember(groupId: string, userId: string): Promise<boolean>;

  /** Stores a grant; granting twice changes nothing. */
  abstract grantChannel(grant: ChannelGrant): Promise<void>;

  /** Answers whether there was such a grant. */
  abstract revokeChannel(grant: ChannelGrant): Promise<boolean>;

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

import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Pusher from 'pusher';
import { backoffDelayMs } from '../retry/backoff';
import { AppConfig } from '../config/app-config';
import { DirectoryChangeFeed } from '../directory/changes/directory-change-feed';
import { UserDirectory } from '../directory/user-directory';
import { isValidUserId } from '../directory/user-rules';
import { quoteForLog } from '../logging/truncate';
import { SigningApp, SigningApps } from './signing-apps';

const MAX_ATTEMPTS = 8;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 60_000;

/**
 * With TERMINATE_ON_REMOVE, a user removed from the directory (by the CLI, or a row deleted:
 * the change feed tells us) loses their live connections through the Pusher REST API.
 *
 * Each configured app is told (a user signs in to any of them), each with its own retries.
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
  /** Keyed by app name and user id: one pending retry per pair, bounded by the removals. */
  private readonly retries = new Map<string, Retry>();
  private stopped = false;

  constructor(
    private readonly apps: SigningApps,
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
    this.terminate(id);
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
    // App names never hold ':', so this key is no app's.
    const key = `:confirm/${id}`;
    clearTimeout(this.retries.get(key)?.timer);
    const timer = setTimeout(() => {
      this.retries.delete(key);
      void this.confirmRemoval(id, attempt + 1);
    }, delay);
    this.retries.set(key, { where: 'not yet confirmed', id, timer });
  }

  private terminate(id: string): void {
    for (const app of this.apps.all) {
      const key = retryKey(app, id);
      clearTimeout(this.retries.get(key)?.timer);
      this.retries.delete(key);
      void this.attempt(app, id, 1);
    }
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.retries.size === 0) return;
    // Never lost silently: name who may still be connected.
    this.logger.error(
      `shutting down before the connections of removed users could be ended: ${[...this.retries.values()].map(({ where, id }) => `${JSON.stringify(id)} [${where}]`).join(', ')}`,
    );
    for (const { timer } of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
  }

  private async attempt(
    app: SigningApp,
    id: string,
    attempt: number,
  ): Promise<void> {
    try {
      await app.pusher.terminateUserConnections(id);
      this.logger.log(
        `ended the live connections of removed user ${JSON.stringify(id)} [app ${app.name}]`,
      );
    } catch (error) {
      this.failed(app, id, attempt, error);
    }
  }

  private failed(
    app: SigningApp,
    id: string,
    attempt: number,
    error: unknown,
  ): void {
    const { reason, retry } = describeFailure(error);
    const who = `the connections of removed user ${JSON.stringify(id)}`;
    const where = `[app ${app.name}]`;
    if (!retry || attempt >= MAX_ATTEMPTS) {
      this.logger.error(
        `could not end ${who} (attempt ${attempt}): ${reason}; giving up ${where}`,
      );
      return;
    }
    if (this.stopped) {
      this.logger.error(
        `could not end ${who}: ${reason}; shutting down ${where}`,
      );
      return;
    }
    const delay = backoffDelayMs(attempt - 1, RETRY_BASE_MS, RETRY_MAX_MS);
    this.logger.warn(
      `could not end ${who} (attempt ${attempt} of ${MAX_ATTEMPTS}): ${reason}; retrying in ${delay} ms ${where}`,
    );
    const key = retryKey(app, id);
    const timer = setTimeout(() => {
      this.retries.delete(key);
      void this.attempt(app, id, attempt + 1);
    }, delay);
    this.retries.set(key, { where: `app ${app.name}`, id, timer });
  }
}

interface Retry {
  /** `app <name>` for a call to make again, or a removal the directory has yet to confirm. */
  where: string;
  id: string;
  timer: NodeJS.Timeout;
}

/** App names never contain "/" (see APP_NAME_PATTERN), so the pair is unambiguous. */
const retryKey = (app: SigningApp, id: string) => `${app.name}/${id}`;

/**
 * The library's errors carry the request URL, signature included (so does the network
 * error inside): only the status or the error code may reach the log.
 */
function describeFailure(error: unknown): { reason: string; retry: boolean } {
  if (error instanceof Pusher.RequestError && error.status !== undefined) {
    const { status } = error;
    return {
      reason: `the Pusher REST API answered ${status}`,
      // A 4xx other than timeout and rate limit will not change by asking again.
      retry: status >= 500 || status === 408 || status === 429,
    };
  }
  if (error instanceof Pusher.RequestError) {
    const code = (error.error as { code?: unknown } | undefined)?.code;
    const name = (error.error as { type?: unknown } | undefined)?.type;
    return {
      reason: `the Pusher REST API could not be reached (${typeof code === 'string' ? code : typeof name === 'string' ? name : 'network error'})`,
      retry: true,
    };
  }
  return { reason: 'unexpected error', retry: true };
}

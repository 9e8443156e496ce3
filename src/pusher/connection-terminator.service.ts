import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Pusher from 'pusher';
import { backoffDelayMs } from '../retry/backoff';
import { SigningApp, SigningApps } from './signing-apps';

export const MAX_ATTEMPTS = 8;
export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_MS = 60_000;

/**
 * Ends a user's live connections through the Pusher REST API (`terminateUserConnections`) on
 * every configured app (a user signs in to any of them), each with its own retries: what
 * TERMINATE_ON_REMOVE and TERMINATE_ON_REVOKE share once the directory has confirmed why.
 * Pusher has no per-channel kick: ending the connections is the only way to take a channel away.
 */
@Injectable()
export class ConnectionTerminator implements OnApplicationShutdown {
  private readonly logger = new Logger('SessionTerminator');
  /** Keyed by app name and user id: one pending retry per pair, bounded by the users ended. */
  private readonly retries = new Map<string, Retry>();
  private stopped = false;

  constructor(private readonly apps: SigningApps) {}

  /**
   * @param id a valid user id (pusher-http-node puts it into the URL path unescaped)
   * @param who how the log names the user, e.g. `removed user "bob"`
   */
  end(id: string, who: string): void {
    for (const app of this.apps.all) {
      const key = retryKey(app, id);
      clearTimeout(this.retries.get(key)?.timer);
      this.retries.delete(key);
      void this.attempt(app, id, who, 1);
    }
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.retries.size === 0) return;
    // Never lost silently: name who may still be connected.
    this.logger.error(
      `shutting down before the connections of these users could be ended: ${[...this.retries.values()].map(({ app, who }) => `${who} [app ${app}]`).join(', ')}`,
    );
    for (const { timer } of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
  }

  private async attempt(
    app: SigningApp,
    id: string,
    who: string,
    attempt: number,
  ): Promise<void> {
    try {
      await app.pusher.terminateUserConnections(id);
      this.logger.log(`ended the live connections of ${who} [app ${app.name}]`);
    } catch (error) {
      this.failed(app, id, who, attempt, error);
    }
  }

  private failed(
    app: SigningApp,
    id: string,
    who: string,
    attempt: number,
    error: unknown,
  ): void {
    const { reason, retry } = describeFailure(error);
    const what = `the connections of ${who}`;
    const where = `[app ${app.name}]`;
    if (!retry || attempt >= MAX_ATTEMPTS) {
      this.logger.error(
        `could not end ${what} (attempt ${attempt}): ${reason}; giving up ${where}`,
      );
      return;
    }
    if (this.stopped) {
      this.logger.error(
        `could not end ${what}: ${reason}; shutting down ${where}`,
      );
      return;
    }
    const delay = backoffDelayMs(attempt - 1, RETRY_BASE_MS, RETRY_MAX_MS);
    this.logger.warn(
      `could not end ${what} (attempt ${attempt} of ${MAX_ATTEMPTS}): ${reason}; retrying in ${delay} ms ${where}`,
    );
    const key = retryKey(app, id);
    const timer = setTimeout(() => {
      this.retries.delete(key);
      void this.attempt(app, id, who, attempt + 1);
    }, delay);
    this.retries.set(key, { app: app.name, who, timer });
  }
}

interface Retry {
  app: string;
  who: string;
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

import { Client } from 'pg';
import { backoffDelayMs } from '../../retry/backoff';
import { CHANGE_CHANNEL, parseChangePayload } from './directory-change';
import { DirectoryChangeFeed } from './directory-change-feed';

const RECONNECT_BASE_MS = 250;
const RECONNECT_MAX_MS = 10_000;
/** A connection cut without a FIN/RST (a partition) is noticed by this probe, not by TCP. */
const HEARTBEAT_MS = 10_000;
const TIMEOUT_MS = 5_000;
/** Unreadable notifications are reported at most this often (anyone may send them). */
const UNREADABLE_REPORT_MS = 60_000;

/**
 * `LISTEN pusher_auth_directory` on a dedicated connection (a pooled one would be handed to
 * queries and returned; notifications need a session that stays). While it is down, cached
 * users fall back to the TTL; once it is back, the cache is reset: changes may have been missed.
 */
export class PostgresListenChangeFeed extends DirectoryChangeFeed {
  private client?: Client;
  private closed = false;
  private failures = 0;
  /** Set once a connection was made or attempted: any later (re)connect must reset the cache. */
  private startedAt?: number;
  private retryTimer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private unreadable = 0;
  private unreadableReportedAt = -Infinity;

  constructor(
    private readonly connectionString: string,
    private readonly cacheTtlMs: number,
  ) {
    super();
  }

  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelPendingResets();
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeat);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.connectionString,
      connectionTimeoutMillis: TIMEOUT_MS,
      query_timeout: TIMEOUT_MS,
      keepAlive: true,
      application_name: 'pusher-auth-listener',
    });
    // Registered before connecting: an unhandled 'error' event would crash the process.
    client.on('error', (error) => this.lost(client, error.message));
    client.on('end', () => this.lost(client, 'connection closed'));
    client.on('notification', ({ channel, payload }) => {
      if (channel === CHANGE_CHANNEL) this.onPayload(payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      client.end().catch(() => undefined);
      this.scheduleReconnect(
        error instanceof Error ? error.message : 'failed',
        this.failures === 0,
      );
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    const reconnected = this.startedAt !== undefined;
    this.startedAt ??= Date.now();
    this.client = client;
    this.failures = 0;
    this.heartbeat = setInterval(() => this.probe(client), HEARTBEAT_MS);
    this.heartbeat.unref();
    if (reconnected) {
      this.logger.log(
        'listening for directory changes again; cache cleared (changes may have been missed meanwhile)',
      );
      this.emit({ kind: 'reset' });
    } else {
      this.logger.log(`listening for directory changes (${CHANGE_CHANNEL})`);
    }
  }

  private onPayload(payload: string): void {
    const change = parseChangePayload(payload);
    if (!change) this.reportUnreadable();
    this.emitNotice(change ?? { kind: 'reset' });
  }

  private reportUnreadable(): void {
    this.unreadable++;
    const now = Date.now();
    if (now - this.unreadableReportedAt < UNREADABLE_REPORT_MS) return;
    this.logger.warn(
      `${this.unreadable} unreadable change notification(s) (expected {"op","id"} JSON); the cache is cleared at most once a second meanwhile`,
    );
    this.unreadable = 0;
    this.unreadableReportedAt = now;
  }

  private probe(client: Client): void {
    client
      .query('SELECT 1')
      .catch((error: Error) => this.lost(client, error.message));
  }

  private lost(client: Client, reason: string): void {
    if (client !== this.client) return;
    this.client = undefined;
    clearInterval(this.heartbeat);
    client.removeAllListeners('notification');
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.logger.warn(
      `directory change listener lost (${reason}); until it reconnects, cached users are reused for up to DIRECTORY_CACHE_TTL_MS (${this.cacheTtlMs} ms)`,
    );
    this.scheduleReconnect(reason, false);
  }

  /** @param announce warn (the first failure of a series that `lost` has not already reported) */
  private scheduleReconnect(reason: string, announce: boolean): void {
    if (this.closed) return;
    this.startedAt ??= Date.now();
    const delay = backoffDelayMs(
      this.failures++,
      RECONNECT_BASE_MS,
      RECONNECT_MAX_MS,
    );
    this.logger[announce ? 'warn' : 'debug'](
      `cannot listen for directory changes (${reason}); retrying in ${delay} ms, relying on the cache TTL meanwhile`,
    );
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }
}

import type { Server } from 'node:http';
import type { Logger } from '@nestjs/common';

/** How often, at most, a flood of refused connections is logged (as one line). */
export const DROP_LOG_INTERVAL_MS = 10_000;

export interface ConnectionLimitOptions {
  /** `HTTP_MAX_CONNECTIONS`. */
  maxConnections: number;
  /** Counts each connection refused. */
  onDrop: () => void;
  logger: Pick<Logger, 'warn'>;
  /** @default DROP_LOG_INTERVAL_MS */
  logIntervalMs?: number;
}

/**
 * `HTTP_MAX_CONNECTIONS`: Node's `server.maxConnections` closes each new connection past the
 * limit as it is accepted (before a byte is read: no answer, no request line), and emits `drop`.
 * Each one is counted; the log gets the first at once and then one line per interval with the
 * number refused meanwhile, so a flood of connections cannot become a flood of lines.
 */
export function limitConnections(
  server: Server,
  options: ConnectionLimitOptions,
): void {
  const { maxConnections, onDrop, logger } = options;
  const intervalMs = options.logIntervalMs ?? DROP_LOG_INTERVAL_MS;
  server.maxConnections = maxConnections;
  let droppedSinceLine = 0;
  let window: NodeJS.Timeout | undefined;

  const closeWindow = (): void => {
    if (droppedSinceLine === 0) {
      window = undefined;
      return;
    }
    logger.warn(
      `${droppedSinceLine} more connections refused in the last ${intervalMs / 1000} s: HTTP_MAX_CONNECTIONS (${maxConnections}) open`,
    );
    droppedSinceLine = 0;
    openWindow();
  };
  const openWindow = (): void => {
    window = setTimeout(closeWindow, intervalMs);
    // A pending summary must not keep a stopping process alive.
    window.unref();
  };

  server.on('drop', () => {
    onDrop();
    if (window) {
      droppedSinceLine += 1;
      return;
    }
    logger.warn(
      `connection refused: HTTP_MAX_CONNECTIONS (${maxConnections}) are open; further refusals are summed up every ${intervalMs / 1000} s`,
    );
    openWindow();
  });
}

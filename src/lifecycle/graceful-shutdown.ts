import { Logger } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import type { ShutdownConfig } from '../config/app-config';
import { LifecycleState } from './lifecycle-state';

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * On SIGTERM/SIGINT: readiness turns 503, then (after `SHUTDOWN_DELAY_MS`, time for load
 * balancers to notice) the listener closes, in-flight requests finish, pools and clients close
 * (Nest's shutdown hooks), and the process exits 0. Past `SHUTDOWN_TIMEOUT_MS` it exits 1.
 * Used instead of `enableShutdownHooks()`, which re-raises the signal and so never exits 0.
 */
export function closeGracefullyOnSignals(
  app: INestApplication,
  shutdown: ShutdownConfig,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  const logger = new Logger('Shutdown');
  let started = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (started) {
      logger.warn(`${signal} again: still draining in-flight requests`);
      return;
    }
    started = true;
    app.get(LifecycleState).beginShutdown();
    logger.log(
      `${signal}: readiness is now 503; closing the listener in ${shutdown.delayMs} ms, then draining (at most ${shutdown.timeoutMs} ms)`,
    );
    void drain(app, shutdown, logger).then(exit);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

async function drain(
  app: INestApplication,
  { delayMs, timeoutMs }: ShutdownConfig,
  logger: Logger,
): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<number>((resolve) => {
    timer = setTimeout(() => {
      logger.error(
        `in-flight requests did not finish within ${timeoutMs} ms: exiting anyway`,
      );
      resolve(1);
    }, timeoutMs);
  });
  const closed = app.close().then(
    () => {
      logger.log('drained and closed: exiting');
      return 0;
    },
    (error: unknown) => {
      logger.error(
        `shutdown failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return 1;
    },
  );
  try {
    return await Promise.race([closed, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

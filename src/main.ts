import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError } from './config/config-error';
import { demoBanner } from './demo-banner';
import { loadConfigWithPlugins } from './extensions/service-config';
import { closeGracefullyOnSignals } from './lifecycle/graceful-shutdown';
import { secretScrubber } from './logging/root-logger';
import { openStdoutLog } from './logging/stdout-log';
import { describeStartupError } from './startup-error';

/** Until the configuration is known, there is no secret to scrub. */
let scrub = (text: string) => text;

async function bootstrap(): Promise<void> {
  // Variables already in the environment win over the file.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = await loadConfigWithPlugins(process.env);
  scrub = secretScrubber(config);
  // In demo mode the banner is the first thing printed: the start-up lines wait for it (a failed
  // start still prints them, at the exit, after its reason, as before).
  const logs = await openStdoutLog(config, { hold: config.demo.enabled });
  const app = await createApp(config, { logStream: logs.destination });
  closeGracefullyOnSignals(app, config.shutdown);
  await app.listen({ port: config.http.port, host: config.http.host });
  const { port } = app.getHttpServer().address() as { port: number };
  const logger = new Logger('Bootstrap');
  logger.log(
    `listening on ${config.http.host}:${port}, sign-in at ${config.http.userAuthPath}, channels at ${config.http.channelAuthPath}`,
  );
  // Not a log line: the banner's token is meant to be copied (it is signed with the public demo
  // secret), and log lines never carry tokens.
  if (config.demo.enabled)
    process.stderr.write(`${demoBanner(config, port)}\n`);
  logs.release();
}

bootstrap().catch((error: unknown) => {
  // One clear message, no stack: start-up failures are configuration or reachability problems.
  process.stderr.write(
    error instanceof ConfigError
      ? `pusher-auth cannot start. ${error.message}\n`
      : `pusher-auth cannot start: ${scrub(describeStartupError(error))}\n`,
  );
  process.exit(1);
});

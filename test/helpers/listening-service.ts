import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMetrics } from './metrics';
import { startService, stopService } from './service-process';
import { BASE_ENV } from './test-app';

/** The compiled service in a child process, for tests that need real sockets. */
export interface ListeningService {
  port: number;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** The JSON log lines it printed so far. */
  logLines(): Record<string, unknown>[];
  /** `GET /metrics`, parsed. */
  metrics(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

/**
 * Starts the compiled service on a free port of 127.0.0.1, logging at info, with an in-memory
 * directory, in a working folder of its own; `env` adds to that or overrides it.
 */
export async function startListeningService(
  env: Record<string, string> = {},
): Promise<ListeningService> {
  const workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-listening-'));
  const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
  const { child, output, match } = await startService(
    {
      ...BASE_ENV,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DIRECTORY_URL: 'sqlite://:memory:',
      ...env,
    },
    workDir,
    /listening on 127\.0\.0\.1:(\d+)/,
  ).catch((error: unknown) => {
    removeWorkDir();
    throw error;
  });
  const port = Number(match[1]);
  return {
    port,
    output,
    logLines: () =>
      output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async metrics() {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      return parseMetrics(await response.text());
    },
    async stop() {
      await stopService(child);
      removeWorkDir();
    },
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { loadServiceConfig } from '../../src/extensions/service-config';
import type { DirectoryAdmin } from '../../src/directory/admin/directory-admin';
import { DirectoryBackend } from '../../src/directory/directory-backend';
import type { DirectoryUser } from '../../src/directory/directory-user';
import { UserDirectory } from '../../src/directory/user-directory';

export const TEST_PUSHER = {
  appId: '4242',
  key: 'test-key',
  secret: 'test-secret-0123456789',
};
export const TEST_JWT_SECRET = 'a-test-secret-that-is-long-enough-for-hs256!';

/** Settings every test app starts from; a test overrides what it is about. */
export const BASE_ENV: Record<string, string> = {
  PUSHER_APP_ID: TEST_PUSHER.appId,
  PUSHER_KEY: TEST_PUSHER.key,
  PUSHER_SECRET: TEST_PUSHER.secret,
  JWT_SECRET: TEST_JWT_SECRET,
  LOG_LEVEL: 'debug',
  // Limits stay wired in (as in production) but far above what any suite sends in a minute;
  // the rate-limit suite sets its own.
  RATE_LIMIT_PER_IP: '100000',
  RATE_LIMIT_PER_USER: '100000',
};

/** Keeps every log line so tests can assert what was (and was not) written. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  /** The JSON lines pino writes (one per request, and Fastify's own), parsed. */
  readonly json: Record<string, unknown>[] = [];
  /** A pino destination that keeps what it is given. */
  readonly stream = {
    write: (line: string) => {
      this.json.push(JSON.parse(line) as Record<string, unknown>);
    },
  };
  private write(level: string, message: unknown, rest: unknown[]): void {
    this.lines.push([level, String(message), ...rest.map(String)].join(' '));
  }
  log(message: unknown, ...rest: unknown[]) {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }
}

export interface TestApp {
  app: NestFastifyApplication;
  logs: CapturingLogger;
  /** What the service reads through. */
  directory: UserDirectory;
  /** The built-in schema's writer (users, groups, grants), as the CLI writes. */
  admin: DirectoryAdmin;
  seed(...users: DirectoryUser[]): Promise<void>;
  close(): Promise<void>;
}

/** Builds the real AppModule from an environment, exactly as `main.ts` does. */
export async function startTestApp(
  env: Record<string, string>,
): Promise<TestApp> {
  const logs = new CapturingLogger();
  const app = await createApp(loadServiceConfig({ ...BASE_ENV, ...env }), {
    logger: logs,
    logStream: logs.stream,
  });
  const backend = app.get(DirectoryBackend);
  const adminOf = (): DirectoryAdmin => {
    if (!backend.admin) {
      throw new Error('custom queries: the service writes no tables');
    }
    return backend.admin;
  };
  return {
    app,
    logs,
    directory: app.get(UserDirectory),
    get admin() {
      return adminOf();
    },
    async seed(...users) {
      for (const user of users) await adminOf().upsertUsers([user]);
    },
    close: () => app.close(),
  };
}

/** A SQLite file in a fresh temporary folder, removed by `cleanup`. */
export function temporarySqliteUrl(): { url: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pusher-auth-'));
  return {
    url: `sqlite://${join(dir, 'directory.db')}`,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

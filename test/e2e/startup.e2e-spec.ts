import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expectedUserAuth } from '../helpers/pusher-signature';
import {
  runServiceToExit,
  SERVICE_ENTRY,
  startService,
  stopService,
} from '../helpers/service-process';
import { TEST_JWT_SECRET } from '../helpers/test-app';

const execFileAsync = promisify(execFile);

describe('starting the compiled service', () => {
  let workDir: string;

  beforeAll(() => {
    if (!existsSync(SERVICE_ENTRY)) {
      throw new Error(
        `${SERVICE_ENTRY} is missing: run "npm run build" (npm test does it first)`,
      );
    }
  });
  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-start-'));
  });
  afterEach(() => rmSync(workDir, { recursive: true, force: true }));

  it('refuses production without configuration, listing every problem in one message', async () => {
    const { code, output } = await runServiceToExit(
      { NODE_ENV: 'production' },
      workDir,
    );
    expect(code).not.toBe(0);
    for (const name of [
      'PUSHER_APP_ID',
      'PUSHER_KEY',
      'PUSHER_SECRET',
      'JWT_SECRET',
    ]) {
      expect(output).toContain(name);
    }
    expect(output).toMatch(/Invalid configuration \(\d+ problems\)/);
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses production with weak settings and names each', async () => {
    const { code, output } = await runServiceToExit(
      {
        NODE_ENV: 'production',
        PUSHER_APP_ID: '1',
        PUSHER_KEY: 'key',
        PUSHER_SECRET: 'app-secret',
        JWT_SECRET: 'too-short',
        JWT_ALGORITHMS: 'none',
        CORS_ORIGINS: '*',
        DIRECTORY_URL: 'sqlite://:memory:',
      },
      workDir,
    );
    expect(code).not.toBe(0);
    expect(output).toContain('PUSHER_SECRET is a well-known default');
    expect(output).toContain('JWT_SECRET must be at least 32 bytes');
    expect(output).toContain('CORS_ORIGINS');
    expect(output).toContain('DIRECTORY_URL');
    expect(output).not.toContain('too-short');
  });

  it('stops with one clear line when PostgreSQL cannot be reached', async () => {
    const { code, output } = await runServiceToExit(
      {
        PUSHER_APP_ID: '1',
        PUSHER_KEY: 'key',
        PUSHER_SECRET: 'secret-secret',
        JWT_SECRET: TEST_JWT_SECRET,
        DIRECTORY_URL: 'postgres://postgres:hunter2@127.0.0.1:1/none',
      },
      workDir,
    );
    expect(code).not.toBe(0);
    expect(output).toMatch(
      /cannot start: the user directory \(DIRECTORY_URL\) is unreachable/,
    );
    expect(output).not.toContain('hunter2');
  });

  it('reads .env from the working directory, with real variables winning', async () => {
    writeFileSync(
      join(workDir, '.env'),
      'NODE_ENV=production\nPUSHER_APP_ID=1\nPUSHER_KEY=key\nPUSHER_SECRET=from-file-secret\n',
    );
    const { code, output } = await runServiceToExit(
      { PUSHER_KEY: '' },
      workDir,
    );
    expect(code).not.toBe(0);
    expect(output).not.toContain('PUSHER_APP_ID is required');
    expect(output).toContain('PUSHER_KEY is required');
    expect(output).toContain('the jwt strategy needs a key');
  });

  it('runs demo mode with no configuration, and its printed curl line returns a signed answer', async () => {
    const service = await startService(
      { PORT: '0', HOST: '127.0.0.1' },
      workDir,
      /curl [^\n]*socket_id=1234\.5678/,
    );
    try {
      expect(service.output()).toMatch(/DEMO MODE/);
      const { stdout } = await execFileAsync('sh', ['-c', service.match[0]]);
      const { auth, user_data: userData } = JSON.parse(stdout);
      expect(JSON.parse(userData)).toEqual({
        id: 'alice',
        user_info: { name: 'Alice' },
        watchlist: ['bob', 'carol'],
      });
      expect(auth).toBe(
        expectedUserAuth('app-key', 'app-secret', '1234.5678', userData),
      );
      // The embedded default directory was created in the working directory.
      expect(existsSync(join(workDir, 'data', 'directory.db'))).toBe(true);
    } finally {
      await stopService(service.child);
    }
  });
});

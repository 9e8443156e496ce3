import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, runCli } from '../helpers/cli-process';
import { expectedUserAuth } from '../helpers/pusher-signature';
import {
  runServiceToExit,
  startService,
  stopService,
} from '../helpers/service-process';

/** `cp .env.example .env && npm start`, in a folder of its own (npm start runs dist/main.js). */
describe('.env.example copied to .env', () => {
  let workDir: string;

  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-env-example-'));
    copyFileSync(join(PROJECT_ROOT, '.env.example'), join(workDir, '.env'));
  });
  afterEach(() => rmSync(workDir, { recursive: true, force: true }));

  it('starts a working local set-up (not demo mode) where a user added with the CLI signs in with a minted token', async () => {
    const service = await startService(
      // Only so that the test can run beside a service on port 3000.
      { PORT: '0', HOST: '127.0.0.1' },
      workDir,
      /listening on 127\.0\.0\.1:(\d+)/,
      60_000,
    );
    try {
      expect(service.output()).not.toContain('DEMO MODE');
      const cli = (...args: string[]) => runCli(args, {}, { cwd: workDir });
      expect(
        (
          await cli(
            'directory',
            'upsert',
            'alice',
            '--info',
            '{"name":"Alice"}',
          )
        ).code,
      ).toBe(0);
      const minted = await cli('token', 'alice');
      expect(minted.code).toBe(0);
      expect(minted.stderr).toContain('with JWT_SECRET');

      const response = await fetch(
        `http://127.0.0.1:${service.match[1]}/pusher/user-auth`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${minted.stdout.trim()}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: 'socket_id=1234.5678',
        },
      );
      expect(response.status).toBe(200);
      const { auth, user_data: userData } = (await response.json()) as {
        auth: string;
        user_data: string;
      };
      expect(JSON.parse(userData)).toEqual({
        id: 'alice',
        user_info: { name: 'Alice' },
      });
      // The example's Pusher app is a local soketi's default one.
      expect(auth).toBe(
        expectedUserAuth('app-key', 'app-secret', '1234.5678', userData),
      );
    } finally {
      await stopService(service.child);
    }
  }, 180_000);

  it('is refused in production, naming each public value it holds', async () => {
    const { code, output } = await runServiceToExit(
      { NODE_ENV: 'production' },
      workDir,
      60_000,
    );
    expect(code).toBe(1);
    expect(output).toContain('PUSHER_SECRET is a well-known default');
    expect(output).toContain(
      'JWT_SECRET is the development secret from .env.example',
    );
  }, 180_000);
});

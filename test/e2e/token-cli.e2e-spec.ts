import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli-process';
import { rsaKeyPair } from '../helpers/keys';
import { expectedUserAuth } from '../helpers/pusher-signature';
import { startService, stopService } from '../helpers/service-process';
import {
  BASE_ENV,
  startTestApp,
  temporarySqliteUrl,
  TEST_JWT_SECRET,
  TEST_PUSHER,
} from '../helpers/test-app';

const claimsOf = (token: string) =>
  JSON.parse(
    Buffer.from(token.split('.')[1], 'base64url').toString(),
  ) as Record<string, unknown>;

/** `npx pusher-auth token …`, through the package's bin, with only `env` and `cwd`'s .env. */
describe('pusher-auth token', () => {
  let workDir: string;

  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-token-'));
  });
  afterEach(() => rmSync(workDir, { recursive: true, force: true }));

  it('mints a demo token that signs a demo user in on the demo service, whose banner names the command', async () => {
    const service = await startService(
      { PORT: '0', HOST: '127.0.0.1' },
      workDir,
      // The banner (stderr) and the log (stdout) arrive in either order.
      /^(?=[\s\S]*npx pusher-auth token bob)[\s\S]*listening on 127\.0\.0\.1:(\d+)/,
      60_000,
    );
    try {
      const { code, stdout, stderr } = await runCli(
        ['token', 'bob'],
        {},
        { cwd: workDir },
      );
      expect(code).toBe(0);
      expect(stderr).toMatch(/token for "bob", HS256 with the public demo/);
      const token = stdout.trim();
      const claims = claimsOf(token);
      expect(claims.sub).toBe('bob');
      expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);

      const response = await fetch(
        `http://127.0.0.1:${service.match[1]}/pusher/user-auth`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
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
        id: 'bob',
        user_info: { name: 'Bob' },
        watchlist: ['alice'],
      });
      expect(auth).toBe(
        expectedUserAuth('app-key', 'app-secret', '1234.5678', userData),
      );
    } finally {
      await stopService(service.child);
    }
  }, 180_000);

  it('reads JWT_SECRET, the issuer and the audience from .env, and the service accepts the token', async () => {
    const sqlite = temporarySqliteUrl();
    const env = {
      ...BASE_ENV,
      DIRECTORY_URL: sqlite.url,
      JWT_ISSUER: 'https://api.example.com',
      JWT_AUDIENCE: 'pusher-auth',
    };
    writeFileSync(
      join(workDir, '.env'),
      Object.entries(env)
        .map(([name, value]) => `${name}=${value}`)
        .join('\n'),
    );
    const app = await startTestApp(env);
    try {
      await app.seed({ id: 'dora', userInfo: null, watchlist: [] });
      const { code, stdout, stderr } = await runCli(
        ['token', 'dora', '--ttl', '90m'],
        {},
        { cwd: workDir },
      );
      expect(code).toBe(0);
      expect(stderr).toMatch(/token for "dora", HS256 with JWT_SECRET/);
      expect(stderr).not.toContain(TEST_JWT_SECRET);
      const token = stdout.trim();
      const claims = claimsOf(token);
      expect(claims).toMatchObject({
        sub: 'dora',
        iss: 'https://api.example.com',
        aud: 'pusher-auth',
      });
      expect(Number(claims.exp) - Number(claims.iat)).toBe(90 * 60);

      const response = await app.app.inject({
        method: 'POST',
        url: '/pusher/user-auth',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: 'socket_id=1234.5678',
      });
      expect(response.statusCode).toBe(200);
      const { auth, user_data: userData } = response.json<{
        auth: string;
        user_data: string;
      }>();
      expect(userData).toBe('{"id":"dora"}');
      expect(auth).toBe(
        expectedUserAuth(
          TEST_PUSHER.key,
          TEST_PUSHER.secret,
          '1234.5678',
          userData,
        ),
      );
    } finally {
      await app.close();
      sqlite.cleanup();
    }
  }, 180_000);

  it.each([
    [
      'in production',
      { ...BASE_ENV, NODE_ENV: 'production' },
      /not minted with NODE_ENV=production/,
    ],
    [
      'with a public key',
      {
        PUSHER_APP_ID: '1',
        PUSHER_KEY: 'key',
        PUSHER_SECRET: 'secret',
        JWT_PUBLIC_KEY: rsaKeyPair().publicPem,
      },
      /JWT_PUBLIC_KEY is set: tokens are signed with its private key/,
    ],
    [
      'with remote keys',
      {
        PUSHER_APP_ID: '1',
        PUSHER_KEY: 'key',
        PUSHER_SECRET: 'secret',
        OIDC_ISSUER: 'https://login.example.com',
        JWT_AUDIENCE: 'app',
      },
      /the jwt keys are remote/,
    ],
  ])(
    'refuses %s with exit code 2 and prints no token',
    async (_, env, message) => {
      const { code, stdout, stderr } = await runCli(['token', 'alice'], env, {
        cwd: workDir,
      });
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    },
  );

  it('refuses a lifetime over a day, or unreadable, with exit code 2', async () => {
    for (const ttl of ['25h', '2d', '0', 'soon']) {
      const { code, stdout, stderr } = await runCli(
        ['token', 'alice', '--ttl', ttl],
        {},
        { cwd: workDir },
      );
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('--ttl must be from 1s to 24h');
    }
  });

  it('refuses an id the service could never sign, with exit code 1', async () => {
    const { code, stdout, stderr } = await runCli(
      ['token', 'not allowed!'],
      {},
      { cwd: workDir },
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('the user id must be 1-128 characters');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openOwnPostgres,
  OWN_BACKENDS,
  OwnDatabase,
  seedOwnTables,
  signedAs,
} from '../helpers/own-database';
import { runServiceToExit } from '../helpers/service-process';
import { signInOnApp } from '../helpers/sign-in';
import { BASE_ENV, startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

describe.each(OWN_BACKENDS)('custom queries on $name', (backend) => {
  let own: OwnDatabase;
  let service: TestApp | undefined;

  const start = async (env: Record<string, string>) => {
    await service?.close();
    service = await startTestApp({
      DIRECTORY_URL: own.url,
      DIRECTORY_CACHE_TTL_MS: '0',
      ...env,
    });
  };
  const signIn = (sub: string) => signInOnApp(service!.app, sub);
  const logged = (pattern: RegExp) =>
    service!.logs.lines.some((line) => pattern.test(line));

  beforeAll(async () => {
    own = await backend.open();
    await seedOwnTables(own);
  });

  afterAll(async () => {
    await service?.close();
    await own?.cleanup();
  });

  describe('a users table with display names and a follows table as the watchlist', () => {
    beforeAll(() =>
      start({
        DIRECTORY_USER_QUERY: backend.userQuery,
        DIRECTORY_WATCHLIST_QUERY: backend.watchlistQuery,
      }),
    );

    it('signs user_info built from your columns and the watchlist in your order', async () => {
      expect(await signIn('alice')).toEqual(signedAs('alice'));
    });

    it('leaves the watchlist out for a user who follows no one', async () => {
      expect((await signIn('carol')).user).toEqual({
        id: 'carol',
        user_info: {
          name: 'Carol C.',
          avatar: 'https://example.com/carol.png',
        },
      });
    });

    it('treats no row as an unknown user (403)', async () => {
      expect((await signIn('nobody')).status).toBe(403);
      expect((await signIn('gone')).status).toBe(403);
    });

    it('refuses rows that break the user rules, like built-in records, and keeps serving others', async () => {
      expect((await signIn('verbose')).status).toBe(403);
      expect(
        logged(
          /not signing user "verbose": user_info must be at most 1024 bytes/,
        ),
      ).toBe(true);
      expect((await signIn('odd')).status).toBe(403);
      expect(
        logged(
          /not signing user "odd": watchlist entries must be valid user ids/,
        ),
      ).toBe(true);
      expect((await signIn('bob')).status).toBe(200);
    });

    it('reads changes to your tables (here with the cache off)', async () => {
      await own.exec(
        "UPDATE users SET display_name = 'Bobby' WHERE id = 'bob'",
      );
      expect((await signIn('bob')).user).toMatchObject({
        user_info: { name: 'Bobby' },
      });
    });
  });

  describe('a query returning JSON as text, and bad shapes', () => {
    beforeAll(() =>
      start({
        DIRECTORY_USER_QUERY:
          'SELECT profile AS user_info FROM profiles WHERE id = $1',
      }),
    );

    it('parses JSON held in a text column', async () => {
      expect((await signIn('text-json')).user).toEqual({
        id: 'text-json',
        user_info: { ok: true },
      });
    });

    it('signs a null user_info as a user without one', async () => {
      expect((await signIn('nulled')).user).toEqual({ id: 'nulled' });
    });

    it.each([
      [
        'twice',
        /DIRECTORY_USER_QUERY returned 2 rows \(at most one expected\)/,
      ],
      ['not-json', /user_info must be a JSON object/],
      ['array', /user_info must be a JSON object/],
    ])('refuses %s with 403 and logs why', async (id, reason) => {
      expect((await signIn(id)).status).toBe(403);
      expect(
        logged(new RegExp(`not signing user "${id}": ${reason.source}`)),
      ).toBe(true);
    });
  });

  describe('an integer key', () => {
    beforeAll(() =>
      start({
        DIRECTORY_USER_QUERY:
          'SELECT profile AS user_info FROM numbered WHERE id = $1',
      }),
    );

    it('finds a numeric id, and answers 403 (not 503) for an id that cannot be a number', async () => {
      expect((await signIn('42')).user).toEqual({
        id: '42',
        user_info: { n: 42 },
      });
      expect((await signIn('alice')).status).toBe(403);
    });
  });

  describe('a broken query stops start-up with the database’s own message', () => {
    let workDir: string;
    beforeAll(() => {
      workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-query-'));
    });
    afterAll(() => rmSync(workDir, { recursive: true, force: true }));

    const startWith = (env: Record<string, string>) =>
      runServiceToExit(
        { ...BASE_ENV, DIRECTORY_URL: own.url, ...env },
        workDir,
      );

    it.each([
      [
        'a syntax error',
        'SELEC user_info FROM users WHERE id = $1',
        'syntaxError',
      ],
      [
        'a missing table',
        'SELECT user_info FROM nope WHERE id = $1',
        'missingTable',
      ],
    ] as const)('%s', async (_case, query, expected) => {
      const { code, output } = await startWith({ DIRECTORY_USER_QUERY: query });
      expect(code).toBe(1);
      expect(output).toMatch(
        /pusher-auth cannot start: DIRECTORY_USER_QUERY cannot be used: /,
      );
      expect(output).toMatch(backend[expected]);
      expect(output).not.toMatch(/\n\s+at /);
    });

    it('a query without the user_info column', async () => {
      const { code, output } = await startWith({
        DIRECTORY_USER_QUERY: 'SELECT display_name FROM users WHERE id = $1',
      });
      expect(code).toBe(1);
      expect(output).toContain(
        'DIRECTORY_USER_QUERY cannot be used: it must return a column named "user_info" (it returns "display_name")',
      );
    });

    it('a watchlist query without the id column', async () => {
      const { code, output } = await startWith({
        DIRECTORY_USER_QUERY: backend.userQuery,
        DIRECTORY_WATCHLIST_QUERY:
          'SELECT followee_id FROM follows WHERE follower_id = $1',
      });
      expect(code).toBe(1);
      expect(output).toContain(
        'DIRECTORY_WATCHLIST_QUERY cannot be used: it must return a column named "id"',
      );
    });

    it('a query that writes', async () => {
      const { code, output } = await startWith({
        DIRECTORY_USER_QUERY:
          'DELETE FROM users WHERE id = $1 RETURNING display_name AS user_info',
      });
      expect(code).toBe(1);
      // PostgreSQL: a read-only transaction (and role); SQLite: a read-only connection.
      expect(output).toMatch(
        /DIRECTORY_USER_QUERY cannot be used: .*(read-only|readonly|permission denied)/,
      );
    });

    it('a query that ignores $1 (configuration error, before any database is asked)', async () => {
      const { code, output } = await startWith({
        DIRECTORY_USER_QUERY: 'SELECT user_info FROM users LIMIT 1',
      });
      expect(code).toBe(1);
      expect(output).toContain(
        'DIRECTORY_USER_QUERY must use $1 for the user id',
      );
    });
  });
});

/** The trigger docs/directory-changes.md suggests for your own tables, run as written there. */
const DOCUMENTED_TRIGGER = [
  `CREATE FUNCTION notify_pusher_auth() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'DELETE' THEN
       PERFORM pg_notify('pusher_auth_directory', json_build_object('op', 'delete', 'id', OLD.id)::text);
     ELSE
       PERFORM pg_notify('pusher_auth_directory', json_build_object('op', 'change', 'id', NEW.id)::text);
     END IF;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER users_notify_pusher_auth AFTER INSERT OR UPDATE OR DELETE ON users
     FOR EACH ROW EXECUTE FUNCTION notify_pusher_auth()`,
];

describe('custom queries on PostgreSQL with your own trigger notifying the service', () => {
  let own: OwnDatabase;
  let service: TestApp;
  const signIn = () => signInOnApp(service.app, 'alice');

  beforeAll(async () => {
    own = await openOwnPostgres();
    for (const statement of DOCUMENTED_TRIGGER) await own.exec(statement);
    await own.exec(
      "INSERT INTO users (id, display_name, avatar_url) VALUES ('alice', 'Alice', 'https://example.com/a.png')",
    );
    service = await startTestApp({
      DIRECTORY_URL: own.url,
      DIRECTORY_CACHE_TTL_MS: '600000',
      DIRECTORY_USER_QUERY: OWN_BACKENDS[0].userQuery,
    });
  });

  afterAll(async () => {
    await service?.close();
    await own?.cleanup();
  });

  it('sees an update to your table at once, despite a long TTL', async () => {
    expect((await signIn()).user).toMatchObject({
      user_info: { name: 'Alice' },
    });
    await own.exec(
      "UPDATE users SET display_name = 'Alice Liddell' WHERE id = 'alice'",
    );
    await waitFor(
      'the change to be seen',
      async () =>
        ((await signIn()).user?.user_info as { name?: string } | undefined)
          ?.name === 'Alice Liddell',
    );
    await own.exec("DELETE FROM users WHERE id = 'alice'");
    await waitFor(
      'alice to be refused',
      async () => (await signIn()).status === 403,
    );
  });
});

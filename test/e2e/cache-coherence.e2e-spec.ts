import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { directoryCli } from '../helpers/cli-process';
import { createTestDatabase, TestDatabase } from '../helpers/postgres';
import { startService, stopService } from '../helpers/service-process';
import { signInOnApp, signInOnPort, SignInResult } from '../helpers/sign-in';
import {
  BASE_ENV,
  startTestApp,
  temporarySqliteUrl,
  TestApp,
} from '../helpers/test-app';
import { waitFor, waitForLog } from '../helpers/wait-for';
import { sqliteFileFromUrl } from '../../src/directory/backends/directory-connection';

/** A file of `count` users, alice among them with the given name: a bulk write. */
function bulkFile(dir: string, aliceName: string, count = 150): string {
  const lines = [
    JSON.stringify({ id: 'alice', user_info: { name: aliceName } }),
  ];
  for (let n = 1; n < count; n++)
    lines.push(JSON.stringify({ id: `bulk-${n}` }));
  const file = join(dir, `bulk-${aliceName}.jsonl`);
  writeFileSync(file, lines.join('\n'));
  return file;
}

/** Long enough that only a change notification can explain a fresh answer. */
const LONG_TTL_MS = '600000';

const nameOf = (result: SignInResult) =>
  (result.user?.user_info as { name?: string } | undefined)?.name;

/**
 * Runs the CLI and resolves with the moment it reported success (after its commit), and then
 * how long each replica took to answer with `expected`.
 */
async function timeUntilSeen(
  cli: (onStderr: (chunk: string) => void) => Promise<{ code: number | null }>,
  replicas: Record<string, () => Promise<SignInResult>>,
  seen: (result: SignInResult) => boolean,
): Promise<Record<string, number>> {
  let committedAt: number | undefined;
  const run = cli((chunk) => {
    if (/^(updated|created|removed) user/m.test(chunk))
      committedAt ??= performance.now();
  });
  const delays: Record<string, number> = {};
  await Promise.all(
    Object.entries(replicas).map(async ([name, signIn]) => {
      await waitFor(
        `replica ${name} to see the change`,
        async () => {
          if (committedAt === undefined) return false;
          const result = await signIn();
          if (!seen(result)) return false;
          delays[name] = Math.max(0, performance.now() - committedAt);
          return true;
        },
        10_000,
        5,
      );
    }),
  );
  expect((await run).code).toBe(0);
  return delays;
}

const report = (what: string, delays: Record<string, number>) =>
  console.log(
    `${what}: ${Object.entries(delays)
      .map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`)
      .join(
        ', ',
      )} after the CLI's commit (cache TTL ${Number(LONG_TTL_MS) / 1000} s)`,
  );

describe('two replicas on one PostgreSQL', () => {
  let database: TestDatabase;
  let replicaA: TestApp;
  let replicaB: { child: ChildProcess; output: () => string; port: number };
  let admin: Client;
  let workDir: string;

  const cli = (args: string[], onStderr?: (chunk: string) => void) =>
    directoryCli(database.url, args, { onStderr });
  const replicas = {
    A: () => signInOnApp(replicaA.app, 'alice'),
    B: () => signInOnPort(replicaB.port, 'alice'),
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-replica-'));
    const env = {
      DIRECTORY_URL: database.url,
      DIRECTORY_CACHE_TTL_MS: LONG_TTL_MS,
      // Replica B's own logger filters by level; its change lines are at trace level.
      LOG_LEVEL: 'trace',
    };
    replicaA = await startTestApp(env);
    const started = await startService(
      { ...BASE_ENV, ...env, PORT: '0', HOST: '127.0.0.1' },
      workDir,
      /listening on 127\.0\.0\.1:(\d+)/,
    );
    replicaB = { ...started, port: Number(started.match[1]) };
    admin = new Client({ connectionString: database.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    if (replicaB) await stopService(replicaB.child);
    await replicaA?.close();
    await database?.drop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('an update through the CLI is seen by both replicas at once, despite a long TTL', async () => {
    expect(
      (await cli(['upsert', 'alice', '--info', '{"name":"v1"}'])).code,
    ).toBe(0);
    // Both heard about the creation before they cache alice.
    await waitForLog(replicaA.logs.lines, /directory change: changed alice\b/);
    await waitFor('replica B to hear of alice', () =>
      /directory change: changed alice\b/.test(replicaB.output()),
    );
    for (const signIn of Object.values(replicas)) {
      expect(nameOf(await signIn())).toBe('v1');
    }

    // Control: a change that notifies no one is not seen, so the replicas really are caching.
    await admin.query(
      'ALTER TABLE directory_users DISABLE TRIGGER directory_users_updated',
    );
    await admin.query(
      `UPDATE directory_users SET user_info = '{"name":"silent"}' WHERE id = 'alice'`,
    );
    await admin.query(
      'ALTER TABLE directory_users ENABLE TRIGGER directory_users_updated',
    );
    for (const signIn of Object.values(replicas)) {
      expect(nameOf(await signIn())).toBe('v1');
    }

    const delays = await timeUntilSeen(
      (onStderr) =>
        cli(['upsert', 'alice', '--info', '{"name":"v2"}'], onStderr),
      replicas,
      (result) => nameOf(result) === 'v2',
    );
    report('PostgreSQL LISTEN/NOTIFY: update seen by', delays);
    expect(Object.keys(delays).sort()).toEqual(['A', 'B']);
  });

  it('an import of many users (announced as one reset) is seen by both replicas', async () => {
    for (const signIn of Object.values(replicas)) {
      expect(nameOf(await signIn())).toBe('v2');
    }
    expect((await cli(['import', bulkFile(workDir, 'v3')])).code).toBe(0);
    for (const [name, signIn] of Object.entries(replicas)) {
      await waitFor(
        `replica ${name} to see the import`,
        async () => nameOf(await signIn()) === 'v3',
      );
    }
  });

  it('a row deleted with plain SQL turns both replicas away from the user', async () => {
    await admin.query(`DELETE FROM directory_users WHERE id = 'alice'`);
    for (const [name, signIn] of Object.entries(replicas)) {
      await waitFor(
        `replica ${name} to refuse alice`,
        async () => (await signIn()).status === 403,
      );
    }
  });
});

describe('the SQLite directory changed by the CLI in another process', () => {
  let sqlite: { url: string; cleanup(): void };
  let service: TestApp;

  beforeAll(async () => {
    sqlite = temporarySqliteUrl();
    service = await startTestApp({
      DIRECTORY_URL: sqlite.url,
      DIRECTORY_CACHE_TTL_MS: LONG_TTL_MS,
    });
  });

  afterAll(async () => {
    await service?.close();
    sqlite?.cleanup();
  });

  it('sees an update and a removal through the change log', async () => {
    expect(
      (
        await directoryCli(sqlite.url, [
          'upsert',
          'alice',
          '--info',
          '{"name":"v1"}',
        ])
      ).code,
    ).toBe(0);
    await waitForLog(service.logs.lines, /directory change: changed alice\b/);
    expect(nameOf(await signInOnApp(service.app, 'alice'))).toBe('v1');

    // Control: without the change log's trigger, the cached user stays.
    const db = new Database(sqliteFileFromUrl(sqlite.url));
    try {
      db.exec('DROP TRIGGER directory_users_updated');
      db.exec(
        `UPDATE directory_users SET user_info = '{"name":"silent"}' WHERE id = 'alice'`,
      );
      expect(nameOf(await signInOnApp(service.app, 'alice'))).toBe('v1');
    } finally {
      db.exec(`CREATE TRIGGER directory_users_updated AFTER UPDATE ON directory_users BEGIN
        INSERT INTO directory_changes (op, user_id) VALUES ('change', NEW.id); END`);
      db.close();
    }

    const delays = await timeUntilSeen(
      (onStderr) =>
        directoryCli(
          sqlite.url,
          ['upsert', 'alice', '--info', '{"name":"v2"}'],
          { onStderr },
        ),
      { service: () => signInOnApp(service.app, 'alice') },
      (result) => nameOf(result) === 'v2',
    );
    report('SQLite change log: update seen by', delays);

    const dir = mkdtempSync(join(tmpdir(), 'pusher-auth-bulk-'));
    try {
      expect(
        (await directoryCli(sqlite.url, ['import', bulkFile(dir, 'v3')])).code,
      ).toBe(0);
      await waitFor(
        'the service to see the import',
        async () => nameOf(await signInOnApp(service.app, 'alice')) === 'v3',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    expect((await directoryCli(sqlite.url, ['remove', 'alice'])).code).toBe(0);
    await waitFor(
      'the service to refuse alice',
      async () => (await signInOnApp(service.app, 'alice')).status === 403,
    );
  });
});

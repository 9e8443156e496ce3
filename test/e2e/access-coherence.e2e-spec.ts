import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { sqliteFileFromUrl } from '../../src/directory/backends/directory-connection';
import { expectedChannelAuth } from '../helpers/channel-signature';
import { directoryCli } from '../helpers/cli-process';
import { claimsFor, signJwt } from '../helpers/jwt';
import { startService, stopService } from '../helpers/service-process';
import { STORAGE_BACKENDS, TestStorage } from '../helpers/storage-backends';
import {
  BASE_ENV,
  startTestApp,
  TEST_JWT_SECRET,
  TEST_PUSHER,
  TestApp,
} from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** Long enough that only a change notification can explain a fresh answer. */
const LONG_TTL_MS = '600000';
const SOCKET_ID = '1234.5678';

/** Plain SQL beside the CLI, on either backend (for the control that notifies no one). */
async function withSql(
  url: string,
  work: (run: (statement: string) => Promise<void>) => Promise<void>,
): Promise<void> {
  if (url.startsWith('postgres')) {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await work(async (statement) => void (await client.query(statement)));
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(sqliteFileFromUrl(url));
  try {
    await work((statement) => Promise.resolve(void db.exec(statement)));
  } finally {
    db.close();
  }
}

/**
 * Channel grants and group memberships changed with the CLI reach every replica's channel-access
 * cache at once, like user changes: one replica in this process, one compiled service.
 */
describe.each(STORAGE_BACKENDS)(
  'grant and group changes across two replicas on %s',
  (_backend, openStorage) => {
    let storage: TestStorage;
    let replicaA: TestApp;
    let replicaB: { child: ChildProcess; port: number } | undefined;
    let workDir: string;

    const cli = async (...args: string[]) => {
      const result = await directoryCli(storage.url, args);
      expect(result).toMatchObject({ code: 0 });
    };
    const body = (channel: string) =>
      `socket_id=${SOCKET_ID}&channel_name=${channel}`;
    const headers = (user: string) => ({
      authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor(user))}`,
      'content-type': 'application/x-www-form-urlencoded',
    });
    /** The status each replica answers; a 200 must carry a signature we recompute. */
    async function statuses(user: string, channel: string) {
      const a = await replicaA.app.inject({
        method: 'POST',
        url: '/pusher/auth',
        headers: headers(user),
        payload: body(channel),
      });
      const b = await fetch(`http://127.0.0.1:${replicaB!.port}/pusher/auth`, {
        method: 'POST',
        headers: headers(user),
        body: body(channel),
      });
      const expected = expectedChannelAuth(
        TEST_PUSHER.key,
        TEST_PUSHER.secret,
        SOCKET_ID,
        channel,
      );
      if (a.statusCode === 200) expect(a.json()).toEqual({ auth: expected });
      if (b.status === 200) expect(await b.json()).toEqual({ auth: expected });
      return { A: a.statusCode, B: b.status };
    }
    const bothAnswer = (user: string, channel: string, status: number) =>
      waitFor(
        `both replicas to answer ${status} for ${user} on ${channel}`,
        async () => {
          const seen = await statuses(user, channel);
          return seen.A === status && seen.B === status;
        },
        30_000,
        25,
      );

    beforeAll(async () => {
      storage = await openStorage();
      workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-access-'));
      const env = {
        DIRECTORY_URL: storage.url,
        DIRECTORY_CACHE_TTL_MS: LONG_TTL_MS,
      };
      replicaA = await startTestApp(env);
      const started = await startService(
        { ...BASE_ENV, ...env, PORT: '0', HOST: '127.0.0.1' },
        workDir,
        /listening on 127\.0\.0\.1:(\d+)/,
        60_000,
      );
      replicaB = { child: started.child, port: Number(started.match[1]) };
      await cli('upsert', 'alice');
      await cli('upsert', 'bob');
    }, 180_000);

    afterAll(async () => {
      if (replicaB) await stopService(replicaB.child);
      await replicaA?.close();
      await storage?.cleanup();
      rmSync(workDir, { recursive: true, force: true });
    });

    it('a grant to a user, and its revocation, are seen by both at once despite a long TTL', async () => {
      // Cached as "no grant" on both replicas first.
      await bothAnswer('alice', 'private-project-apollo', 403);

      // Control: a grant written without notifying anyone is not seen: the replicas cache.
      const postgres = storage.url.startsWith('postgres');
      await withSql(storage.url, async (run) => {
        await run(
          postgres
            ? 'ALTER TABLE directory_channel_grants DISABLE TRIGGER directory_channel_grants_inserted'
            : 'DROP TRIGGER directory_channel_grants_inserted',
        );
        await run(
          `INSERT INTO directory_channel_grants (subject_kind, subject_id, channel_pattern) VALUES ('user', 'alice', 'private-project-silent')`,
        );
      });
      expect(await statuses('alice', 'private-project-silent')).toEqual({
        A: 403,
        B: 403,
      });
      await withSql(storage.url, async (run) => {
        await run(
          postgres
            ? 'ALTER TABLE directory_channel_grants ENABLE TRIGGER directory_channel_grants_inserted'
            : `CREATE TRIGGER directory_channel_grants_inserted AFTER INSERT ON directory_channel_grants BEGIN
                 INSERT INTO directory_changes (op, user_id) SELECT 'access', NEW.subject_id WHERE NEW.subject_kind = 'user';
                 INSERT INTO directory_changes (op) SELECT 'access-reset' WHERE NEW.subject_kind = 'group';
               END`,
        );
        // Announced (a deletion), so the silent grant is gone everywhere again.
        await run(`DELETE FROM directory_channel_grants`);
      });
      await bothAnswer('alice', 'private-project-silent', 403);

      await cli('grant', 'user', 'alice', 'private-project-apollo');
      await bothAnswer('alice', 'private-project-apollo', 200);
      // Only alice's access changed.
      expect(await statuses('bob', 'private-project-apollo')).toEqual({
        A: 403,
        B: 403,
      });

      await cli('revoke', 'user', 'alice', 'private-project-apollo');
      await bothAnswer('alice', 'private-project-apollo', 403);
    }, 300_000);

    it('a group grant and a membership, added and taken away, are seen by both at once', async () => {
      await bothAnswer('bob', 'private-room-1', 403);
      await cli('grant', 'group', 'support', 'private-room-*');
      // The group has no members yet: still refused, now read afresh.
      await bothAnswer('bob', 'private-room-1', 403);

      await cli('groups', 'add', 'support', 'bob');
      await bothAnswer('bob', 'private-room-1', 200);

      await cli('groups', 'remove', 'support', 'bob');
      await bothAnswer('bob', 'private-room-1', 403);

      await cli('groups', 'add', 'support', 'bob');
      await bothAnswer('bob', 'private-room-1', 200);
      await cli('revoke', 'group', 'support', 'private-room-*');
      await bothAnswer('bob', 'private-room-1', 403);
    }, 300_000);
  },
);

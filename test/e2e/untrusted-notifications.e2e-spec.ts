import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { directoryCli } from '../helpers/cli-process';
import {
  createTestDatabase,
  POSTGRES_URL,
  TestDatabase,
} from '../helpers/postgres';
import { PusherRestStandIn } from '../helpers/pusher-rest-stand-in';
import { startService, stopService } from '../helpers/service-process';
import { signInOnPort } from '../helpers/sign-in';
import { BASE_ENV } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * PostgreSQL lets any role NOTIFY any channel, with no right on any table. A notification is
 * therefore a hint to read again, never a fact: these tests send the service's own payloads
 * from a role that cannot even read the directory.
 */
describe('change notifications from a role without rights (PostgreSQL)', () => {
  const intruderRole = `intruder_${randomBytes(4).toString('hex')}`;
  let database: TestDatabase;
  let pusherApi: PusherRestStandIn;
  let service: { child: ChildProcess; port: number; output: () => string };
  let intruder: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    const file = join(tmpdir(), `notify-users-${process.pid}.jsonl`);
    writeFileSync(
      file,
      ['alice', 'bob'].map((id) => JSON.stringify({ id })).join('\n'),
    );
    expect((await directoryCli(database.url, ['import', file])).code).toBe(0);
    pusherApi = new PusherRestStandIn();
    await pusherApi.start();
    const started = await startService(
      {
        ...BASE_ENV,
        DIRECTORY_URL: database.url,
        TERMINATE_ON_REMOVE: 'true',
        TERMINATE_ON_REVOKE: 'true',
        PUSHER_HOST: '127.0.0.1',
        PUSHER_PORT: String(pusherApi.port),
        PUSHER_USE_TLS: 'false',
        PORT: '0',
        HOST: '127.0.0.1',
      },
      process.cwd(),
      /listening on 127\.0\.0\.1:(\d+)/,
    );
    service = {
      child: started.child,
      port: Number(started.match[1]),
      output: started.output,
    };
    await waitFor('the change listener', () =>
      /listening for directory changes/.test(service.output()),
    );
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(`CREATE ROLE ${intruderRole} LOGIN`);
    await admin.end();
    const url = new URL(database.url);
    url.username = intruderRole;
    intruder = new Client({ connectionString: url.toString() });
    await intruder.connect();
  });

  afterAll(async () => {
    await intruder?.end();
    if (service) await stopService(service.child);
    await pusherApi?.stop();
    await database?.drop();
    const admin = new Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${intruderRole}`);
    await admin.end();
  });

  const count = (pattern: RegExp) =>
    service.output().match(new RegExp(pattern, 'g'))?.length ?? 0;

  const terminationsOf = (id: string) =>
    pusherApi.requests.filter((request) =>
      request.path.endsWith(`/users/${id}/terminate_connections`),
    );

  it('the role can read nothing of the directory, yet may notify', async () => {
    await expect(
      intruder.query('SELECT id FROM directory_users'),
    ).rejects.toThrow(/permission denied/);
    await intruder.query(
      `NOTIFY pusher_auth_directory, '{"op":"change","id":"nobody"}'`,
    );
  });

  it('ends no connections for made-up revocation notices, and cannot write the revocation log', async () => {
    for (const args of [
      ['grant', 'user', 'alice', 'private-project-apollo'],
      ['groups', 'add', 'support', 'alice'],
      ['grant', 'user', 'carol', 'private-project-gemini'],
    ]) {
      expect((await directoryCli(database.url, args)).code).toBe(0);
    }
    await expect(
      intruder.query(
        `INSERT INTO directory_revocations (user_id, channel_pattern) VALUES ('alice', 'private-project-apollo')`,
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      intruder.query('SELECT directory_revocations_logged()'),
    ).rejects.toThrow(/permission denied/);
    for (const payload of [
      '{"op":"revoke"}',
      '{"op":"revoke","id":"alice"}',
      '{"op":"revoke","user":"alice","pattern":"private-project-apollo"}',
      '{"op":"revoke","user_id":"alice","channel_pattern":"private-project-apollo"}',
      '{"op":"revoke","group":"support","user":"alice"}',
      '{"op":"revoke-grant","subject_kind":"user","subject_id":"alice"}',
      '{"op":"access","id":"alice"}',
      '{"op":"access-reset"}',
    ]) {
      await intruder.query(`SELECT pg_notify('pusher_auth_directory', $1)`, [
        payload,
      ]);
    }
    // A real revocation after them: once its call is made, the notices were read long before.
    expect(
      (
        await directoryCli(database.url, [
          'revoke',
          'user',
          'carol',
          'private-project-gemini',
        ])
      ).code,
    ).toBe(0);
    await waitFor('the call ending carol’s connections', () =>
      terminationsOf('carol').length > 0 ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(terminationsOf('alice')).toEqual([]);
  });

  it('ends no connections for a "delete" of a user the directory still holds', async () => {
    await intruder.query(
      `NOTIFY pusher_auth_directory, '{"op":"delete","id":"alice"}'`,
    );
    // A real removal after it: once its call is made, alice's notice was handled long before.
    expect((await directoryCli(database.url, ['remove', 'bob'])).code).toBe(0);
    await waitFor('the call ending bob’s connections', () =>
      terminationsOf('bob').length > 0 ? true : undefined,
    );
    await waitFor('the log line naming the refused notice', () =>
      /said user \\?"alice\\?" was removed, but the directory still holds them/.test(
        service.output(),
      ),
    );
    expect(terminationsOf('alice')).toEqual([]);
    // And alice still signs in.
    expect((await signInOnPort(service.port, 'alice')).status).toBe(200);
  });

  it('ends no connections for "delete" notices in other shapes, and once for the real removal', async () => {
    for (const payload of [
      '{"op":"delete","id":"alice","extra":1}',
      '{"op":"delete","id":"alice "}',
      '{"op":"delete","id":"."}',
    ]) {
      await intruder.query(`SELECT pg_notify('pusher_auth_directory', $1)`, [
        payload,
      ]);
    }
    // Each notice handled (and refused) before the real removal below.
    await waitFor('the three notices to be refused', () =>
      count(/still holds them/) >= 2 &&
      count(/is not a valid Pusher user id: no connections to end/) >= 2
        ? true
        : undefined,
    );
    expect((await directoryCli(database.url, ['remove', 'alice'])).code).toBe(
      0,
    );
    await waitFor('the call ending alice’s connections', () =>
      terminationsOf('alice').length > 0 ? true : undefined,
    );
    // Exactly one: for the real removal, whatever the notices before it said.
    expect(terminationsOf('alice')).toHaveLength(1);
    expect(
      pusherApi.requests.filter((request) =>
        /\/users\/(\.|alice%20|alice )\//.test(request.path),
      ),
    ).toEqual([]);
  });
});

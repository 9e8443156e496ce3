import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteFileFromUrl } from '../../src/directory/backends/directory-connection';
import { directoryCli, runCli } from '../helpers/cli-process';
import { closedPort } from '../helpers/local-http-server';

/**
 * `npx pusher-auth explain`: the same decision as the channel endpoint, printed step by step,
 * through the real CLI against a real directory and policy file.
 */
describe('pusher-auth explain', () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pusher-auth-explain-'));
    const url = `sqlite://${join(dir, 'directory.db')}`;
    const port = await closedPort();
    writeFileSync(
      join(dir, 'policy.yaml'),
      `
rules:
  - description: document viewers
    channels: 'presence-doc-{doc}'
    allow:
      sql: SELECT user_info FROM doc_viewers WHERE doc_id = :doc AND user_id = :user
  - description: rooms for bob
    channels: 'presence-room-*'
    allow: { users: [bob] }
  - description: orders, decided by the shop
    channels: 'private-order-{order}'
    allow: { http: 'http://127.0.0.1:${port}/channel-access' }
`,
    );
    env = {
      DIRECTORY_URL: url,
      CHANNEL_POLICY_FILE: join(dir, 'policy.yaml'),
      PUSHER_APP_ID: '1',
      PUSHER_KEY: 'key',
      PUSHER_SECRET: 'secret-secret',
      JWT_SECRET: 'x'.repeat(40),
    };
    for (const id of ['alice', 'bob']) {
      expect((await directoryCli(url, ['upsert', id])).code).toBe(0);
    }
    const db = new Database(sqliteFileFromUrl(url));
    db.exec(
      `CREATE TABLE doc_viewers (doc_id TEXT, user_id TEXT, user_info TEXT);
       INSERT INTO doc_viewers VALUES ('42', 'alice', '{"role":"editor"}');`,
    );
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const explain = (...args: string[]) => runCli(['explain', ...args], env);

  it('allows, naming each source consulted in order and the one that allowed', async () => {
    const { code, stdout } = await explain('alice', 'presence-doc-42');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^user "alice": accepted/);
    expect(lines[1]).toBe('channel presence-doc-42 (app default):');
    expect(lines[2]).toMatch(/^ {2}1\. built-in .*: pattern does not match$/);
    expect(stdout).toContain(
      '. rule 0 "document viewers" (presence-doc-{doc}): sql relation allows',
    );
    expect(lines.at(-1)).toBe(
      'ALLOWED by rule 0 (sql relation); presence user_info from the relation {"role":"editor"}',
    );
  });

  it('refuses, naming every rule whose pattern matched and why it did not allow', async () => {
    const { code, stdout } = await explain('alice', 'presence-room-1');
    expect(code).toBe(1);
    expect(stdout).toContain(
      '. rule 1 "rooms for bob" (presence-room-*): pattern matches, but the rule does not admit this user',
    );
    expect(stdout.trim().split('\n').at(-1)).toBe(
      'REFUSED: rule 1: user not admitted',
    );
    const relation = await explain('bob', 'presence-doc-42');
    expect(relation.code).toBe(1);
    expect(relation.stdout.trim().split('\n').at(-1)).toBe(
      'REFUSED: rule 0: sql relation returned no row',
    );
  });

  it('refuses a user the directory does not hold, before any rule', async () => {
    const { code, stdout } = await explain('mallory', 'presence-doc-42');
    expect(code).toBe(1);
    expect(stdout).toContain('user "mallory": not in the directory');
    expect(stdout).not.toContain('rule 0');
  });

  it('says a relation that cannot answer makes the endpoint answer 503, with exit code 3', async () => {
    const { code, stdout, stderr } = await explain('alice', 'private-order-7');
    expect(code).toBe(3);
    expect(stdout).toMatch(
      /rule 2 "orders, decided by the shop" .*: http relation \(http:\/\/127\.0\.0\.1:\d+\/channel-access\) could not answer/,
    );
    expect(stdout).toMatch(/UNAVAILABLE: .*answers 503/);
    expect(stderr).toContain('the decision could not be made now (503)');
  });

  it('refuses a malformed channel name or an unknown app with exit code 2', async () => {
    expect((await explain('alice', 'public-lobby')).code).toBe(2);
    const app = await explain('alice', 'presence-doc-42', '--app', 'nope');
    expect(app.code).toBe(2);
    expect(app.stderr).toContain('no app named "nope"');
  });
});

import { expectedChannelAuth } from '../helpers/channel-signature';
import { claimsFor, signJwt } from '../helpers/jwt';
import { LocalHttpServer } from '../helpers/local-http-server';
import { writePolicyFile } from '../helpers/policy-file';
import { execSql } from '../helpers/plain-sql';
import { STORAGE_BACKENDS, TestStorage } from '../helpers/storage-backends';
import {
  startTestApp,
  TEST_JWT_SECRET,
  TEST_PUSHER,
  TestApp,
} from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

const SOCKET = '1.2';

const authorize = (service: TestApp, user: string, channels: string[]) =>
  service.app.inject({
    method: 'POST',
    url: '/pusher/auth',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor(user))}`,
    },
    payload:
      `socket_id=${SOCKET}&` +
      (channels.length === 1
        ? `channel_name=${channels[0]}`
        : channels.map((c, i) => `channel_name[${i}]=${c}`).join('&')),
  });

/** Checks a presence answer's signature independently and returns its channel_data. */
function presenceData(
  body: { auth: string; channel_data: string },
  channel: string,
) {
  expect(body.auth).toBe(
    expectedChannelAuth(
      TEST_PUSHER.key,
      TEST_PUSHER.secret,
      SOCKET,
      channel,
      body.channel_data,
    ),
  );
  return JSON.parse(body.channel_data) as {
    user_id: string;
    user_info?: unknown;
  };
}

/** Authorizes `user` for the presence `channel`, expecting a 200, and returns the signed member. */
async function presenceMember(service: TestApp, user: string, channel: string) {
  const response = await authorize(service, user, [channel]);
  expect(response.statusCode).toBe(200);
  return presenceData(response.json(), channel);
}

describe.each(STORAGE_BACKENDS)('sql relations on %s', (_name, open) => {
  let storage: TestStorage;
  let service: TestApp;
  let policy: { path: string; cleanup(): void };

  beforeAll(async () => {
    storage = await open();
    policy = writePolicyFile(`
rules:
  - description: document viewers
    channels: ['presence-doc-{doc}', 'private-doc-{doc}-*']
    allow:
      sql: >-
        SELECT user_info FROM doc_viewers
        WHERE doc_id = :doc AND user_id = :user -- :nope in a comment is not a parameter
`);
    // The service creates the directory's tables; the team's own table is created beside them.
    service = await startTestApp({
      DIRECTORY_URL: storage.url,
      DIRECTORY_CACHE_TTL_MS: '600000',
      CHANNEL_RELATION_CACHE_TTL_MS: '600000',
    });
    await service.close();
    await execSql(
      storage.url,
      `CREATE TABLE doc_viewers (doc_id TEXT NOT NULL, user_id TEXT NOT NULL, user_info TEXT);
       INSERT INTO doc_viewers VALUES ('d1', 'alice', '{"name":"Alice on d1"}'), ('d2', 'bob', NULL);`,
    );
    service = await startTestApp({
      DIRECTORY_URL: storage.url,
      CHANNEL_POLICY_FILE: policy.path,
      DIRECTORY_CACHE_TTL_MS: '600000',
      CHANNEL_RELATION_CACHE_TTL_MS: '600000',
    });
    await service.seed(
      { id: 'alice', userInfo: { name: 'Alice' }, watchlist: [] },
      { id: 'bob', userInfo: { name: 'Bob' }, watchlist: [] },
    );
  });
  afterAll(async () => {
    await service?.close();
    await storage?.cleanup();
    policy?.cleanup();
  });

  it('allows a viewer, with the relation’s user_info as the presence member’s', async () => {
    expect(await presenceMember(service, 'alice', 'presence-doc-d1')).toEqual({
      user_id: 'alice',
      user_info: { name: 'Alice on d1' },
    });
  });

  it('keeps the directory’s user_info when the relation returns none', async () => {
    expect(await presenceMember(service, 'bob', 'presence-doc-d2')).toEqual({
      user_id: 'bob',
      user_info: { name: 'Bob' },
    });
  });

  it('denies when the relation returns no row, and says why in the request line', async () => {
    const before = service.logs.json.length;
    expect(
      (await authorize(service, 'bob', ['presence-doc-d1'])).statusCode,
    ).toBe(403);
    expect(
      (await authorize(service, 'bob', ['private-doc-d1-notes'])).statusCode,
    ).toBe(403);
    const lines = service.logs.json.slice(before);
    expect(lines.map((line) => line.reason)).toContain(
      'presence-doc-d1: rule 0: sql relation returned no row',
    );
    // The reason never reaches the answer.
    expect(
      (await authorize(service, 'bob', ['presence-doc-d1'])).body,
    ).not.toContain('relation');
  });

  it('sees a change to the team’s table once a relations notice arrives, despite a long cache TTL', async () => {
    expect(
      (await authorize(service, 'bob', ['presence-doc-d3'])).statusCode,
    ).toBe(403);
    await execSql(
      storage.url,
      `INSERT INTO doc_viewers VALUES ('d3', 'bob', NULL)`,
    );
    // Cached: the table changed, but nothing said so yet.
    expect(
      (await authorize(service, 'bob', ['presence-doc-d3'])).statusCode,
    ).toBe(403);
    await execSql(
      storage.url,
      storage.url.startsWith('sqlite://')
        ? `INSERT INTO directory_changes (op) VALUES ('relations')`
        : `NOTIFY pusher_auth_directory, '{"op":"relations"}'`,
    );
    await waitFor('the relation to allow bob', async () =>
      (await authorize(service, 'bob', ['presence-doc-d3'])).statusCode === 200
        ? true
        : undefined,
    );
  });
});

describe('http relations', () => {
  let app: LocalHttpServer;
  let elsewhere: LocalHttpServer;
  let service: TestApp;
  let policy: { path: string; cleanup(): void };
  const answers = new Map<string, () => [number, string?]>();

  beforeAll(async () => {
    elsewhere = await LocalHttpServer.start((_request, response) =>
      response.writeHead(200).end('{}'),
    );
    app = await LocalHttpServer.start((request, response) => {
      const { channel } = JSON.parse(request.body) as { channel: string };
      const answer = answers.get(channel)?.() ?? [403];
      if (answer[0] === 0) return; // never answers
      response
        .writeHead(answer[0], {
          'content-type': 'application/json',
          ...(answer[0] === 302
            ? { location: `${elsewhere.origin}/grant` }
            : {}),
        })
        .end(answer[1] ?? '');
    });
    policy = writePolicyFile(`
rules:
  - description: orders, decided by the shop
    channels: ['private-order-{order}', 'presence-order-{order}']
    allow:
      http: { url: '${app.origin}/channel-access', timeout_ms: 300 }
`);
    service = await startTestApp({
      DIRECTORY_URL: 'sqlite://:memory:',
      CHANNEL_POLICY_FILE: policy.path,
      CHANNEL_RELATION_CACHE_TTL_MS: '0',
    });
    await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
  });
  afterAll(async () => {
    await service?.close();
    await app?.stop();
    await elsewhere?.stop();
    policy?.cleanup();
  });

  it('posts the user, channel, captures and app, and allows on 200 with user_info', async () => {
    answers.set('presence-order-7', () => [
      200,
      '{"user_info":{"role":"buyer"}}',
    ]);
    expect(await presenceMember(service, 'alice', 'presence-order-7')).toEqual({
      user_id: 'alice',
      user_info: { role: 'buyer' },
    });
    const asked = app.received.at(-1)!;
    expect(asked.method).toBe('POST');
    expect(asked.path).toBe('/channel-access');
    expect(JSON.parse(asked.body)).toEqual({
      user: 'alice',
      channel: 'presence-order-7',
      captures: { order: '7' },
      app: 'default',
    });
  });

  it.each([403, 404])('denies on %i', async (status) => {
    answers.set(`private-order-d${status}`, () => [status]);
    expect(
      (await authorize(service, 'alice', [`private-order-d${status}`]))
        .statusCode,
    ).toBe(403);
  });

  it.each([
    ['answers 500', () => [500] as [number]],
    ['does not answer within timeout_ms', () => [0] as [number]],
    [
      'answers with a body over 64 KiB',
      () => [200, `{"pad":"${'x'.repeat(70_000)}"}`] as [number, string],
    ],
  ])(
    'answers 503 with Retry-After, signing nothing, when the app %s',
    async (_case, answer) => {
      answers.set('private-order-broken', answer);
      const response = await authorize(service, 'alice', [
        'private-order-broken',
      ]);
      expect(response.statusCode).toBe(503);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.body).not.toContain('auth');
    },
  );

  it('never follows a redirect to another host', async () => {
    answers.set('private-order-moved', () => [302]);
    const response = await authorize(service, 'alice', ['private-order-moved']);
    expect(response.statusCode).toBe(503);
    expect(elsewhere.received).toEqual([]);
  });

  it('asks each distinct relation once per batch, and answers 503 for the one that fails alone', async () => {
    answers.set('private-order-1', () => [200]);
    answers.set('presence-order-1', () => [200]);
    answers.set('private-order-2', () => [403]);
    answers.set('private-order-3', () => [500]);
    const before = app.received.length;
    const response = await authorize(service, 'alice', [
      'private-order-1',
      'private-order-1',
      'private-order-2',
      'private-order-3',
      'private-user-alice',
    ]);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body['private-order-1'].status).toBe(200);
    expect(body['private-order-2']).toEqual({ status: 403 });
    expect(body['private-order-3'].status).toBe(503);
    expect(body['private-order-3'].data).toBeUndefined();
    expect(body['private-user-alice'].status).toBe(200);
    const asked = app.received
      .slice(before)
      .map((r) => (JSON.parse(r.body) as { channel: string }).channel);
    expect(asked.sort()).toEqual([
      'private-order-1',
      'private-order-2',
      'private-order-3',
    ]);
  });
});

describe('relations that cannot be used stop start-up, naming the rule', () => {
  async function expectStartRefused(policyYaml: string, problem: RegExp) {
    const policy = writePolicyFile(policyYaml);
    try {
      await expect(
        startTestApp({
          DIRECTORY_URL: 'sqlite://:memory:',
          CHANNEL_POLICY_FILE: policy.path,
        }),
      ).rejects.toThrow(problem);
    } finally {
      policy.cleanup();
    }
  }

  it.each([
    [
      'a query the database refuses',
      'SELECT 1 FROM no_such_table WHERE x = :user',
      /rules\[0\]\.allow\.sql: .*no_such_table/,
    ],
    [
      'a parameter no pattern captures',
      'SELECT 1 WHERE :doc = :user',
      /rules\[0\]\.allow\.sql: uses :doc, which pattern private-x-{thing} does not capture/,
    ],
    [
      'a query that writes',
      'INSERT INTO directory_users (id) VALUES (:user) RETURNING id',
      /rules\[0\]\.allow\.sql: /,
    ],
  ])('%s', async (_case, query, problem) => {
    await expectStartRefused(
      `
rules:
  - channels: 'private-x-{thing}'
    allow: { sql: "${query}" }
`,
      problem,
    );
  });

  it('refuses a named capture in a rule that asks no relation (a typo would widen it)', async () => {
    await expectStartRefused(
      `
rules:
  - channels: 'private-team-{grop}'
    allow: any-user
`,
      /unknown placeholder \{grop\}/,
    );
  });
});

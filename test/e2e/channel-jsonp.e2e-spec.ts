import { runInNewContext } from 'node:vm';
import { expectedChannelAuth } from '../helpers/channel-signature';
import { claimsFor, signJwt } from '../helpers/jwt';
import { writePolicyFile } from '../helpers/policy-file';
import {
  startTestApp,
  TEST_JWT_SECRET,
  TEST_PUSHER,
  TestApp,
} from '../helpers/test-app';

const token = () => signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'));
const PUSHER_CALLBACK = "Pusher.auth_callbacks['2']";

const jsonpUrl = (params: Record<string, string>) =>
  `/pusher/auth?${new URLSearchParams(params).toString()}`;

/** Runs a JSONP answer the way a browser would, with pusher-js's callback table in scope. */
function callbacksOf(script: string): unknown[] {
  const received: unknown[] = [];
  const Pusher = {
    auth_callbacks: { '2': (data: unknown) => received.push(data) },
  };
  runInNewContext(script, { Pusher });
  return received;
}

describe('JSONP channel authorization (JSONP_ENABLED=true, JWT_QUERY_PARAM=token)', () => {
  let policy: { path: string; cleanup(): void };
  let service: TestApp;

  beforeAll(async () => {
    policy = writePolicyFile(
      'rules:\n  - channels: presence-lobby\n    allow: any-user\n',
    );
    service = await startTestApp({
      DIRECTORY_URL: 'sqlite://:memory:',
      JSONP_ENABLED: 'true',
      JWT_QUERY_PARAM: 'token',
      CHANNEL_POLICY_FILE: policy.path,
    });
    await service.seed({
      id: 'alice',
      userInfo: { name: 'Alice </script>\u2028' },
      watchlist: [],
    });
  });
  afterAll(async () => {
    await service?.close();
    policy?.cleanup();
  });

  it("calls pusher-js's callback with a correctly signed presence answer", async () => {
    const response = await service.app.inject({
      method: 'GET',
      url: jsonpUrl({
        callback: PUSHER_CALLBACK,
        socket_id: '12.34',
        channel_name: 'presence-lobby',
        token: token(),
      }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(
      /^application\/javascript/,
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-store');
    const [answer] = callbacksOf(response.body) as {
      auth: string;
      channel_data: string;
    }[];
    expect(JSON.parse(answer.channel_data)).toEqual({
      user_id: 'alice',
      user_info: { name: 'Alice </script>\u2028' },
    });
    expect(answer.auth).toBe(
      expectedChannelAuth(
        TEST_PUSHER.key,
        TEST_PUSHER.secret,
        '12.34',
        'presence-lobby',
        answer.channel_data,
      ),
    );
  });

  it.each(['alert(1)//', '</script><script>alert(1)</script>', ''])(
    'answers 400 naming callback for %j, before identifying anyone',
    async (callback) => {
      const response = await service.app.inject({
        method: 'GET',
        url: jsonpUrl({
          callback,
          socket_id: '1.2',
          channel_name: 'private-user-alice',
        }),
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json().message.join(' ')).toMatch(/^callback /);
      if (callback) expect(response.body).not.toContain(callback);
    },
  );

  it('answers 400 naming channel_name for a bad channel, without calling back', async () => {
    const response = await service.app.inject({
      method: 'GET',
      url: jsonpUrl({
        callback: PUSHER_CALLBACK,
        socket_id: '1.2',
        channel_name: 'news',
        token: token(),
      }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message[0]).toMatch(/^channel_name /);
    expect(response.body).not.toContain('auth_callbacks');
  });

  it('never authenticates with a cookie or an Authorization header', async () => {
    for (const headers of [
      { cookie: `token=${token()}` },
      { authorization: `Bearer ${token()}` },
    ]) {
      const response = await service.app.inject({
        method: 'GET',
        url: jsonpUrl({
          callback: PUSHER_CALLBACK,
          socket_id: '1.2',
          channel_name: 'private-user-alice',
        }),
        headers,
      });
      expect(response.statusCode).toBe(403);
      expect(response.body).not.toContain('auth_callbacks');
    }
  });

  it('refuses a channel the policy does not allow with 403, never calling back', async () => {
    const response = await service.app.inject({
      method: 'GET',
      url: jsonpUrl({
        callback: PUSHER_CALLBACK,
        socket_id: '1.2',
        channel_name: 'private-user-bob',
        token: token(),
      }),
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });
});

describe('JSONP channel authorization when JSONP is not enabled', () => {
  it('has no GET route (404)', async () => {
    const service = await startTestApp({
      DIRECTORY_URL: 'sqlite://:memory:',
      JWT_QUERY_PARAM: 'token',
    });
    try {
      await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
      const response = await service.app.inject({
        method: 'GET',
        url: jsonpUrl({
          callback: PUSHER_CALLBACK,
          socket_id: '1.2',
          channel_name: 'private-user-alice',
          token: token(),
        }),
      });
      expect(response.statusCode).toBe(404);
    } finally {
      await service.close();
    }
  });
});

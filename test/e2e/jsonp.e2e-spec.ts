import { runInNewContext } from 'node:vm';
import { claimsFor, signJwt } from '../helpers/jwt';
import { expectedUserAuth } from '../helpers/pusher-signature';
import {
  startTestApp,
  TEST_JWT_SECRET,
  TEST_PUSHER,
  TestApp,
} from '../helpers/test-app';

const token = () => signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'));
const PUSHER_CALLBACK = "Pusher.auth_callbacks['3']";

function jsonpUrl(params: Record<string, string>): string {
  return `/pusher/user-auth?${new URLSearchParams(params).toString()}`;
}

describe('JSONP sign-in (JSONP_ENABLED=true, JWT_QUERY_PARAM=token)', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startTestApp({
      DIRECTORY_URL: 'sqlite://:memory:',
      JSONP_ENABLED: 'true',
      JWT_QUERY_PARAM: 'token',
    });
    await service.seed({
      id: 'alice',
      userInfo: { name: 'Alice </script>' },
      watchlist: ['bob'],
    });
  });
  afterAll(() => service?.close());

  it("calls pusher-js's callback with a correctly signed answer", async () => {
    const response = await service.app.inject({
      method: 'GET',
      url: jsonpUrl({
        callback: PUSHER_CALLBACK,
        socket_id: '123.456',
        token: token(),
      }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(
      /^application\/javascript/,
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-store');

    // Run the script the way a browser would, with pusher-js's callback table in scope.
    const received: unknown[] = [];
    const Pusher = {
      auth_callbacks: { '3': (data: unknown) => received.push(data) },
    };
    runInNewContext(response.body, { Pusher });
    expect(received).toHaveLength(1);
    const { auth, user_data: userData } = received[0] as {
      auth: string;
      user_data: string;
    };
    expect(JSON.parse(userData)).toEqual({
      id: 'alice',
      user_info: { name: 'Alice </script>' },
      watchlist: ['bob'],
    });
    expect(auth).toBe(
      expectedUserAuth(
        TEST_PUSHER.key,
        TEST_PUSHER.secret,
        '123.456',
        userData,
      ),
    );
  });

  it('accepts a plain dotted identifier as the callback', async () => {
    const response = await service.app.inject({
      method: 'GET',
      url: jsonpUrl({
        callback: 'app.onSignedIn',
        socket_id: '1.2',
        token: token(),
      }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.body.startsWith('app.onSignedIn({')).toBe(true);
  });

  it.each([
    'alert(1)//',
    'a;b',
    '</script><script>alert(1)</script>',
    "Pusher.auth_callbacks['1'];alert(1)//",
    "Pusher.auth_callbacks['x']",
    'a b',
    '1abc',
    'x'.repeat(300),
    '',
  ])(
    'answers 400 naming callback for %j, without echoing it',
    async (callback) => {
      const response = await service.app.inject({
        method: 'GET',
        url: jsonpUrl({ callback, socket_id: '1.2', token: token() }),
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json().message.join(' ')).toMatch(/^callback /);
      if (callback.length > 2) expect(response.body).not.toContain(callback);
    },
  );

  it('answers 400 for a bad socket_id', async () => {
    const response = await service.app.inject({
      method: 'GET',
      url: jsonpUrl({
        callback: PUSHER_CALLBACK,
        socket_id: '1.2.3',
        token: token(),
      }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toEqual([
      'socket_id must look like 1234.5678',
    ]);
  });

  it('never authenticates with a cookie, and never calls back on failure', async () => {
    const response = await service.app.inject({
      method: 'GET',
      url: jsonpUrl({ callback: PUSHER_CALLBACK, socket_id: '1.2' }),
      headers: { cookie: `token=${token()}; session=abc` },
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).not.toContain('auth_callbacks');
  });

  it('ignores an Authorization header on a JSONP request: only the URL token counts', async () => {
    const response = await service.app.inject({
      method: 'GET',
      url: jsonpUrl({ callback: PUSHER_CALLBACK, socket_id: '1.2' }),
      headers: { authorization: `Bearer ${token()}` },
    });
    expect(response.statusCode).toBe(403);
  });

  it('still serves the POST endpoint alongside', async () => {
    const response = await service.app.inject({
      method: 'POST',
      url: '/pusher/user-auth',
      headers: {
        authorization: `Bearer ${token()}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'socket_id=1.2',
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('JSONP when it is not fully configured', () => {
  /** A JSONP sign-in for alice with a valid token in the URL, on an app started with `env`. */
  async function jsonpSignInOn(env: Record<string, string>) {
    const service = await startTestApp({
      DIRECTORY_URL: 'sqlite://:memory:',
      ...env,
    });
    try {
      await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
      return await service.app.inject({
        method: 'GET',
        url: jsonpUrl({
          callback: PUSHER_CALLBACK,
          socket_id: '1.2',
          token: token(),
        }),
      });
    } finally {
      await service.close();
    }
  }

  it('has no GET route without JSONP_ENABLED (404), even with a valid token', async () => {
    const response = await jsonpSignInOn({ JWT_QUERY_PARAM: 'token' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      statusCode: 404,
      message: 'Not Found',
      error: 'Not Found',
    });
  });

  it('cannot authenticate JSONP without JWT_QUERY_PARAM', async () => {
    const response = await jsonpSignInOn({ JSONP_ENABLED: 'true' });
    expect(response.statusCode).toBe(403);
  });
});

import { runInNewContext } from 'node:vm';
import { expectedChannelAuth } from '../helpers/channel-signature';
import { claimsFor, signJwt } from '../helpers/jwt';
import { parseMetrics, sampleKey } from '../helpers/metrics';
import { expectedUserAuth } from '../helpers/pusher-signature';
import {
  startTestApp,
  TEST_JWT_SECRET,
  TEST_PUSHER,
  TestApp,
} from '../helpers/test-app';

const USER_AUTH_PATH = '/api/v2/realtime/sign-in';
const CHANNEL_AUTH_PATH = '/api/v2/realtime/channels';
const FORM = 'application/x-www-form-urlencoded';
const token = () => signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'));

describe('with PUSHER_USER_AUTH_PATH and PUSHER_CHANNEL_AUTH_PATH set (and JSONP on)', () => {
  let service: TestApp;

  const post = (url: string, payload: string) =>
    service.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token()}`, 'content-type': FORM },
      payload,
    });
  const jsonp = (url: string, params: Record<string, string>) =>
    service.app.inject({
      method: 'GET',
      url: `${url}?${new URLSearchParams({ callback: 'cb', token: token(), ...params }).toString()}`,
    });

  beforeAll(async () => {
    service = await startTestApp({
      DIRECTORY_URL: 'sqlite://:memory:',
      PUSHER_USER_AUTH_PATH: USER_AUTH_PATH,
      PUSHER_CHANNEL_AUTH_PATH: CHANNEL_AUTH_PATH,
      JSONP_ENABLED: 'true',
      JWT_QUERY_PARAM: 'token',
    });
    await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
  });
  afterAll(() => service?.close());

  it('signs users in at the configured path', async () => {
    const response = await post(USER_AUTH_PATH, 'socket_id=1.2');
    expect(response.statusCode).toBe(200);
    const { auth, user_data: userData } = response.json();
    expect(JSON.parse(userData)).toEqual({ id: 'alice' });
    expect(auth).toBe(
      expectedUserAuth(TEST_PUSHER.key, TEST_PUSHER.secret, '1.2', userData),
    );
  });

  it('authorizes channels at the configured path', async () => {
    const response = await post(
      CHANNEL_AUTH_PATH,
      'socket_id=1.2&channel_name=private-user-alice',
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      auth: expectedChannelAuth(
        TEST_PUSHER.key,
        TEST_PUSHER.secret,
        '1.2',
        'private-user-alice',
      ),
    });
  });

  it('serves both JSONP routes at the configured paths', async () => {
    const received: unknown[] = [];
    const cb = (data: unknown) => received.push(data);
    const signIn = await jsonp(USER_AUTH_PATH, { socket_id: '1.2' });
    const channel = await jsonp(CHANNEL_AUTH_PATH, {
      socket_id: '1.2',
      channel_name: 'private-user-alice',
    });
    for (const response of [signIn, channel]) {
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(
        /^application\/javascript/,
      );
      runInNewContext(response.body, { cb });
    }
    expect(received).toHaveLength(2);
  });

  it.each([
    ['POST', '/pusher/user-auth'],
    ['GET', '/pusher/user-auth'],
    ['POST', '/pusher/auth'],
    ['GET', '/pusher/auth'],
  ] as const)(
    'has no %s route at the default %s (404)',
    async (method, url) => {
      const response = await service.app.inject({
        method,
        url: `${url}?socket_id=1.2&callback=cb&token=${token()}`,
        headers: { authorization: `Bearer ${token()}`, 'content-type': FORM },
        payload: method === 'POST' ? 'socket_id=1.2' : undefined,
      });
      expect(response.statusCode).toBe(404);
    },
  );

  it('counts answers at the configured paths as signed', async () => {
    await post(USER_AUTH_PATH, 'socket_id=1.2');
    await post(
      CHANNEL_AUTH_PATH,
      'socket_id=1.2&channel_name=private-user-alice',
    );
    const metrics = parseMetrics(
      (await service.app.inject({ method: 'GET', url: '/metrics' })).body,
    );
    for (const endpoint of [USER_AUTH_PATH, CHANNEL_AUTH_PATH]) {
      expect(
        metrics.get(
          sampleKey('pusher_auth_http_requests_total', {
            endpoint,
            method: 'POST',
            outcome: 'signed',
          }),
        ),
      ).toBeGreaterThan(0);
    }
  });
});

import { createHmac } from 'node:crypto';
import { expectedUserAuth } from '../helpers/pusher-signature';
import { startTestApp, TEST_PUSHER, TestApp } from '../helpers/test-app';

/** The extension example of docs/strategies.md, exercised as the docs describe it. */
const GATEWAY_SECRET = 'the-gateway-and-pusher-auth-share-this-secret';

/** What the gateway adds, computed here with node:crypto as the docs tell a gateway to. */
function gatewayHeaders(
  user: string,
  { secret = GATEWAY_SECRET, timestamp = Math.floor(Date.now() / 1000) } = {},
): Record<string, string> {
  const signature = createHmac('sha256', secret)
    .update(`${timestamp}.${user}`)
    .digest('hex');
  return {
    'x-gateway-user': user,
    'x-gateway-timestamp': String(timestamp),
    'x-gateway-signature': signature,
  };
}

describe('signed-header strategy (the one-file extension example)', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startTestApp({
      AUTH_STRATEGIES: 'jwt,signed-header',
      SIGNED_HEADER_SECRET: GATEWAY_SECRET,
      DIRECTORY_URL: 'sqlite://:memory:',
      JSONP_ENABLED: 'true',
    });
    // bob exists too, so a forged header naming him fails on its signature alone.
    await service.seed(
      { id: 'alice', userInfo: { name: 'Alice' }, watchlist: [] },
      { id: 'bob', userInfo: null, watchlist: [] },
    );
  });
  afterAll(() => service?.close());

  const signIn = (headers: Record<string, string>) =>
    service.app.inject({
      method: 'POST',
      url: '/pusher/user-auth',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...headers,
      },
      payload: 'socket_id=5.6',
    });

  it('signs in the user a correctly signed gateway header names', async () => {
    const response = await signIn(gatewayHeaders('alice'));
    expect(response.statusCode).toBe(200);
    const { auth, user_data: userData } = response.json();
    expect(JSON.parse(userData)).toEqual({
      id: 'alice',
      user_info: { name: 'Alice' },
    });
    expect(auth).toBe(
      expectedUserAuth(TEST_PUSHER.key, TEST_PUSHER.secret, '5.6', userData),
    );
  });

  it('signs in bob with his own header (so the forgery tests below fail on the signature)', async () => {
    expect((await signIn(gatewayHeaders('bob'))).statusCode).toBe(200);
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ['no gateway headers', () => ({})],
    [
      'a signature made with another secret',
      () => gatewayHeaders('alice', { secret: `${GATEWAY_SECRET}!` }),
    ],
    [
      'a user changed after signing',
      () => ({ ...gatewayHeaders('alice'), 'x-gateway-user': 'bob' }),
    ],
    [
      'a timestamp changed after signing',
      () => ({
        ...gatewayHeaders('alice'),
        'x-gateway-timestamp': String(now() + 1),
      }),
    ],
    [
      'a timestamp older than SIGNED_HEADER_MAX_AGE_S',
      () => gatewayHeaders('alice', { timestamp: now() - 120 }),
    ],
    [
      'a timestamp far in the future',
      () => gatewayHeaders('alice', { timestamp: now() + 120 }),
    ],
    [
      'a signature that is not hex',
      () => ({
        ...gatewayHeaders('alice'),
        'x-gateway-signature': 'z'.repeat(64),
      }),
    ],
    [
      'a truncated signature',
      () => {
        const headers = gatewayHeaders('alice');
        return {
          ...headers,
          'x-gateway-signature': headers['x-gateway-signature'].slice(0, 62),
        };
      },
    ],
  ])('answers 403 for %s', async (_case, headers) => {
    const response = await signIn(headers());
    expect(response.statusCode).toBe(403);
  });

  it('is never used for JSONP', async () => {
    const response = await service.app.inject({
      method: 'GET',
      url: '/pusher/user-auth?socket_id=5.6&callback=cb',
      headers: gatewayHeaders('alice'),
    });
    expect(response.statusCode).toBe(403);
  });
});

describe('strategies not named in AUTH_STRATEGIES', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startTestApp({
      AUTH_STRATEGIES: 'jwt',
      SIGNED_HEADER_SECRET: GATEWAY_SECRET,
      DIRECTORY_URL: 'sqlite://:memory:',
    });
    await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
  });
  afterAll(() => service?.close());

  it('are never reachable: a valid gateway header is ignored', async () => {
    const response = await service.app.inject({
      method: 'POST',
      url: '/pusher/user-auth',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...gatewayHeaders('alice'),
      },
      payload: 'socket_id=5.6',
    });
    expect(response.statusCode).toBe(403);
  });
});

import { claimsFor, signJwt } from '../helpers/jwt';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';

describe('security headers (helmet)', () => {
  let service: TestApp;
  const token = () => signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'));

  beforeAll(async () => {
    service = await startTestApp({
      DIRECTORY_URL: 'sqlite://:memory:',
      JSONP_ENABLED: 'true',
      JWT_QUERY_PARAM: 'token',
    });
    await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
  });
  afterAll(() => service?.close());

  it('sends the hardening headers on the sign-in answer', async () => {
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
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'strict-transport-security': expect.stringMatching(/max-age=\d+/),
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
      'x-frame-options': 'SAMEORIGIN',
    });
    expect(response.headers['content-security-policy']).toMatch(
      /frame-ancestors 'none'/,
    );
  });

  it('lets a cross-site <script> load the JSONP answer (Cross-Origin-Resource-Policy: cross-origin)', async () => {
    const response = await service.app.inject({
      method: 'GET',
      url: `/pusher/user-auth?callback=cb&socket_id=1.2&token=${token()}`,
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'script' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cross-origin-resource-policy']).toBe(
      'cross-origin',
    );
    expect(response.headers['content-type']).toMatch(
      /^application\/javascript/,
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a body over 64 KiB without echoing it', async () => {
    const response = await service.app.inject({
      method: 'POST',
      url: '/pusher/user-auth',
      headers: {
        authorization: `Bearer ${token()}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `socket_id=1.2&pad=${'x'.repeat(70 * 1024)}`,
    });
    expect(response.statusCode).toBe(413);
    expect(response.body.length).toBeLessThan(200);
  });
});

import { claimsFor, signJwt } from '../helpers/jwt';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';

const ALLOWED = 'https://app.example.com';

describe('CORS', () => {
  describe('with CORS_ORIGINS set', () => {
    let service: TestApp;
    beforeAll(async () => {
      service = await startTestApp({
        DIRECTORY_URL: 'sqlite://:memory:',
        CORS_ORIGINS: `${ALLOWED}, http://localhost:8080`,
      });
      await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
    });
    afterAll(() => service?.close());

    const preflight = (origin: string) =>
      service.app.inject({
        method: 'OPTIONS',
        url: '/pusher/user-auth',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });

    it('lets a listed origin preflight with Authorization, Content-Type and X-CSRF-Token', async () => {
      const response = await preflight(ALLOWED);
      expect(response.statusCode).toBeLessThan(300);
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
      const allowed = String(
        response.headers['access-control-allow-headers'],
      ).toLowerCase();
      expect(allowed.split(/\s*,\s*/).sort()).toEqual([
        'authorization',
        'content-type',
        'x-csrf-token',
      ]);
      expect(
        response.headers['access-control-allow-credentials'],
      ).toBeUndefined();
    });

    it("answers a listed origin's sign-in with its origin", async () => {
      const response = await service.app.inject({
        method: 'POST',
        url: '/pusher/user-auth',
        headers: {
          origin: 'http://localhost:8080',
          authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'))}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: 'socket_id=1.2',
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe(
        'http://localhost:8080',
      );
    });

    it.each([
      'https://evil.example.com',
      'https://app.example.com.evil.com',
      'http://app.example.com',
      'https://app.example.com:8443',
      'null',
    ])('never grants or reflects the unlisted origin %s', async (origin) => {
      const response = await preflight(origin);
      // Without Access-Control-Allow-Origin the browser refuses the request.
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(JSON.stringify(response.headers)).not.toContain(
        origin === 'null' ? '"null"' : origin,
      );
    });
  });

  it('grants no cross-origin access when CORS_ORIGINS is empty', async () => {
    const service = await startTestApp({ DIRECTORY_URL: 'sqlite://:memory:' });
    try {
      const response = await service.app.inject({
        method: 'OPTIONS',
        url: '/pusher/user-auth',
        headers: { origin: ALLOWED, 'access-control-request-method': 'POST' },
      });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await service.close();
    }
  });
});

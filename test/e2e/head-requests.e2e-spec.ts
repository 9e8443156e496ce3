import { WEB_APP, writeAppsFile } from '../helpers/apps-file';
import { claimsFor, signJwt } from '../helpers/jwt';
import { scrape } from '../helpers/metrics';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';

const token = () => signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'));

/**
 * Fastify adds a HEAD route beside every GET route unless told not to; on the JSONP routes that
 * HEAD took the GET's handler with HEAD's credential rules (the header token, not the URL one).
 * The signing endpoints have no HEAD, whatever their paths, with JSONP on or off.
 */
describe.each([
  ['the default paths', '/pusher/user-auth', '/pusher/auth', 'true'],
  [
    'the default paths (JSONP off)',
    '/pusher/user-auth',
    '/pusher/auth',
    'false',
  ],
  ['custom paths', '/api/v2/sign-in', '/api/v2/channels', 'true'],
])(
  'HEAD on the signing endpoints, %s',
  (_variant, userPath, channelPath, jsonp) => {
    let apps: ReturnType<typeof writeAppsFile>;
    let service: TestApp;

    beforeAll(async () => {
      apps = writeAppsFile([WEB_APP]);
      service = await startTestApp({
        ...apps.env,
        DIRECTORY_URL: 'sqlite://:memory:',
        PUSHER_USER_AUTH_PATH: userPath,
        PUSHER_CHANNEL_AUTH_PATH: channelPath,
        JSONP_ENABLED: jsonp,
        JWT_QUERY_PARAM: 'token',
      });
      await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
    });
    afterAll(async () => {
      await service?.close();
      apps?.cleanup();
    });

    const routes = () =>
      ['', '/apps/default', '/apps/web', '/apps/unknown'].flatMap((prefix) => [
        `${prefix}${userPath}?socket_id=1.2&callback=cb`,
        `${prefix}${channelPath}?socket_id=1.2&channel_name=private-user-alice&callback=cb`,
      ]);

    it('is not routed: 404 through the error table, whichever credentials it carries, and nothing is signed', async () => {
      for (const url of routes()) {
        for (const credentials of [
          { headers: { authorization: `Bearer ${token()}` }, query: '' },
          { headers: {}, query: `&token=${token()}` },
        ]) {
          const response = await service.app.inject({
            method: 'HEAD',
            url: `${url}${credentials.query}`,
            headers: credentials.headers,
          });
          expect({ url, status: response.statusCode }).toEqual({
            url,
            status: 404,
          });
          expect(response.headers).toMatchObject({
            'cache-control': 'no-store',
            'x-request-id': expect.any(String),
            'x-content-type-options': 'nosniff',
          });
          expect(response.body).not.toContain('auth');
        }
      }
      const metric = await scrape(service.app);
      for (const endpoint of [userPath, channelPath]) {
        expect(
          metric('pusher_auth_http_requests_total', {
            endpoint,
            method: 'HEAD',
            outcome: 'signed',
          }),
        ).toBe(0);
      }
      const lines = service.logs.json.filter(
        (line) => line.method === 'HEAD' && line.msg === 'request completed',
      );
      expect(lines).toHaveLength(routes().length * 2);
      expect(lines.every((line) => line.outcome === 'not_found')).toBe(true);
    });

    it('leaves GET as it was: the JSONP route takes the URL token only', async () => {
      if (jsonp !== 'true') return;
      const byHeader = await service.app.inject({
        method: 'GET',
        url: `${userPath}?socket_id=1.2&callback=cb`,
        headers: { authorization: `Bearer ${token()}` },
      });
      expect(byHeader.statusCode).toBe(403);
      const byUrl = await service.app.inject({
        method: 'GET',
        url: `${userPath}?socket_id=1.2&callback=cb&token=${token()}`,
      });
      expect(byUrl.statusCode).toBe(200);
    });
  },
);

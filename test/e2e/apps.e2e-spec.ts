import { runInNewContext } from 'node:vm';
import {
  MOBILE_APP,
  TestPusherApp,
  WEB_APP,
  writeAppsFile,
} from '../helpers/apps-file';
import { expectedChannelAuth } from '../helpers/channel-signature';
import { claimsFor, signJwt } from '../helpers/jwt';
import { scrape } from '../helpers/metrics';
import { expectedUserAuth } from '../helpers/pusher-signature';
import {
  startTestApp,
  TEST_JWT_SECRET,
  TEST_PUSHER,
  TestApp,
} from '../helpers/test-app';

const DEFAULT_APP: TestPusherApp = { name: 'default', ...TEST_PUSHER };
const SOCKET_ID = '1234.5678';
const token = (sub = 'alice') =>
  signJwt('HS256', TEST_JWT_SECRET, claimsFor(sub));
const PUSHER_CALLBACK = "Pusher.auth_callbacks['2']";

function callbackArgument(script: string): any {
  const received: unknown[] = [];
  runInNewContext(script, {
    Pusher: { auth_callbacks: { '2': (data: unknown) => received.push(data) } },
  });
  expect(received).toHaveLength(1);
  return received[0];
}

describe('several Pusher apps (PUSHER_APPS_FILE)', () => {
  let apps: ReturnType<typeof writeAppsFile>;
  let service: TestApp;

  const signIn = (url: string, authorization = `Bearer ${token()}`) =>
    service.app.inject({
      method: 'POST',
      url,
      headers: {
        authorization,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `socket_id=${SOCKET_ID}`,
    });

  const expectSignedFor = (
    response: { statusCode: number; json(): any },
    app: TestPusherApp,
  ) => {
    expect(response.statusCode).toBe(200);
    const { auth, user_data: userData } = response.json();
    expect(JSON.parse(userData)).toEqual({ id: 'alice' });
    expect(auth).toBe(
      expectedUserAuth(app.key, app.secret, SOCKET_ID, userData),
    );
    return auth as string;
  };

  beforeAll(async () => {
    apps = writeAppsFile([WEB_APP, MOBILE_APP]);
    service = await startTestApp({
      ...apps.env,
      DIRECTORY_URL: 'sqlite://:memory:',
      JSONP_ENABLED: 'true',
      JWT_QUERY_PARAM: 'token',
    });
    await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
  });
  afterAll(async () => {
    await service?.close();
    apps?.cleanup();
  });

  it.each([
    ['/pusher/user-auth', DEFAULT_APP],
    ['/apps/default/pusher/user-auth', DEFAULT_APP],
    ['/apps/web/pusher/user-auth', WEB_APP],
    ['/apps/mobile/pusher/user-auth', MOBILE_APP],
  ])('%s signs with its app key and secret', async (url, app) => {
    expectSignedFor(await signIn(url), app);
  });

  it("signs the same request differently for each app: one app's signature is no other's", async () => {
    const web = expectSignedFor(
      await signIn('/apps/web/pusher/user-auth'),
      WEB_APP,
    );
    const mobile = expectSignedFor(
      await signIn('/apps/mobile/pusher/user-auth'),
      MOBILE_APP,
    );
    expect(web.split(':')[1]).not.toBe(mobile.split(':')[1]);
  });

  it.each([
    ['/pusher/auth', DEFAULT_APP],
    ['/apps/web/pusher/auth', WEB_APP],
    ['/apps/mobile/pusher/auth', MOBILE_APP],
  ])(
    '%s authorizes a channel with its app key and secret',
    async (url, app) => {
      const response = await service.app.inject({
        method: 'POST',
        url,
        headers: {
          authorization: `Bearer ${token()}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: `socket_id=${SOCKET_ID}&channel_name=private-user-alice`,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        auth: expectedChannelAuth(
          app.key,
          app.secret,
          SOCKET_ID,
          'private-user-alice',
        ),
      });
    },
  );

  it('signs JSONP sign-ins and channel answers for the app in the path', async () => {
    const query = (extra: Record<string, string>) =>
      new URLSearchParams({
        callback: PUSHER_CALLBACK,
        socket_id: SOCKET_ID,
        token: token(),
        ...extra,
      }).toString();
    const signed = await service.app.inject({
      method: 'GET',
      url: `/apps/mobile/pusher/user-auth?${query({})}`,
    });
    expect(signed.statusCode).toBe(200);
    const user = callbackArgument(signed.body);
    expect(user.auth).toBe(
      expectedUserAuth(
        MOBILE_APP.key,
        MOBILE_APP.secret,
        SOCKET_ID,
        user.user_data,
      ),
    );
    const channel = await service.app.inject({
      method: 'GET',
      url: `/apps/web/pusher/auth?${query({ channel_name: 'private-user-alice' })}`,
    });
    expect(channel.statusCode).toBe(200);
    expect(callbackArgument(channel.body)).toEqual({
      auth: expectedChannelAuth(
        WEB_APP.key,
        WEB_APP.secret,
        SOCKET_ID,
        'private-user-alice',
      ),
    });
  });

  it.each([
    ['an unknown app', '/apps/desktop/pusher/user-auth'],
    ['an unknown app (channels)', '/apps/desktop/pusher/auth'],
    ['a name in the wrong case', '/apps/WEB/pusher/user-auth'],
  ])('answers 404 and signs nothing for %s', async (_what, url) => {
    const response = await signIn(url);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      statusCode: 404,
      message: 'Not Found',
      error: 'Not Found',
    });
    expect(response.body).not.toContain('auth');
  });

  it('answers 404 for an unknown app before identifying the caller', async () => {
    const response = await signIn(
      '/apps/desktop/pusher/user-auth',
      'Bearer not-a-token',
    );
    expect(response.statusCode).toBe(404);
    const forbidden = await signIn(
      '/apps/web/pusher/user-auth',
      'Bearer not-a-token',
    );
    expect(forbidden.statusCode).toBe(403);
  });

  /** Bodies and queries each refused with 400 (or 413) by a known app, before any guard runs. */
  const MALFORMED: [string, string, Record<string, string>, string][] = [
    [
      'JSON that does not parse',
      'POST',
      { 'content-type': 'application/json' },
      '{"socket_id":',
    ],
    ['an empty JSON body', 'POST', { 'content-type': 'application/json' }, ''],
    [
      'a content type with no parser',
      'POST',
      { 'content-type': 'text/plain' },
      'socket_id=1.2',
    ],
    [
      'a body over 64 KiB',
      'POST',
      { 'content-type': 'application/x-www-form-urlencoded' },
      `socket_id=1.2&x=${'a'.repeat(70_000)}`,
    ],
    [
      'a form of 200 fields',
      'POST',
      { 'content-type': 'application/x-www-form-urlencoded' },
      Array.from({ length: 200 }, (_, i) => `f${i}=1`).join('&'),
    ],
    [
      'JSON nested 40 levels deep',
      'POST',
      { 'content-type': 'application/json' },
      `${'['.repeat(40)}${']'.repeat(40)}`,
    ],
    ['a JSONP query of 200 parameters', 'GET', {}, ''],
  ];

  it.each(MALFORMED)(
    'answers 404 for an unknown app whatever the request holds: %s',
    async (_what, method, headers, payload) => {
      for (const path of ['/pusher/user-auth', '/pusher/auth']) {
        const query =
          method === 'GET'
            ? `?${Array.from({ length: 200 }, (_, i) => `q${i}=1`).join('&')}`
            : '';
        const request = {
          method: method as 'GET' | 'POST',
          headers: { authorization: `Bearer ${token()}`, ...headers },
          ...(method === 'POST' ? { payload } : {}),
        };
        const unknown = await service.app.inject({
          ...request,
          url: `/apps/desktop${path}${query}`,
        });
        expect({ path, status: unknown.statusCode }).toEqual({
          path,
          status: 404,
        });
        expect(unknown.headers).toMatchObject({
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        });
        // The same request for a configured app is refused for what it holds.
        const known = await service.app.inject({
          ...request,
          url: `/apps/web${path}${query}`,
        });
        expect([400, 413]).toContain(known.statusCode);
      }
    },
  );

  it("counts each app's requests in /metrics (label app) and names the app in the request log line", async () => {
    const counter = 'pusher_auth_app_requests_total';
    const webSigned = {
      app: 'web',
      endpoint: '/apps/:app/pusher/user-auth',
      outcome: 'signed',
    };
    const defaultSigned = {
      app: 'default',
      endpoint: '/pusher/user-auth',
      outcome: 'signed',
    };
    const webForbidden = { ...webSigned, outcome: 'forbidden' };
    const before = await scrape(service.app);
    await signIn('/apps/web/pusher/user-auth');
    await signIn('/apps/web/pusher/user-auth');
    await signIn('/apps/web/pusher/user-auth', 'Bearer not-a-token');
    await signIn('/pusher/user-auth');
    await signIn('/apps/desktop/pusher/user-auth');
    const after = await scrape(service.app);
    const delta = (labels: Record<string, string>) =>
      after(counter, labels) - before(counter, labels);
    expect(delta(webSigned)).toBe(2);
    expect(delta(webForbidden)).toBe(1);
    expect(delta(defaultSigned)).toBe(1);
    expect(
      delta({
        app: 'desktop',
        endpoint: '/apps/:app/pusher/user-auth',
        outcome: 'not_found',
      }),
    ).toBe(0);

    const lines = service.logs.json.filter(
      (line) =>
        line.msg === 'request completed' &&
        String(line.url).includes('/pusher/'),
    );
    const last = lines.slice(-5);
    expect(last.map((line) => [line.app, line.statusCode])).toEqual([
      ['web', 200],
      ['web', 200],
      ['web', 403],
      ['default', 200],
      [undefined, 404],
    ]);
  });
});

import {
  MOBILE_APP,
  TestPusherApp,
  WEB_APP,
  writeAppsFile,
} from '../helpers/apps-file';
import { expectedChannelAuth } from '../helpers/channel-signature';
import { claimsFor, signJwt } from '../helpers/jwt';
import { writePolicyFile } from '../helpers/policy-file';
import {
  startTestApp,
  TEST_JWT_SECRET,
  TEST_PUSHER,
  TestApp,
} from '../helpers/test-app';

const DEFAULT_APP: TestPusherApp = { name: 'default', ...TEST_PUSHER };
const SOCKET_ID = '1234.5678';

describe('channel policy rules limited to some apps', () => {
  let apps: ReturnType<typeof writeAppsFile>;
  let policy: { path: string; cleanup(): void };
  let service: TestApp;

  const authorize = (prefix: string, channel: string) =>
    service.app.inject({
      method: 'POST',
      url: `${prefix}/pusher/auth`,
      headers: {
        authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'))}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `socket_id=${SOCKET_ID}&channel_name=${channel}`,
    });

  const expectSigned = (
    response: { statusCode: number; json(): any },
    app: TestPusherApp,
    channel: string,
  ) => {
    expect(response.statusCode).toBe(200);
    expect(response.json().auth).toBe(
      expectedChannelAuth(app.key, app.secret, SOCKET_ID, channel),
    );
  };

  beforeAll(async () => {
    apps = writeAppsFile([WEB_APP, MOBILE_APP]);
    policy = writePolicyFile(
      [
        'rules:',
        '  - channels: private-web-news',
        '    allow: any-user',
        '    apps: [web]',
        '  - channels: private-app-news',
        '    allow: any-user',
        '    apps: [default, mobile]',
        '  - channels: private-everyone',
        '    allow: any-user',
      ].join('\n'),
    );
    service = await startTestApp({
      ...apps.env,
      CHANNEL_POLICY_FILE: policy.path,
      DIRECTORY_URL: 'sqlite://:memory:',
    });
    await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
  });
  afterAll(async () => {
    await service?.close();
    apps?.cleanup();
    policy?.cleanup();
  });

  it('allows a rule limited to an app through that app only', async () => {
    expectSigned(
      await authorize('/apps/web', 'private-web-news'),
      WEB_APP,
      'private-web-news',
    );
    expect(
      (await authorize('/apps/mobile', 'private-web-news')).statusCode,
    ).toBe(403);
    expect((await authorize('', 'private-web-news')).statusCode).toBe(403);
  });

  it('applies a rule naming several apps to each of them, the default app by its name', async () => {
    expectSigned(
      await authorize('', 'private-app-news'),
      DEFAULT_APP,
      'private-app-news',
    );
    expectSigned(
      await authorize('/apps/mobile', 'private-app-news'),
      MOBILE_APP,
      'private-app-news',
    );
    expect((await authorize('/apps/web', 'private-app-news')).statusCode).toBe(
      403,
    );
  });

  it.each([
    ['', DEFAULT_APP],
    ['/apps/web', WEB_APP],
    ['/apps/mobile', MOBILE_APP],
  ])('applies a rule without apps to every app (%s)', async (prefix, app) => {
    expectSigned(
      await authorize(prefix, 'private-everyone'),
      app,
      'private-everyone',
    );
  });
});

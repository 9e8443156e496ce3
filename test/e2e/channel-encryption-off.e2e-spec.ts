import { MOBILE_APP, WEB_APP, writeAppsFile } from '../helpers/apps-file';
import { claimsFor, signJwt } from '../helpers/jwt';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';

const NOT_ENABLED =
  'private-encrypted- channels are not enabled on this service (no PUSHER_ENCRYPTION_MASTER_KEY_BASE64)';

describe('private-encrypted channels without PUSHER_ENCRYPTION_MASTER_KEY_BASE64', () => {
  let service: TestApp;

  const post = (body: string, sub = 'alice') =>
    service.app.inject({
      method: 'POST',
      url: '/pusher/auth',
      headers: {
        authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor(sub))}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: body,
    });

  beforeAll(async () => {
    service = await startTestApp({ DIRECTORY_URL: 'sqlite://:memory:' });
    await service.seed(
      { id: 'alice', userInfo: null, watchlist: [] },
      { id: 'bob', userInfo: null, watchlist: [] },
    );
  });
  afterAll(() => service?.close());

  it('answers 501 with a message saying why, and signs nothing', async () => {
    const response = await post(
      'socket_id=1.2&channel_name=private-encrypted-user-alice',
    );
    expect(response.statusCode).toBe(501);
    expect(response.json()).toEqual({
      statusCode: 501,
      message: [NOT_ENABLED],
      error: 'Not Implemented',
    });
    expect(response.headers['retry-after']).toBeUndefined();
  });

  it('still answers 403 first when the policy would not allow the channel anyway', async () => {
    const response = await post(
      'socket_id=1.2&channel_name=private-encrypted-user-alice',
      'bob',
    );
    expect(response.statusCode).toBe(403);
  });

  it('keeps signing plain private channels', async () => {
    const response = await post(
      'socket_id=1.2&channel_name=private-user-alice',
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().shared_secret).toBeUndefined();
  });

  it('answers 501 for that entry alone in a batch', async () => {
    const response = await post(
      'socket_id=1.2&channel_name[0]=private-encrypted-user-alice&channel_name[1]=private-user-alice',
    );
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body['private-encrypted-user-alice']).toEqual({
      status: 501,
      message: [NOT_ENABLED],
    });
    expect(body['private-user-alice'].status).toBe(200);
  });
});

describe('private-encrypted channels of apps from PUSHER_APPS_FILE without a master key', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  let apps: ReturnType<typeof writeAppsFile>;
  let service: TestApp;

  const post = (path: string, body: string) =>
    service.app.inject({
      method: 'POST',
      url: path,
      headers: {
        authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'))}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: body,
    });
  const notEnabled = (setting: string) =>
    `private-encrypted- channels are not enabled on this service (no ${setting})`;

  beforeAll(async () => {
    // The default app and "mobile" have keys: "web" and "shop" lack one.
    apps = writeAppsFile([
      WEB_APP,
      { ...MOBILE_APP, encryptionMasterKeyBase64: key },
      { ...WEB_APP, name: 'shop', appId: '5003' },
    ]);
    service = await startTestApp({
      ...apps.env,
      DIRECTORY_URL: 'sqlite://:memory:',
      PUSHER_ENCRYPTION_MASTER_KEY_BASE64: key,
    });
    await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
  });
  afterAll(async () => {
    await service?.close();
    apps?.cleanup();
  });

  it.each(['web', 'shop'])(
    "answers 501 naming the %s entry's own setting, not the single-app variable, alone or in a batch",
    async (name) => {
      const setting = `encryption_master_key_env in the PUSHER_APPS_FILE entry "${name}"`;
      const single = await post(
        `/apps/${name}/pusher/auth`,
        'socket_id=1.2&channel_name=private-encrypted-user-alice',
      );
      expect(single.statusCode).toBe(501);
      expect(single.json().message).toEqual([notEnabled(setting)]);
      expect(single.body).not.toContain('PUSHER_ENCRYPTION_MASTER_KEY_BASE64');

      const batch = await post(
        `/apps/${name}/pusher/auth`,
        'socket_id=1.2&channel_name[0]=private-encrypted-user-alice',
      );
      expect(batch.json()['private-encrypted-user-alice']).toEqual({
        status: 501,
        message: [notEnabled(setting)],
      });
    },
  );

  it.each([
    '/pusher/auth',
    '/apps/default/pusher/auth',
    '/apps/mobile/pusher/auth',
  ])(
    'still signs encrypted channels for an app that has a key (%s)',
    async (path) => {
      const response = await post(
        path,
        'socket_id=1.2&channel_name=private-encrypted-user-alice',
      );
      expect(response.statusCode).toBe(200);
      expect(response.json().shared_secret).toEqual(expect.any(String));
    },
  );
});

import { WEB_APP, writeAppsFile } from '../helpers/apps-file';
import {
  expectedRestSignature,
  PusherRestStandIn,
  RecordedRequest,
} from '../helpers/pusher-rest-stand-in';
import {
  startTestApp,
  TEST_PUSHER,
  temporarySqliteUrl,
  TestApp,
} from '../helpers/test-app';
import { waitFor, waitForLog } from '../helpers/wait-for';

describe('TERMINATE_ON_REMOVE with several apps', () => {
  let defaultApi: PusherRestStandIn;
  let webApi: PusherRestStandIn;
  let apps: ReturnType<typeof writeAppsFile>;
  let sqlite: ReturnType<typeof temporarySqliteUrl>;
  let service: TestApp;

  const terminationsOf = (api: PusherRestStandIn, id: string) =>
    api.requests.filter((request) => request.path.includes(`/users/${id}/`));

  const expectSignedFor = (
    request: RecordedRequest,
    app: { appId: string; key: string; secret: string },
    id: string,
  ) => {
    expect(request.path).toBe(
      `/apps/${app.appId}/users/${id}/terminate_connections`,
    );
    expect(request.query.get('auth_key')).toBe(app.key);
    expect(request.query.get('auth_signature')).toBe(
      expectedRestSignature(app.secret, request),
    );
  };

  beforeAll(async () => {
    defaultApi = new PusherRestStandIn();
    webApi = new PusherRestStandIn();
    await defaultApi.start();
    await webApi.start();
    apps = writeAppsFile([
      { ...WEB_APP, host: '127.0.0.1', port: webApi.port },
    ]);
    sqlite = temporarySqliteUrl();
    service = await startTestApp({
      ...apps.env,
      DIRECTORY_URL: sqlite.url,
      TERMINATE_ON_REMOVE: 'true',
      PUSHER_HOST: '127.0.0.1',
      PUSHER_PORT: String(defaultApi.port),
      PUSHER_USE_TLS: 'false',
    });
    await service.seed(
      ...['bob', 'carol'].map((id) => ({ id, userInfo: null, watchlist: [] })),
    );
    await waitForLog(service.logs.lines, /directory change: changed carol\b/);
  });

  afterAll(async () => {
    await service?.close();
    await defaultApi?.stop();
    await webApi?.stop();
    apps?.cleanup();
    sqlite?.cleanup();
  });

  it("ends a removed user's connections on every app, each request signed with that app's secret", async () => {
    await service.admin.removeUser('bob');
    await waitFor(
      'a terminate request on each app',
      () =>
        terminationsOf(defaultApi, 'bob').length >= 1 &&
        terminationsOf(webApi, 'bob').length >= 1,
    );
    expectSignedFor(terminationsOf(defaultApi, 'bob')[0], TEST_PUSHER, 'bob');
    expectSignedFor(terminationsOf(webApi, 'bob')[0], WEB_APP, 'bob');
    await waitForLog(
      service.logs.lines,
      /ended the live connections of removed user "bob" \[app web\]/,
    );
    await waitForLog(
      service.logs.lines,
      /ended the live connections of removed user "bob" \[app default\]/,
    );
  });

  it('retries one app that failed without asking the other again', async () => {
    webApi.answerWith(503);
    await service.admin.removeUser('carol');
    await waitFor(
      'a retried request on the web app',
      () => terminationsOf(webApi, 'carol').length >= 2,
      15_000,
    );
    expect(terminationsOf(defaultApi, 'carol')).toHaveLength(1);
    expect(
      service.logs.lines.some((line) =>
        /could not end the connections of removed user "carol" \(attempt 1 of 8\): the Pusher REST API answered 503; retrying in \d+ ms \[app web\]/.test(
          line,
        ),
      ),
    ).toBe(true);
    expectSignedFor(terminationsOf(webApi, 'carol')[1], WEB_APP, 'carol');
  });
});

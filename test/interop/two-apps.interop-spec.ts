import type { DirectoryUser } from '../../src/directory/directory-user';
import { expectedChannelAuth } from '../helpers/channel-signature';
import { expectedUserAuth } from '../helpers/pusher-signature';
import { InteropStack } from './helpers/interop-stack';
import type { SoketiApp } from './helpers/soketi';
import { bearer, expectSignedIn } from './helpers/client';

const USERS: DirectoryUser[] = [
  { id: 'alice', userInfo: { name: 'Alice' }, watchlist: [] },
];

/**
 * These clients are refused or only subscribe: soketi's sign-in window is longer than this file
 * takes, so the only `pusher:error` a test sees is soketi's verdict on the signature.
 */
const SIGN_IN_WINDOW_MS = 60_000;

/**
 * One soketi process serving two apps (its array app manager), and one service signing for both:
 * the default app through the PUSHER_* variables, the second through a PUSHER_APPS_FILE entry
 * that points at the same soketi. Each client connects with its app's key.
 */
describe('two soketi apps, one pusher-auth: each app signs through its own path', () => {
  const stack = new InteropStack();
  let appA: SoketiApp;
  let appB: SoketiApp;

  beforeAll(async () => {
    await stack.start({
      users: USERS,
      otherAppNames: ['second'],
      userAuthenticationTimeoutMs: SIGN_IN_WINDOW_MS,
    });
    [appA, appB] = stack.soketi.apps;
  }, 60_000);
  afterEach(() => stack.disconnectClients());
  afterAll(() => stack.stop(), 30_000);

  const clientOf = (app: SoketiApp, signingApp: string) =>
    stack.client(
      { headers: bearer(stack.tokenFor('alice')) },
      { app, signingApp },
    );

  it.each([
    ['default', 0],
    ['second', 1],
  ])(
    'signs a client of the %s app in through /apps/{name}/pusher/user-auth: soketi accepts it for that app',
    async (name, index) => {
      const app = stack.soketi.apps[index];
      expect(app.name).toBe(name);
      const client = clientOf(app, name);
      const socketId = await client.connected();

      const { userData, auth } = expectSignedIn(await client.signIn());

      expect(JSON.parse(userData)).toEqual({
        id: 'alice',
        user_info: { name: 'Alice' },
      });
      expect(auth).toBe(
        expectedUserAuth(app.key, app.secret, socketId, userData),
      );
    },
  );

  it("refuses a client of the default app that signs in with the second app's signature: soketi's pusher:error 4009, then it closes the connection", async () => {
    const client = clientOf(appA, appB.name);
    await client.connected();

    const outcome = await client.signIn();

    expect(outcome).toEqual({
      signedIn: false,
      soketiError: { code: 4009, message: 'Connection not authorized.' },
    });
    await client.inState('disconnected');
    expect(client.received.map((m) => m.event)).not.toContain(
      'pusher:signin_success',
    );
    expect(client.pusher.user.user_data).toBeNull();
  });

  it("refuses a client of the second app that subscribes with the default app's channel signature: soketi's pusher:subscription_error", async () => {
    const client = clientOf(appB, appA.name);
    const socketId = await client.connected();
    const authorized = await fetch(
      `${stack.service.origin}/apps/${appA.name}/pusher/auth`,
      {
        method: 'POST',
        headers: {
          ...bearer(stack.tokenFor('alice')),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: `socket_id=${socketId}&channel_name=private-user-alice`,
      },
    );
    // What the service gives for app A is a valid signature, for app A's key and secret only.
    expect(authorized.status).toBe(200);
    expect(await authorized.json()).toEqual({
      auth: expectedChannelAuth(
        appA.key,
        appA.secret,
        socketId,
        'private-user-alice',
      ),
    });

    const outcome = await client.subscribe('private-user-alice');

    expect(outcome.subscribed).toBe(false);
    // pusher-js passes soketi's refusal on as the channel's error too: the wire message is soketi's.
    const refusal = await client.message(
      "soketi's pusher:subscription_error",
      (m) => m.event === 'pusher:subscription_error',
    );
    expect(refusal).toEqual({
      event: 'pusher:subscription_error',
      channel: 'private-user-alice',
      data: {
        type: 'AuthError',
        error: 'The connection is unauthorized.',
        status: 401,
      },
    });
    expect(client.received.map((m) => m.event)).not.toContain(
      'pusher_internal:subscription_succeeded',
    );
  });
});

import type { DirectoryUser } from '../../src/directory/directory-user';
import { InteropStack } from './helpers/interop-stack';

const USERS: DirectoryUser[] = [
  { id: 'alice', userInfo: { name: 'Alice' }, watchlist: ['bob'] },
  { id: 'bob', userInfo: { name: 'Bob' }, watchlist: ['alice'] },
];

/** soketi's sign-in window; only the refused re-sign-in at the end would run into it. */
const SIGN_IN_WINDOW_MS = 2_000;

describe('removing a user with TERMINATE_ON_REMOVE, seen by pusher-js on soketi', () => {
  const stack = new InteropStack();

  beforeAll(
    () =>
      stack.start({
        users: USERS,
        userAuthenticationTimeoutMs: SIGN_IN_WINDOW_MS,
        env: { TERMINATE_ON_REMOVE: 'true' },
      }),
    60_000,
  );
  afterEach(() => stack.disconnectClients());
  afterAll(() => stack.stop(), 30_000);

  it("closes a signed-in user's connection when the directory CLI removes them, keeps another user connected, and refuses the removed user's next sign-in with 403", async () => {
    const alice = await stack.signedInClient('alice');
    const bob = await stack.signedInClient('bob');

    // The operator's command, on the service's SQLite file; the service hears it through the
    // file's change log and asks soketi's REST API to terminate alice's connections.
    const removal = await stack.directoryCli('remove', 'alice');
    expect(removal).toEqual({ code: 0, output: 'removed user "alice"\n' });

    // soketi's terminate: a pusher:error (its message tells it apart from the sign-in timeout's
    // 4009), then a close frame with code 4009, which pusher-js treats as "refused": it reports
    // both as errors and goes to disconnected without trying to reconnect.
    await alice.inState('disconnected');
    expect(alice.received.map((m) => m.event)).toEqual([
      'pusher:signin_success',
      'pusher_internal:subscription_succeeded',
      'pusher:error',
    ]);
    expect(alice.received[2].data).toEqual({
      code: 4009,
      message: 'You got disconnected by the app.',
    });
    expect(alice.connectionErrors).toEqual([
      {
        type: 'PusherError',
        data: { code: 4009, message: 'You got disconnected by the app.' },
      },
      // The close frame: code 4009, no reason.
      { type: 'PusherError', data: { code: 4009 } },
      // The connection manager's report of the same close ("refused").
      {
        type: 'WebSocketError',
        error: { type: 'PusherError', data: { code: 4009 } },
      },
    ]);
    expect(alice.states).toEqual(['connected', 'disconnected']);

    // Bob's connection was left alone: still the same socket, and an event sent to him arrives.
    const bobReceives = bob.nextUserEvent('still-here');
    await stack.soketi.restClient.sendToUser('bob', 'still-here', { n: 1 });
    await expect(bobReceives).resolves.toEqual({ n: 1 });
    expect(bob.states).toEqual(['connected']);
    expect(bob.received.map((m) => m.event)).not.toContain('pusher:error');

    // Alice's app reconnects with her still-valid token: the directory no longer holds her.
    const again = alice.nextSignInOutcome();
    alice.pusher.connect();
    await alice.connected();
    expect(await again).toEqual({
      signedIn: false,
      error: { type: 'AuthError', status: 403, error: expect.any(String) },
    });
  });
});

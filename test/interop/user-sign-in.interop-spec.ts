import type { DirectoryUser } from '../../src/directory/directory-user';
import { claimsFor, signJwt } from '../helpers/jwt';
import { expectedUserAuth } from '../helpers/pusher-signature';
import { InteropStack } from './helpers/interop-stack';
import { bearer, expectSignedIn } from './helpers/client';

const USERS: DirectoryUser[] = [
  {
    id: 'alice',
    userInfo: { name: 'Alice', team: 'ops' },
    watchlist: ['bob', 'carol'],
  },
  { id: 'bob', userInfo: { name: 'Bob' }, watchlist: ['alice'] },
  { id: 'dave', userInfo: null, watchlist: [] },
];

/**
 * soketi closes a connection that has not signed in within this window with `pusher:error` 4009:
 * its own verdict that a refused socket never signed in. Generous next to a sign-in (milliseconds).
 */
const SIGN_IN_WINDOW_MS = 2_000;

describe('pusher-js signing in through pusher-auth, checked by soketi', () => {
  const stack = new InteropStack();

  beforeAll(
    () =>
      stack.start({
        users: USERS,
        userAuthenticationTimeoutMs: SIGN_IN_WINDOW_MS,
      }),
    60_000,
  );
  afterEach(() => stack.disconnectClients());
  afterAll(() => stack.stop(), 30_000);

  it.each([
    [
      'alice',
      {
        id: 'alice',
        user_info: { name: 'Alice', team: 'ops' },
        watchlist: ['bob', 'carol'],
      },
    ],
    ['dave', { id: 'dave' }],
  ])(
    'signs %s in with a bearer token in headers: soketi answers pusher:signin_success with the user_data we signed',
    async (userId, expectedUser) => {
      const client = stack.client({
        headers: bearer(stack.tokenFor(userId)),
        // Extra params ride along in the form body; the service ignores them.
        params: { app_version: '1.2.3' },
      });
      const socketId = await client.connected();

      const { userData, auth } = expectSignedIn(await client.signIn());

      // soketi echoes what it verified: the directory's user_info and watchlist, as signed.
      expect(JSON.parse(userData)).toEqual(expectedUser);
      expect(auth).toBe(
        expectedUserAuth(
          stack.soketi.app.key,
          stack.soketi.app.secret,
          socketId,
          userData,
        ),
      );
      // pusher-js accepted it too (it requires a non-empty string id).
      expect(client.pusher.user.user_data).toEqual(expectedUser);
    },
  );

  it('asks headersProvider for the token on every sign-in, and signs the new socket in after a reconnect', async () => {
    let tokensIssued = 0;
    const client = stack.client({
      headersProvider: () => {
        tokensIssued += 1;
        return bearer(stack.tokenFor('bob'));
      },
    });
    const firstSocketId = await client.connected();
    const first = expectSignedIn(await client.signIn());

    client.pusher.disconnect();
    const again = client.nextSignInOutcome();
    client.pusher.connect();
    const secondSocketId = await client.connected();
    const second = expectSignedIn(await again);

    expect(tokensIssued).toBe(2);
    expect(secondSocketId).not.toBe(firstSocketId);
    expect(JSON.parse(second.userData)).toEqual(JSON.parse(first.userData));
    expect(second.auth).toBe(
      expectedUserAuth(
        stack.soketi.app.key,
        stack.soketi.app.secret,
        secondSocketId,
        second.userData,
      ),
    );
  });

  it('delivers an event sent with the pusher library (sendToUser) to that signed-in user only', async () => {
    const alice = await stack.signedInClient('alice');
    const bob = await stack.signedInClient('bob');
    const aliceEvents: unknown[] = [];
    alice.pusher.user.bind('order-shipped', (data: unknown) =>
      aliceEvents.push(data),
    );
    const aliceReceives = alice.nextUserEvent('order-shipped');
    const bobReceives = bob.nextUserEvent('order-shipped');

    // Bob's first: had soketi routed it to Alice too, it would reach her before her own.
    await stack.soketi.restClient.sendToUser('bob', 'order-shipped', {
      order: 2,
    });
    await stack.soketi.restClient.sendToUser('alice', 'order-shipped', {
      order: 1,
    });

    await expect(aliceReceives).resolves.toEqual({ order: 1 });
    await expect(bobReceives).resolves.toEqual({ order: 2 });
    expect(aliceEvents).toEqual([{ order: 1 }]);
  });

  describe('refused sign-ins', () => {
    /**
     * What a refused sign-in looks like from both ends: pusher-js reports our 403, and soketi, which
     * never received a signed user, closes the socket when its sign-in window runs out. A client
     * signed in before it proves that closing is about not signing in: its own window ran out first,
     * and it still receives an event afterwards.
     */
    async function expectRefused(
      auth: Parameters<InteropStack['client']>[0],
    ): Promise<void> {
      const control = await stack.signedInClient('bob');
      const client = stack.client(auth);
      await client.connected();

      const outcome = await client.signIn();

      expect(outcome).toEqual({
        signedIn: false,
        error: { type: 'AuthError', status: 403, error: expect.any(String) },
      });
      const closing = await client.message(
        "soketi's pusher:error",
        (m) => m.event === 'pusher:error',
      );
      expect(closing.data).toEqual({
        code: 4009,
        message: 'Connection not authorized within timeout.',
      });
      expect(client.received.map((m) => m.event)).not.toContain(
        'pusher:signin_success',
      );
      expect(client.pusher.user.user_data).toBeNull();

      const controlReceives = control.nextUserEvent('still-here');
      await stack.soketi.restClient.sendToUser('bob', 'still-here', {});
      await expect(controlReceives).resolves.toEqual({});
      expect(control.received.map((m) => m.event)).not.toContain(
        'pusher:error',
      );
    }

    it.each([
      [
        'signed with another secret',
        () =>
          signJwt(
            'HS256',
            'another-secret-that-is-long-enough-for-hs256',
            claimsFor('alice'),
          ),
      ],
      [
        'that has expired',
        () => {
          const now = Math.floor(Date.now() / 1000);
          return signJwt(
            'HS256',
            stack.jwtSecret,
            claimsFor('alice', { iat: now - 7200, exp: now - 3600 }),
          );
        },
      ],
    ])(
      'surfaces our 403 for a token %s as pusher:signin_error with status 403',
      async (_case, token) => {
        await expectRefused({ headers: bearer(token()) });
      },
    );

    it('surfaces our 403 for a request without a token as pusher:signin_error with status 403', async () => {
      await expectRefused({});
    });

    it('never signs in a valid token for a user the directory does not hold', async () => {
      await expectRefused({ headers: bearer(stack.tokenFor('mallory')) });
    });
  });
});

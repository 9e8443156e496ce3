import type { Channel } from 'pusher-js';
import type { DirectoryUser } from '../../src/directory/directory-user';
import type { SubscriptionOutcome } from './helpers/client';
import { InteropStack } from './helpers/interop-stack';
import { expectSignedIn } from './helpers/client';

const USERS: DirectoryUser[] = [
  { id: 'alice', userInfo: { name: 'Alice' }, watchlist: [] },
  { id: 'bob', userInfo: { name: 'Bob' }, watchlist: [] },
];

const APOLLO = 'private-project-apollo';

/** Every client here signs in; the window only guards against one that never does. */
const SIGN_IN_WINDOW_MS = 30_000;

function expectSubscribed(outcome: SubscriptionOutcome): Channel {
  if (!outcome.subscribed) {
    throw new Error(
      `expected soketi to confirm the subscription, got ${JSON.stringify({ ...outcome, channel: outcome.channel.name })}`,
    );
  }
  return outcome.channel;
}

describe('revoking a grant with TERMINATE_ON_REVOKE, seen by pusher-js on soketi', () => {
  const stack = new InteropStack();

  beforeAll(
    () =>
      stack.start({
        users: USERS,
        grants: [
          { subject: 'user', subjectId: 'alice', channelPattern: APOLLO },
          { subject: 'user', subjectId: 'bob', channelPattern: APOLLO },
        ],
        userAuthenticationTimeoutMs: SIGN_IN_WINDOW_MS,
        env: { TERMINATE_ON_REVOKE: 'true' },
      }),
    60_000,
  );
  afterEach(() => stack.disconnectClients());
  afterAll(() => stack.stop(), 30_000);

  it("closes the connection of a user whose grant the directory CLI revokes; reconnected, the revoked channel is refused with 403 while her other channel and another user's grant still work", async () => {
    const alice = await stack.signedInClient('alice');
    const aliceApollo = expectSubscribed(await alice.subscribe(APOLLO));
    const aliceOwn = expectSubscribed(
      await alice.subscribe('private-user-alice'),
    );
    const bob = await stack.signedInClient('bob');
    const bobApollo = expectSubscribed(await bob.subscribe(APOLLO));

    // The operator's command, on the service's SQLite file: the grant's trigger records the
    // revocation, the service reads it, finds the grant gone and asks soketi's REST API to end
    // alice's connections.
    const revocation = await stack.directoryCli(
      'revoke',
      'user',
      'alice',
      APOLLO,
    );
    expect(revocation).toEqual({
      code: 0,
      output: `revoked "${APOLLO}" from user "alice"\n`,
    });

    // soketi's terminate, as for a removed user: pusher:error 4009, then the close frame, and
    // pusher-js goes to disconnected without reconnecting by itself.
    await alice.inState('disconnected');
    expect(alice.received.at(-1)).toEqual({
      event: 'pusher:error',
      data: { code: 4009, message: 'You got disconnected by the app.' },
    });
    expect(alice.states).toEqual(['connected', 'disconnected']);

    // Bob's grant was not touched: same connection, and an event on the channel reaches him.
    const bobReceives = bob.nextChannelEvent(bobApollo, 'status-changed');
    await stack.soketi.restClient.trigger(APOLLO, 'status-changed', { n: 1 });
    await expect(bobReceives).resolves.toEqual({ n: 1 });
    expect(bob.states).toEqual(['connected']);

    // Alice's app reconnects: pusher-js signs in again and subscribes to both channels again.
    const refused = alice.nextChannelEvent(
      aliceApollo,
      'pusher:subscription_error',
    );
    const ownAgain = alice.nextChannelEvent(
      aliceOwn,
      'pusher:subscription_succeeded',
    );
    const signedInAgain = alice.nextSignInOutcome();
    const receivedBefore = alice.received.length;
    alice.pusher.connect();
    await alice.connected();
    expectSignedIn(await signedInAgain);
    await expect(refused).resolves.toEqual({
      type: 'AuthError',
      status: 403,
      error: expect.any(String),
    });
    await ownAgain;
    expect(aliceApollo.subscribed).toBe(false);
    // soketi was never asked for the revoked channel on the new connection.
    expect(
      alice.received
        .slice(receivedBefore)
        .filter((message) => message.channel === APOLLO),
    ).toEqual([]);

    // Her other channel works on the new connection.
    const aliceReceives = alice.nextChannelEvent(aliceOwn, 'status-changed');
    await stack.soketi.restClient.trigger(
      'private-user-alice',
      'status-changed',
      { n: 2 },
    );
    await expect(aliceReceives).resolves.toEqual({ n: 2 });
  });
});

import { batchChannelAuthorization } from '../../packages/pusher-js-batch/src/batch-channel-authorization';
import type { BatchAuthorizerOptions } from '../../packages/pusher-js-batch/src/batch-authorizer-options';
import type { ChannelAuthorizationHandler } from '../../packages/pusher-js-batch/src/pusher-js.types';
import { expectedChannelAuth } from '../helpers/channel-signature';
import { claimsFor, signJwt } from '../helpers/jwt';
import { LOBBY_POLICY, seedAliceWithRoomsAndBob } from '../helpers/batch-users';
import { writePolicyFile } from '../helpers/policy-file';
import {
  startTestApp,
  temporarySqliteUrl,
  TEST_JWT_SECRET,
  TEST_PUSHER,
  TestApp,
} from '../helpers/test-app';

const SOCKET_ID = '1234.5678';

/**
 * The client package (packages/pusher-js-batch) against the real AppModule: what the service
 * answers to the batches the package sends. One backend: the directory is not what is tested.
 */
describe('the pusher-js batch authorizer against the service', () => {
  let storage: { url: string; cleanup(): void };
  let policy: { path: string; cleanup(): void };
  let service: TestApp;
  /** How many requests reached the service. */
  let requests = 0;

  /** fetch over Fastify's inject: the service's real routing, without a listening socket. */
  const injectFetch = async (url: string, init: RequestInit) => {
    requests += 1;
    const answer = await service.app.inject({
      method: 'POST',
      url,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      payload: init.body as string,
    });
    return new Response(answer.body, { status: answer.statusCode });
  };

  const authorizer = (options: BatchAuthorizerOptions = {}) =>
    batchChannelAuthorization({
      fetch: injectFetch as typeof fetch,
      headers: () => ({
        Authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'))}`,
      }),
      ...options,
    });

  function ask(handler: ChannelAuthorizationHandler, channelName: string) {
    return new Promise<{ error: Error | null; auth?: string; data?: string }>(
      (resolve) =>
        handler({ socketId: SOCKET_ID, channelName }, (error, data) =>
          resolve({ error, auth: data?.auth, data: data?.channel_data }),
        ),
    );
  }

  const sign = (channel: string, data?: string) =>
    expectedChannelAuth(
      TEST_PUSHER.key,
      TEST_PUSHER.secret,
      SOCKET_ID,
      channel,
      data,
    );

  beforeAll(async () => {
    storage = temporarySqliteUrl();
    policy = writePolicyFile(LOBBY_POLICY);
    // No PUSHER_ENCRYPTION_MASTER_KEY_BASE64: encrypted channels are 501.
    service = await startTestApp({
      DIRECTORY_URL: storage.url,
      CHANNEL_POLICY_FILE: policy.path,
    });
    await seedAliceWithRoomsAndBob(service, 'private-room-*');
  });

  beforeEach(() => {
    requests = 0;
  });

  afterAll(async () => {
    await service?.close();
    storage?.cleanup();
    policy?.cleanup();
  });

  it('gets every channel its own answer from one request to the default endpoint', async () => {
    const handler = authorizer();
    const [alice, bob, lobby, malformed, encrypted] = await Promise.all(
      [
        'private-user-alice',
        'private-user-bob',
        'presence-lobby',
        'private-bad name',
        'private-encrypted-user-alice',
      ].map((name) => ask(handler, name)),
    );

    expect(requests).toBe(1);
    expect(alice).toEqual({
      error: null,
      auth: sign('private-user-alice'),
      data: undefined,
    });
    expect(lobby.auth).toBe(sign('presence-lobby', lobby.data));
    expect(JSON.parse(lobby.data ?? '')).toEqual({
      user_id: 'alice',
      user_info: { name: 'Alice' },
    });
    expect(bob.error?.message).toBe(
      'Channel authorization for private-user-bob failed: status 403',
    );
    expect(malformed.error?.message).toBe(
      'Channel authorization for private-bad name failed: status 400 (channel_name may only contain A-Z a-z 0-9 _ - = @ , . ;)',
    );
    expect(encrypted.error?.message).toMatch(
      /^Channel authorization for private-encrypted-user-alice failed: status 501 \(.*PUSHER_ENCRYPTION_MASTER_KEY_BASE64/,
    );
  });

  it('keeps 150 channels under the service limit of 100 per request', async () => {
    const handler = authorizer();
    const rooms = Array.from({ length: 150 }, (_, i) => `private-room-${i}`);
    const answers = await Promise.all(rooms.map((room) => ask(handler, room)));

    expect(requests).toBe(2);
    answers.forEach((answer, i) => expect(answer.auth).toBe(sign(rooms[i])));
  });

  it('fails the whole batch with the status when the caller is not identified', async () => {
    const handler = authorizer({ headers: {} });
    const answers = await Promise.all([
      ask(handler, 'private-user-alice'),
      ask(handler, 'presence-lobby'),
    ]);

    expect(answers.map((a) => a.error?.message)).toEqual([
      'Channel authorization for private-user-alice failed: the batch request was answered with status 403 (Forbidden)',
      'Channel authorization for presence-lobby failed: the batch request was answered with status 403 (Forbidden)',
    ]);
  });
});

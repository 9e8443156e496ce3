import type { DirectoryUser } from '../../src/directory/directory-user';
import { claimsFor, signJwt } from '../helpers/jwt';
import { expectedUserAuth } from '../helpers/pusher-signature';
import { STORAGE_BACKENDS, TestStorage } from '../helpers/storage-backends';
import {
  startTestApp,
  TEST_JWT_SECRET,
  TEST_PUSHER,
  TestApp,
} from '../helpers/test-app';
import { expectForbidden } from '../helpers/forbidden';

const ALICE: DirectoryUser = {
  id: 'alice',
  userInfo: { name: 'Alice', avatar: 'https://example.com/a.png' },
  watchlist: ['bob', 'carol'],
};
const BARE: DirectoryUser = {
  id: 'bare.user@example.com',
  userInfo: null,
  watchlist: [],
};

const FORM = 'application/x-www-form-urlencoded';

const tokenFor = (sub: unknown, extra: Record<string, unknown> = {}) =>
  signJwt('HS256', TEST_JWT_SECRET, claimsFor(sub, extra));

describe.each(STORAGE_BACKENDS)(
  'user sign-in on %s',
  (_backend, openStorage) => {
    let storage: TestStorage;
    let service: TestApp;

    const signIn = (
      body: string | Record<string, unknown>,
      sub: unknown = ALICE.id,
    ) =>
      service.app.inject({
        method: 'POST',
        url: '/pusher/user-auth',
        headers: {
          authorization: `Bearer ${tokenFor(sub)}`,
          'content-type': typeof body === 'string' ? FORM : 'application/json',
        },
        payload: body,
      });

    const expectSignedAs = (
      response: { statusCode: number; json(): any },
      socketId: string,
      user: Record<string, unknown>,
    ) => {
      expect(response.statusCode).toBe(200);
      const { auth, user_data: userData } = response.json();
      expect(JSON.parse(userData)).toEqual(user);
      expect(auth).toBe(
        expectedUserAuth(
          TEST_PUSHER.key,
          TEST_PUSHER.secret,
          socketId,
          userData,
        ),
      );
    };

    beforeAll(async () => {
      storage = await openStorage();
      service = await startTestApp({
        DIRECTORY_URL: storage.url,
        DIRECTORY_CACHE_TTL_MS: '0',
      });
      await service.seed(ALICE, BARE);
    });

    afterAll(async () => {
      await service?.close();
      await storage?.cleanup();
    });

    it('signs a form-encoded request with the stored user_info and watchlist', async () => {
      const response = await signIn('socket_id=123.456');
      expectSignedAs(response, '123.456', {
        id: 'alice',
        user_info: ALICE.userInfo,
        watchlist: ['bob', 'carol'],
      });
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['cache-control']).toBe('no-store');
    });

    it('signs a JSON body the same way', async () => {
      expectSignedAs(await signIn({ socket_id: '7.8' }), '7.8', {
        id: 'alice',
        user_info: ALICE.userInfo,
        watchlist: ['bob', 'carol'],
      });
    });

    it('accepts and ignores extra pusher-js params', async () => {
      const response = await signIn('socket_id=1.2&room=lobby&user_id=mallory');
      expectSignedAs(response, '1.2', {
        id: 'alice',
        user_info: ALICE.userInfo,
        watchlist: ['bob', 'carol'],
      });
    });

    it('leaves user_info and watchlist out when the directory holds none', async () => {
      expectSignedAs(await signIn('socket_id=5.6', BARE.id), '5.6', {
        id: BARE.id,
      });
    });

    it('refuses an unknown user with 403 and signs nothing', async () => {
      const response = await signIn('socket_id=1.2', 'nobody');
      expectForbidden(response);
    });

    it.each([
      ['missing', ''],
      ['with three parts', 'socket_id=1.2.3'],
      ['not numeric', 'socket_id=abc'],
      ['an array', 'socket_id=1.2&socket_id=3.4'],
      ['10 kB long', `socket_id=${'1'.repeat(5000)}.${'2'.repeat(5000)}`],
      ['empty', 'socket_id='],
    ])('answers 400 naming socket_id when it is %s', async (_case, body) => {
      const response = await service.app.inject({
        method: 'POST',
        url: '/pusher/user-auth',
        headers: {
          authorization: `Bearer ${tokenFor(ALICE.id)}`,
          'content-type': FORM,
        },
        payload: body,
      });
      expect(response.statusCode).toBe(400);
      const payload = response.json();
      expect(payload).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(payload.message.join(' ')).toMatch(/socket_id/);
      expect(response.body).not.toContain('auth"');
    });

    it('answers 400 for a JSON socket_id that is not a string, with the one socket_id message', async () => {
      const response = await signIn({ socket_id: 12.34 });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toEqual([
        'socket_id must look like 1234.5678',
      ]);
    });

    describe('records that break the user rules are never signed', () => {
      const longInfo = { bio: 'x'.repeat(1100) };
      const tooManyWatched = Array.from(
        { length: 101 },
        (_, i) => `friend${i}`,
      );

      it.each([
        [
          'user_info is an array',
          { userInfo: ['a'], watchlist: [] },
          /user_info must be a JSON object/,
        ],
        [
          'user_info is a string',
          { userInfo: 'text', watchlist: [] },
          /user_info must be a JSON object/,
        ],
        [
          'user_info is over 1024 bytes',
          { userInfo: longInfo, watchlist: [] },
          /at most 1024 bytes/,
        ],
        [
          'the watchlist is over 100 ids',
          { userInfo: null, watchlist: tooManyWatched },
          /at most 100 entries/,
        ],
        [
          'the watchlist holds an invalid id',
          { userInfo: null, watchlist: ['bob', 'not ok!'] },
          /watchlist entries/,
        ],
      ])(
        'refuses a user whose %s, and logs the id and the rule',
        async (_case, record, rule) => {
          const id = `broken-${_case.replace(/\W+/g, '-')}`;
          await service.seed({ id, ...record });
          const response = await signIn('socket_id=1.2', id);
          expect(response.statusCode).toBe(403);
          expect(response.body).not.toMatch(rule);
          const logged = service.logs.lines.find((line) =>
            line.includes(JSON.stringify(id)),
          );
          expect(logged).toMatch(rule);
          // The rest of the directory keeps working.
          expect((await signIn('socket_id=1.2')).statusCode).toBe(200);
        },
      );

      it.each([
        ['characters Pusher rejects', 'alice smith'],
        ['more than 128 characters', 'a'.repeat(129)],
      ])('refuses an identity whose id has %s', async (_case, id) => {
        const response = await signIn('socket_id=1.2', id);
        expect(response.statusCode).toBe(403);
        expect(
          service.logs.lines.some(
            (line) =>
              line.includes(JSON.stringify(id)) && /id must be/.test(line),
          ),
        ).toBe(true);
      });
    });

    describe('with DIRECTORY_UNKNOWN_USERS=claims', () => {
      let claimsService: TestApp;

      beforeAll(async () => {
        claimsService = await startTestApp({
          DIRECTORY_URL: storage.url,
          DIRECTORY_UNKNOWN_USERS: 'claims',
        });
      });
      afterAll(() => claimsService?.close());

      const signInWithClaims = (sub: string, extra: Record<string, unknown>) =>
        claimsService.app.inject({
          method: 'POST',
          url: '/pusher/user-auth',
          headers: {
            authorization: `Bearer ${tokenFor(sub, extra)}`,
            'content-type': FORM,
          },
          payload: 'socket_id=9.9',
        });

      it('signs an unknown user from the token name and email, with an empty watchlist', async () => {
        const response = await signInWithClaims('newcomer', {
          name: 'New Comer',
          email: 'new@example.com',
          roles: ['admin'],
        });
        expectSignedAs(response, '9.9', {
          id: 'newcomer',
          user_info: { name: 'New Comer', email: 'new@example.com' },
        });
      });

      it('still prefers the stored record for a known user', async () => {
        const response = await signInWithClaims('alice', { name: 'Not Alice' });
        expectSignedAs(response, '9.9', {
          id: 'alice',
          user_info: ALICE.userInfo,
          watchlist: ['bob', 'carol'],
        });
      });
    });
  },
);

import { expectedUserAuth } from '../helpers/pusher-signature';
import { injectSignIn } from '../helpers/sign-in';
import { STORAGE_BACKENDS, TestStorage } from '../helpers/storage-backends';
import { startTestApp, TEST_PUSHER, TestApp } from '../helpers/test-app';

/**
 * Watchlists written past the CLI (rows any database user may write) are signed without
 * repeated ids or the user's own, and WATCHLIST_MAX counts what remains, on every backend.
 */
describe.each(STORAGE_BACKENDS)(
  'watchlists at sign-in on %s',
  (_backend, openStorage) => {
    let storage: TestStorage;
    let service: TestApp;

    const signIn = (sub: string) => injectSignIn(service.app, sub, '1.2');

    beforeAll(async () => {
      storage = await openStorage();
      service = await startTestApp({
        DIRECTORY_URL: storage.url,
        WATCHLIST_MAX: '2',
      });
      await service.seed(
        {
          id: 'alice',
          userInfo: null,
          watchlist: ['bob', 'alice', 'bob', 'carol', 'carol'],
        },
        { id: 'narcissus', userInfo: null, watchlist: ['narcissus'] },
        { id: 'crowd', userInfo: null, watchlist: ['a', 'b', 'c', 'a'] },
      );
    });
    afterAll(async () => {
      await service?.close();
      await storage?.cleanup();
    });

    it('signs each watched id once, in order, without the user’s own id', async () => {
      const response = await signIn('alice');
      expect(response.statusCode).toBe(200);
      const { auth, user_data: userData } = response.json();
      expect(JSON.parse(userData)).toEqual({
        id: 'alice',
        watchlist: ['bob', 'carol'],
      });
      expect(auth).toBe(
        expectedUserAuth(TEST_PUSHER.key, TEST_PUSHER.secret, '1.2', userData),
      );
    });

    it('leaves the watchlist out when it held only the user’s own id', async () => {
      const response = await signIn('narcissus');
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.json().user_data)).toEqual({
        id: 'narcissus',
      });
    });

    it('still refuses more distinct ids than WATCHLIST_MAX', async () => {
      expect((await signIn('crowd')).statusCode).toBe(403);
      expect(service.logs.lines).toContainEqual(
        expect.stringContaining(
          'not signing user "crowd": watchlist must have at most 2 entries (has 3 once repeats and the user\'s own id are dropped)',
        ),
      );
    });
  },
);

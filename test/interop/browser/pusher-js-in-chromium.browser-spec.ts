import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DirectoryUser } from '../../../src/directory/directory-user';
import { InteropStack } from '../helpers/interop-stack';
import { BrowserPage, PageAuthOptions, PageSignIn } from './browser-page';
import { launchChromium, RunningChromium } from './chromium';
import { PageServer, startPageServer } from './page-server';

const USERS: DirectoryUser[] = [
  {
    id: 'alice',
    userInfo: { name: 'Alice', team: 'ops' },
    watchlist: ['bob'],
  },
  { id: 'bob', userInfo: { name: 'Bob' }, watchlist: [] },
];

const ALICE = {
  id: 'alice',
  user_info: { name: 'Alice', team: 'ops' },
  watchlist: ['bob'],
};

/** The query/body parameter that may carry the token (the only way JSONP can authenticate). */
const TOKEN_PARAM = 'token';

/**
 * soketi closes a connection that has not signed in within this window (`pusher:error` 4009): its
 * own verdict that a refused page never signed in. Every page that should sign in does so at once.
 */
const SIGN_IN_WINDOW_MS = 4_000;

/** Not committed (.gitignore): for a person to look at. */
const SCREENSHOT = resolve(
  __dirname,
  '../../../test-output/browser/signed-in.png',
);

function expectSignedIn(outcome: PageSignIn) {
  if (!outcome.signedIn) {
    throw new Error(
      `expected the page to sign in, got ${JSON.stringify(outcome)}`,
    );
  }
  return outcome;
}

describe("pusher-js's browser build in Chromium, through pusher-auth and soketi", () => {
  const stack = new InteropStack();
  /** The origin listed in CORS_ORIGINS. */
  let allowedSite: PageServer | undefined;
  /** The same page on another port: an origin the service does not list. */
  let otherSite: PageServer | undefined;
  let chromium: RunningChromium | undefined;
  const pages: BrowserPage[] = [];

  beforeAll(async () => {
    allowedSite = await startPageServer();
    otherSite = await startPageServer();
    await stack.start({
      users: USERS,
      userAuthenticationTimeoutMs: SIGN_IN_WINDOW_MS,
      env: {
        CORS_ORIGINS: allowedSite.origin,
        JSONP_ENABLED: 'true',
        JWT_QUERY_PARAM: TOKEN_PARAM,
      },
    });
    chromium = await launchChromium();
  }, 90_000);

  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.close()));
  });

  afterAll(async () => {
    // Everything is stopped even when one of them fails; the first failure is reported.
    const results = await Promise.allSettled([
      chromium?.stop(),
      stack.stop(),
      allowedSite?.stop(),
      otherSite?.stop(),
    ]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }, 30_000);

  async function openPage(site: PageServer | undefined): Promise<BrowserPage> {
    if (!site || !chromium) throw new Error('the suite did not start');
    const page = await BrowserPage.open(chromium.context, `${site.origin}/`);
    pages.push(page);
    return page;
  }

  async function connect(
    page: BrowserPage,
    userAuthentication: Omit<PageAuthOptions, 'endpoint'>,
    channelAuthorization?: Omit<PageAuthOptions, 'endpoint'>,
  ): Promise<void> {
    await page.connect({
      ...stack.pageSocket,
      userAuthentication: {
        endpoint: stack.service.userAuthEndpoint,
        ...userAuthentication,
      },
      channelAuthorization: channelAuthorization && {
        endpoint: stack.service.channelAuthEndpoint,
        ...channelAuthorization,
      },
    });
  }

  const bearer = (userId: string) => ({
    Authorization: `Bearer ${stack.tokenFor(userId)}`,
  });

  /** soketi's own verdict on a page that never signed in: it closes the socket with 4009. */
  async function expectNeverSignedIn(page: BrowserPage): Promise<void> {
    const closing = await page.message('pusher:error');
    expect(closing.data).toEqual({
      code: 4009,
      message: 'Connection not authorized within timeout.',
    });
    const state = await page.state();
    expect(state.userData).toBeNull();
    expect(state.events).not.toContain('pusher:signin_success');
  }

  it('signs in over ajax with Authorization in headers from an allowed origin: the CORS preflight passes', async () => {
    const page = await openPage(allowedSite);
    await connect(page, { transport: 'ajax', headers: bearer('alice') });

    const outcome = expectSignedIn(await page.signIn());

    // What soketi verified and pusher-js accepted, read from the page.
    expect(outcome.userData).toEqual(ALICE);
    expect((await page.state()).status).toBe(
      'signed in as alice {"name":"Alice","team":"ops"}',
    );
    // The Authorization header made Chromium ask first; the service granted exactly this origin.
    const origin = allowedSite?.origin;
    const requests = await page.settledRequestsTo(
      stack.service.userAuthEndpoint,
    );
    expect(requests).toHaveLength(2);
    // In either order: Chromium reports the XHR and the preflight it spawns independently.
    expect(requests).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          method: 'OPTIONS',
          type: 'Preflight',
          requestHeaders: expect.objectContaining({
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization',
          }),
          status: 204,
          responseHeaders: expect.objectContaining({
            'access-control-allow-origin': origin,
            'access-control-allow-headers':
              expect.stringContaining('Authorization'),
          }),
        }),
        expect.objectContaining({
          method: 'POST',
          type: 'XHR',
          requestHeaders: expect.objectContaining({
            origin,
            authorization: expect.stringMatching(/^Bearer /),
            'content-type': 'application/x-www-form-urlencoded',
          }),
          status: 200,
          responseHeaders: expect.objectContaining({
            'access-control-allow-origin': origin,
          }),
        }),
      ]),
    );
    expect(page.pageErrors).toEqual([]);
    expect(page.console.filter((m) => m.startsWith('error'))).toEqual([]);

    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('cannot sign in over ajax from an origin not in CORS_ORIGINS: the browser blocks the request', async () => {
    const page = await openPage(otherSite);
    await connect(page, { transport: 'ajax', headers: bearer('alice') });

    const outcome = await page.signIn();

    // pusher-js sees a request the browser refused to complete (status 0), not our answer.
    expect(outcome).toEqual({
      signedIn: false,
      error: { type: 'AuthError', status: 0 },
    });
    // Chromium asked; the service answered without Access-Control-Allow-Origin (never a
    // reflection), so the POST carrying the token never reached it.
    const requests = await page.settledRequestsTo(
      stack.service.userAuthEndpoint,
    );
    expect(requests).toHaveLength(2);
    const preflight = requests.find((r) => r.method === 'OPTIONS');
    const post = requests.find((r) => r.method === 'POST');
    expect(preflight).toMatchObject({
      type: 'Preflight',
      requestHeaders: { origin: otherSite?.origin },
    });
    expect(preflight?.responseHeaders).not.toHaveProperty(
      'access-control-allow-origin',
    );
    expect(post).toMatchObject({ type: 'XHR' });
    expect(post).not.toHaveProperty('status');
    await expectNeverSignedIn(page);
    // By now (soketi's window has run out) Chromium has logged why it blocked the request.
    expect(page.console).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^error: Access to XMLHttpRequest at '${stack.service.userAuthEndpoint}' from origin '${otherSite?.origin}' has been blocked by CORS policy`,
        ),
      ),
    );
  });

  it(`signs in over transport: 'jsonp' with the token in params`, async () => {
    const page = await openPage(allowedSite);
    await connect(page, {
      transport: 'jsonp',
      params: { [TOKEN_PARAM]: stack.tokenFor('alice') },
    });

    const outcome = expectSignedIn(await page.signIn());

    expect(outcome.userData).toEqual(ALICE);
    const { jsonpScripts } = await page.state();
    expect(jsonpScripts).toEqual([
      {
        src: expect.stringContaining(
          `${stack.service.userAuthEndpoint}?callback=`,
        ),
        outcome: 'load',
      },
    ]);
    // A script tag needs no CORS: no preflight; our answer is JavaScript calling the callback.
    expect(
      await page.settledRequestsTo(stack.service.userAuthEndpoint),
    ).toEqual([
      expect.objectContaining({
        method: 'GET',
        type: 'Script',
        status: 200,
        responseHeaders: expect.objectContaining({
          'content-type': expect.stringMatching(/^application\/javascript/),
          'x-content-type-options': 'nosniff',
        }),
      }),
    ]);
    expect(page.pageErrors).toEqual([]);
    expect(page.console.filter((m) => m.startsWith('error'))).toEqual([]);
  });

  it('never signs in over JSONP without a token, and our refusal causes no script error in the page', async () => {
    const page = await openPage(allowedSite);
    await connect(page, { transport: 'jsonp' });

    const outcome = await page.signIn();

    expect(outcome).toEqual({ signedIn: false, jsonpScript: 'error' });
    // Our 403 is JSON, not JavaScript: Chromium refuses to run it as a script (ORB), quietly
    // (the error answer allows cross-origin loading, so no CORP console error either); the
    // callback is never called and nothing of the body executes.
    expect(
      await page.settledRequestsTo(stack.service.userAuthEndpoint),
    ).toEqual([
      expect.objectContaining({
        method: 'GET',
        type: 'Script',
        status: 403,
        responseHeaders: expect.objectContaining({
          'content-type': expect.stringMatching(/^application\/json/),
        }),
        failure: 'net::ERR_BLOCKED_BY_ORB',
      }),
    ]);
    await expectNeverSignedIn(page);
    expect(page.pageErrors).toEqual([]);
    expect(page.console).toEqual([]);
  });

  it('subscribes to a private channel from the browser and receives an event', async () => {
    const page = await openPage(allowedSite);
    await connect(
      page,
      { transport: 'ajax', headers: bearer('alice') },
      { transport: 'ajax', headers: bearer('alice') },
    );
    expectSignedIn(await page.signIn());

    const subscribed = await page.subscribe('private-user-alice');
    const received = await page.nextEvent('private-user-alice', 'note');
    await stack.soketi.restClient.trigger('private-user-alice', 'note', {
      text: 'hello from the server',
    });

    expect(subscribed).toEqual({ subscribed: true });
    await expect(received()).resolves.toEqual({
      text: 'hello from the server',
    });
    expect(page.pageErrors).toEqual([]);
  });

  it("surfaces our 403 for another user's private channel in the browser as pusher:subscription_error", async () => {
    const page = await openPage(allowedSite);
    await connect(
      page,
      { transport: 'ajax', headers: bearer('alice') },
      { transport: 'ajax', headers: bearer('alice') },
    );
    expectSignedIn(await page.signIn());

    const outcome = await page.subscribe('private-user-bob');

    expect(outcome).toEqual({
      subscribed: false,
      error: { type: 'AuthError', status: 403 },
    });
    expect(page.pageErrors).toEqual([]);
  });
});

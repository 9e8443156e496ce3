import type { DirectoryUser } from '../../../src/directory/directory-user';
import { parseMetrics } from '../../helpers/metrics';
import { InteropStack } from '../helpers/interop-stack';
import { BrowserPage } from './browser-page';
import { launchChromium, RunningChromium } from './chromium';
import { PageServer, startPageServer } from './page-server';

const USERS: DirectoryUser[] = [
  { id: 'alice', userInfo: { name: 'Alice' }, watchlist: [] },
  { id: 'bob', userInfo: { name: 'Bob' }, watchlist: [] },
];

/** A page's channels: 29 alice may join (a grant, the built-in rule, a policy rule), 1 she may not. */
const ROOMS = Array.from({ length: 27 }, (_, i) => `private-room-${i + 1}`);
const ALLOWED = [...ROOMS, 'private-user-alice', 'presence-lobby'];
const DENIED = 'private-user-bob';

/** These clients never sign in; soketi leaves them alone while they hold private channels. */
const SIGN_IN_WINDOW_MS = 60_000;

describe("@pusher-auth/pusher-js-batch's browser build in Chromium, through pusher-auth and soketi", () => {
  const stack = new InteropStack();
  let site: PageServer | undefined;
  let chromium: RunningChromium | undefined;
  let page: BrowserPage | undefined;

  beforeAll(async () => {
    site = await startPageServer();
    await stack.start({
      users: USERS,
      grants: [
        {
          subject: 'user',
          subjectId: 'alice',
          channelPattern: 'private-room-*',
        },
      ],
      channelPolicy: {
        version: 1,
        rules: [{ channels: 'presence-lobby', allow: 'any-user' }],
      },
      userAuthenticationTimeoutMs: SIGN_IN_WINDOW_MS,
      env: { CORS_ORIGINS: site.origin },
    });
    chromium = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await page?.close();
    // Everything is stopped even when one of them fails; the first failure is reported.
    const results = await Promise.allSettled([
      chromium?.stop(),
      stack.stop(),
      site?.stop(),
    ]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }, 30_000);

  /** The channel endpoint's POSTs the service has answered, from its own /metrics counter. */
  async function channelAuthPostsAnswered(): Promise<number> {
    const path = new URL(stack.service.channelAuthEndpoint).pathname;
    const response = await fetch(`${stack.service.origin}/metrics`);
    expect(response.status).toBe(200);
    let answered = 0;
    for (const [sample, value] of parseMetrics(await response.text())) {
      if (
        sample.startsWith('pusher_auth_http_requests_total{') &&
        sample.includes(`endpoint="${path}"`) &&
        sample.includes('method="POST"')
      ) {
        answered += value;
      }
    }
    return answered;
  }

  it('authorizes 30 channels of a page in one request: the allowed ones subscribe, the denied one fails with 403', async () => {
    if (!site || !chromium) throw new Error('the suite did not start');
    page = await BrowserPage.open(chromium.context, `${site.origin}/`);
    await page.connect({
      ...stack.pageSocket,
      userAuthentication: {
        endpoint: stack.service.userAuthEndpoint,
        transport: 'ajax',
      },
      batchChannelAuthorization: {
        endpoint: stack.service.channelAuthEndpoint,
        headers: { Authorization: `Bearer ${stack.tokenFor('alice')}` },
      },
    });
    const before = await channelAuthPostsAnswered();

    const outcomes = await page.subscribeAll([...ALLOWED, DENIED]);

    // soketi confirms a subscription only for a signature it verified.
    for (const channel of ALLOWED) {
      expect({ channel, ...outcomes[channel] }).toEqual({
        channel,
        subscribed: true,
      });
    }
    // pusher-js passes our error's message on; it sets `status` only for its own error class.
    expect(outcomes[DENIED]).toEqual({
      subscribed: false,
      error: {
        type: 'AuthError',
        error: 'Channel authorization for private-user-bob failed: status 403',
      },
    });
    const posts = (await channelAuthPostsAnswered()) - before;
    expect(posts).toBeGreaterThanOrEqual(1);
    expect(posts).toBeLessThanOrEqual(2);
    // What Chromium sent: the batch POST (and a CORS preflight for the Authorization header).
    const requests = await page.settledRequestsTo(
      stack.service.channelAuthEndpoint,
    );
    const sent = requests.filter((r) => r.method === 'POST');
    expect(sent).toHaveLength(posts);
    expect(sent[0]).toMatchObject({
      type: 'Fetch',
      status: 200,
      requestHeaders: expect.objectContaining({
        authorization: expect.stringMatching(/^Bearer /),
        'content-type': 'application/x-www-form-urlencoded',
      }),
    });
    // A batch-authorized channel receives what the server triggers on it.
    const received = await page.nextEvent('private-room-27', 'note');
    await stack.soketi.restClient.trigger('private-room-27', 'note', {
      text: 'to a batch-authorized channel',
    });
    await expect(received()).resolves.toEqual({
      text: 'to a batch-authorized channel',
    });
    expect(page.pageErrors).toEqual([]);
  });
});

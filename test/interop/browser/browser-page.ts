import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { waitFor } from '../helpers/wait-for';

/** What the test page passes to `new Pusher(…)` for one connection. */
export interface PageConnection {
  key: string;
  wsHost: string;
  wsPort: number;
  userAuthentication: PageAuthOptions;
  channelAuthorization?: PageAuthOptions;
  /** Instead of `channelAuthorization`: `PusherAuthBatch.batchChannelAuthorization(these)`. */
  batchChannelAuthorization?: {
    endpoint: string;
    headers?: Record<string, string>;
    params?: Record<string, string>;
    windowMs?: number;
  };
}

export interface PageAuthOptions {
  endpoint: string;
  transport: 'ajax' | 'jsonp';
  headers?: Record<string, string>;
  params?: Record<string, string>;
}

export type PageSignIn =
  | { signedIn: true; userData: unknown }
  | { signedIn: false; error: { type: string; status: number } }
  /** JSONP: the script failed to load, so its callback can never be called. */
  | { signedIn: false; jsonpScript: 'error' };

export type PageSubscription =
  | { subscribed: true }
  | { subscribed: false; error: { type: string; status: number } };

/** One channel's outcome when subscribed among many, with pusher-js's error message. */
export type PageBatchSubscription =
  | { subscribed: true }
  | {
      subscribed: false;
      error: { type: string; status?: number; error: string };
    };

export interface PageState {
  userData: unknown;
  /** The events of every message soketi sent, in order. */
  events: string[];
  jsonpScripts: { src: string; outcome: 'pending' | 'load' | 'error' }[];
  status: string;
}

/**
 * One request the page made, as Chromium's DevTools protocol reports it: with the headers that
 * really went over the wire (Origin, Access-Control-*) and CORS preflights, which Playwright's own
 * request events do not show.
 */
export interface RecordedRequest {
  url: string;
  method: string;
  /** `Preflight`, `XHR`, `Script`, `Document`, … */
  type: string;
  requestHeaders: Record<string, string>;
  status?: number;
  responseHeaders?: Record<string, string>;
  /** Why Chromium gave up on it (`net::ERR_FAILED`, `net::ERR_BLOCKED_BY_ORB`, …). */
  failure?: string;
  /** Chromium reported the end of it: loaded or failed. */
  done: boolean;
}

/** What page/test-page.js defines as `window.testPage` (page.evaluate runs these in the page). */
interface PageGlobal {
  testPage: {
    connect(connection: PageConnection): Promise<string>;
    signIn(): Promise<PageSignIn>;
    subscribe(channelName: string): Promise<PageSubscription>;
    subscribeAll(
      channelNames: string[],
    ): Promise<Record<string, PageBatchSubscription>>;
    nextEvent(channelName: string, eventName: string): Promise<unknown>;
    message(eventName: string): Promise<{ event: string; data: unknown }>;
    state(): PageState;
    disconnect(): void;
  };
}

/** The test page in one browser tab, and everything the browser said about it. */
export class BrowserPage {
  /** Every console message, as `type: text`. */
  readonly console: string[] = [];
  /** Uncaught exceptions in the page: a script error from a response would land here. */
  readonly pageErrors: string[] = [];
  private readonly requests = new Map<string, RecordedRequest>();

  private constructor(
    readonly page: Page,
    private readonly cdp: CDPSession,
  ) {}

  static async open(
    context: BrowserContext,
    url: string,
  ): Promise<BrowserPage> {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const opened = new BrowserPage(page, cdp);
    opened.listen();
    await cdp.send('Network.enable');
    await page.goto(url);
    return opened;
  }

  private listen(): void {
    this.page.on('console', (message) =>
      this.console.push(`${message.type()}: ${message.text()}`),
    );
    this.page.on('pageerror', (error) =>
      this.pageErrors.push(`${error.name}: ${error.message}`),
    );
    // Each piece arrives in its own event, in no fixed order; they meet by request id.
    const request = (id: string): RecordedRequest => {
      let found = this.requests.get(id);
      if (!found) {
        found = {
          url: '',
          method: '',
          type: '',
          requestHeaders: {},
          done: false,
        };
        this.requests.set(id, found);
      }
      return found;
    };
    this.cdp.on('Network.requestWillBeSent', (event) => {
      const recorded = request(event.requestId);
      recorded.url = event.request.url;
      recorded.method = event.request.method;
      recorded.type ||= event.type ?? '';
      Object.assign(
        recorded.requestHeaders,
        lowerCaseKeys(event.request.headers),
      );
    });
    this.cdp.on('Network.requestWillBeSentExtraInfo', (event) => {
      Object.assign(
        request(event.requestId).requestHeaders,
        lowerCaseKeys(event.headers),
      );
    });
    this.cdp.on('Network.responseReceived', (event) => {
      const recorded = request(event.requestId);
      // A preflight's requestWillBeSent says "Other"; its response says "Preflight".
      recorded.type = event.type;
      recorded.status ??= event.response.status;
      recorded.responseHeaders ??= lowerCaseKeys(event.response.headers);
    });
    this.cdp.on('Network.responseReceivedExtraInfo', (event) => {
      const recorded = request(event.requestId);
      recorded.status = event.statusCode;
      recorded.responseHeaders = lowerCaseKeys(event.headers);
    });
    this.cdp.on('Network.loadingFinished', (event) => {
      request(event.requestId).done = true;
      this.onRequestDone();
    });
    this.cdp.on('Network.loadingFailed', (event) => {
      const recorded = request(event.requestId);
      recorded.failure = event.errorText;
      recorded.done = true;
      this.onRequestDone();
    });
  }

  private onRequestDone: () => void = () => undefined;

  /**
   * The requests to URLs starting with `prefix` once Chromium has reported the end of each: the
   * page learns an outcome (and answers the spec) before the browser's own events arrive.
   */
  settledRequestsTo(prefix: string): Promise<RecordedRequest[]> {
    return waitFor(`Chromium to finish the requests to ${prefix}`, (report) => {
      const check = () => {
        const requests = this.requestsTo(prefix);
        if (requests.length > 0 && requests.every((r) => r.done)) {
          report(requests);
        }
      };
      this.onRequestDone = check;
      check();
      return () => (this.onRequestDone = () => undefined);
    });
  }

  /** The requests the page made to URLs starting with `prefix`, in the order they were sent. */
  requestsTo(prefix: string): RecordedRequest[] {
    return [...this.requests.values()].filter((r) => r.url.startsWith(prefix));
  }

  connect(connection: PageConnection): Promise<string> {
    return this.page.evaluate(
      (c) => (globalThis as unknown as PageGlobal).testPage.connect(c),
      connection,
    );
  }

  signIn(): Promise<PageSignIn> {
    return this.page.evaluate(() =>
      (globalThis as unknown as PageGlobal).testPage.signIn(),
    );
  }

  subscribe(channelName: string): Promise<PageSubscription> {
    return this.page.evaluate(
      (name) => (globalThis as unknown as PageGlobal).testPage.subscribe(name),
      channelName,
    );
  }

  /** Subscribes to all of them in one tick in the page; each channel's outcome by name. */
  subscribeAll(
    channelNames: string[],
  ): Promise<Record<string, PageBatchSubscription>> {
    return this.page.evaluate(
      (names) =>
        (globalThis as unknown as PageGlobal).testPage.subscribeAll(names),
      channelNames,
    );
  }

  /** Starts listening in the page now; await the result after triggering the event. */
  async nextEvent(
    channelName: string,
    eventName: string,
  ): Promise<() => Promise<unknown>> {
    const handle = await this.page.evaluateHandle(
      ([channel, event]) => ({
        received: (globalThis as unknown as PageGlobal).testPage.nextEvent(
          channel,
          event,
        ),
      }),
      [channelName, eventName],
    );
    return async () => {
      const value = await handle.evaluate((h) => h.received);
      await handle.dispose();
      return value;
    };
  }

  /** The first message soketi sent this page with that event name (already or still to come). */
  message(eventName: string): Promise<{ event: string; data: unknown }> {
    return this.page.evaluate(
      (name) => (globalThis as unknown as PageGlobal).testPage.message(name),
      eventName,
    );
  }

  state(): Promise<PageState> {
    return this.page.evaluate(() =>
      (globalThis as unknown as PageGlobal).testPage.state(),
    );
  }

  async close(): Promise<void> {
    await this.page
      .evaluate(() =>
        (globalThis as unknown as Partial<PageGlobal>).testPage?.disconnect(),
      )
      .catch(() => undefined);
    await this.page.close();
  }
}

function lowerCaseKeys(headers: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name.toLowerCase(),
      String(value),
    ]),
  );
}

import Pusher from 'pusher-js';
import type {
  Channel,
  ChannelAuthorizationOptions,
  UserAuthenticationOptions,
} from 'pusher-js';
import { LOOPBACK } from './soketi';
import { waitFor } from './wait-for';

/** A message as pusher-js decoded it off the WebSocket. */
export interface WireMessage {
  event: string;
  channel?: string;
  data?: any;
}

/** What pusher-js sends along with its own fields, as `userAuthentication` options. */
export interface AuthRequestOptions {
  headers?: Record<string, string>;
  headersProvider?: () => Record<string, string>;
  params?: Record<string, string>;
  paramsProvider?: () => Record<string, string>;
}

export type SignInOutcome =
  | { signedIn: true; userData: string; auth: string }
  /** pusher-js's `pusher:signin_error`: the endpoint did not answer 200 with a signature. */
  | { signedIn: false; error: { type: string; status?: number } }
  /** soketi's `pusher:error` (4009 for a signature it rejects). */
  | { signedIn: false; soketiError: { code: number; message: string } };

/** The `Authorization` header pusher-js sends when its auth options carry a bearer token. */
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The outcome narrowed to a signed-in user; anything else fails the test with what happened. */
export function expectSignedIn(outcome: SignInOutcome) {
  if (!outcome.signedIn) {
    throw new Error(
      `expected a signed-in user, got ${JSON.stringify(outcome)}`,
    );
  }
  return outcome;
}

export type SubscriptionOutcome =
  /** soketi's `pusher_internal:subscription_succeeded`, which it sends only for a signature it verified. */
  | { subscribed: true; channel: Channel }
  /** pusher-js's `pusher:subscription_error`: the endpoint did not answer 200 with a signature. */
  | {
      subscribed: false;
      channel: Channel;
      error: { type: string; status?: number };
    }
  /** soketi's `pusher:subscription_error` for a signature it rejects (or `pusher:error`). */
  | {
      subscribed: false;
      channel: Channel;
      soketiError: { event: string; data: unknown };
    };

/**
 * One pusher-js (Node build) connection to soketi. Everything it receives is recorded, so a test
 * can assert on what soketi actually said, not only on what pusher-js made of it.
 */
export class InteropClient {
  readonly pusher: Pusher;
  readonly received: WireMessage[] = [];
  /** Every `error` pusher-js's connection emitted (soketi's `pusher:error`, close codes, transport errors). */
  readonly connectionErrors: unknown[] = [];
  /** Every connection state pusher-js entered, in order. */
  readonly states: string[] = [];

  private readonly context: () => string;

  constructor(
    appKey: string,
    soketiPort: number,
    auth: {
      userAuthentication: UserAuthenticationOptions;
      channelAuthorization: ChannelAuthorizationOptions;
    },
    processOutput: () => string,
  ) {
    this.context = () =>
      `\n--- this client received ---\n${this.received.map((m) => JSON.stringify(m)).join('\n')}${processOutput()}`;
    this.pusher = new Pusher(appKey, {
      cluster: 'local',
      wsHost: LOOPBACK,
      wsPort: soketiPort,
      forceTLS: false,
      enabledTransports: ['ws'],
      disableStats: true,
      ...auth,
    });
    this.pusher.connection.bind('message', (message: WireMessage) =>
      this.received.push(message),
    );
    this.pusher.connection.bind('error', (error: unknown) =>
      this.connectionErrors.push(error),
    );
    this.pusher.connection.bind(
      'state_change',
      ({ current }: { current: string }) => this.states.push(current),
    );
  }

  /** Resolves with the socket id once connected. */
  connected(): Promise<string> {
    const { connection } = this.pusher;
    return waitFor(
      'pusher-js to connect to soketi',
      (report) => {
        const check = () => {
          if (connection.state === 'connected') report(connection.socket_id);
        };
        connection.bind('state_change', check);
        check();
        return () => connection.unbind('state_change', check);
      },
      this.context,
    );
  }

  /** Resolves once pusher-js's connection is in `state` (at once if it already is). */
  inState(state: string): Promise<void> {
    const { connection } = this.pusher;
    return waitFor(
      `the pusher-js connection to be ${state}`,
      (report) => {
        const check = () => {
          if (connection.state === state) report(undefined);
        };
        connection.bind('state_change', check);
        check();
        return () => connection.unbind('state_change', check);
      },
      this.context,
    );
  }

  /**
   * Calls `signin()` and resolves with soketi's `pusher:signin_success` (what it echoes back is what
   * it verified), pusher-js's `pusher:signin_error`, or soketi's refusal.
   */
  signIn(): Promise<SignInOutcome> {
    const outcome = this.nextSignInOutcome();
    this.pusher.signin();
    return outcome;
  }

  /** The next sign-in's outcome, for sign-ins pusher-js starts by itself (after a reconnect). */
  nextSignInOutcome(): Promise<SignInOutcome> {
    const { pusher } = this;
    return waitFor<SignInOutcome>(
      'a sign-in outcome',
      (report) => {
        const onSuccess = (data: { user_data: string; auth: string }) =>
          report({ signedIn: true, userData: data.user_data, auth: data.auth });
        const onError = (error: { type: string; status?: number }) =>
          report({ signedIn: false, error });
        const onMessage = (message: WireMessage) => {
          if (message.event === 'pusher:error') {
            report({ signedIn: false, soketiError: message.data });
          }
        };
        pusher.bind('pusher:signin_success', onSuccess);
        pusher.user.bind('pusher:signin_error', onError);
        pusher.connection.bind('message', onMessage);
        return () => {
          pusher.unbind('pusher:signin_success', onSuccess);
          pusher.user.unbind('pusher:signin_error', onError);
          pusher.connection.unbind('message', onMessage);
        };
      },
      this.context,
    );
  }

  /**
   * After a successful sign-in pusher-js subscribes to `#server-to-user-<id>`; events sent to the
   * user before soketi confirms that subscription are lost, so wait for it.
   */
  async serverToUserChannelSubscribed(): Promise<void> {
    await this.pusher.user.signinDonePromise;
    const channel = this.pusher.user.serverToUserChannel;
    if (!channel) throw new Error('pusher-js has no server-to-user channel');
    if (channel.subscribed) return;
    await waitFor(
      `soketi to confirm ${channel.name}`,
      (report) => {
        const onSubscribed = () => report(undefined);
        channel.bind('pusher:subscription_succeeded', onSubscribed);
        return () =>
          channel.unbind('pusher:subscription_succeeded', onSubscribed);
      },
      this.context,
    );
  }

  /** The next event sent to the signed-in user (`sendToUser`), as pusher-js delivers it. */
  nextUserEvent(eventName: string): Promise<unknown> {
    const { user } = this.pusher;
    return waitFor(
      `user event ${eventName}`,
      (report) => {
        user.bind(eventName, report);
        return () => user.unbind(eventName, report);
      },
      this.context,
    );
  }

  /**
   * Subscribes (pusher-js asks `channelAuthorization.endpoint` first for a private, presence or
   * encrypted channel) and resolves with soketi's confirmation, pusher-js's authorization error, or
   * soketi's refusal.
   */
  subscribe(channelName: string): Promise<SubscriptionOutcome> {
    const channel = this.pusher.subscribe(channelName);
    return waitFor<SubscriptionOutcome>(
      `the outcome of subscribing to ${channelName}`,
      (report) => {
        const onSucceeded = () => report({ subscribed: true, channel });
        const onError = (error: { type: string; status?: number }) =>
          report({ subscribed: false, channel, error });
        const onMessage = (message: WireMessage) => {
          const refused =
            (message.event === 'pusher:subscription_error' &&
              message.channel === channelName) ||
            message.event === 'pusher:error';
          if (refused) {
            report({
              subscribed: false,
              channel,
              soketiError: { event: message.event, data: message.data },
            });
          }
        };
        channel.bind('pusher:subscription_succeeded', onSucceeded);
        channel.bind('pusher:subscription_error', onError);
        this.pusher.connection.bind('message', onMessage);
        return () => {
          channel.unbind('pusher:subscription_succeeded', onSucceeded);
          channel.unbind('pusher:subscription_error', onError);
          this.pusher.connection.unbind('message', onMessage);
        };
      },
      this.context,
    );
  }

  /** The next event of that name on a subscribed channel, as pusher-js delivers it (decrypted). */
  nextChannelEvent(channel: Channel, eventName: string): Promise<unknown> {
    return waitFor(
      `event ${eventName} on ${channel.name}`,
      (report) => {
        channel.bind(eventName, report);
        return () => channel.unbind(eventName, report);
      },
      this.context,
    );
  }

  /** The first message from soketi that matches, already received or still to come. */
  message(what: string, matches: (m: WireMessage) => boolean) {
    const { connection } = this.pusher;
    return waitFor<WireMessage>(
      what,
      (report) => {
        const earlier = this.received.find(matches);
        if (earlier) report(earlier);
        const onMessage = (message: WireMessage) => {
          if (matches(message)) report(message);
        };
        connection.bind('message', onMessage);
        return () => connection.unbind('message', onMessage);
      },
      this.context,
    );
  }

  disconnect(): void {
    this.pusher.disconnect();
  }
}

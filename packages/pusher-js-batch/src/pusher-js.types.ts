// The shapes of pusher-js 8's `channelAuthorization.customHandler` (its `core/auth/options.ts`),
// restated so that this package needs no dependency on pusher-js: a handler written against
// these is assignable to pusher-js's own types.

/** What pusher-js asks for when it subscribes to a private, presence or encrypted channel. */
export interface ChannelAuthorizationRequestParams {
  socketId: string;
  channelName: string;
}

/** What pusher-js sends to the Pusher server in `pusher:subscribe`. */
export interface ChannelAuthorizationData {
  auth: string;
  /** Presence channels: the member's JSON, signed with `auth`. */
  channel_data?: string;
  /** `private-encrypted-` channels: the channel's key, base64. */
  shared_secret?: string;
}

export type ChannelAuthorizationCallback = (
  error: Error | null,
  authData: ChannelAuthorizationData | null,
) => void;

export type ChannelAuthorizationHandler = (
  params: ChannelAuthorizationRequestParams,
  callback: ChannelAuthorizationCallback,
) => void;

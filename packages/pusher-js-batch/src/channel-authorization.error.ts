/**
 * Why one channel was not authorized. pusher-js reports it as the channel's
 * `pusher:subscription_error` with `{ type: 'AuthError', error: <this message> }`; its `status`
 * field is set only for pusher-js's own internal error class, which a custom handler cannot
 * construct, so the status is in the message (and in `status` here, for code that keeps the error).
 */
export class ChannelAuthorizationError extends Error {
  override readonly name = 'ChannelAuthorizationError';

  constructor(
    readonly channelName: string,
    /** The entry's status, or the whole request's; absent when no answer came (network, timeout). */
    readonly status: number | undefined,
    reason: string,
  ) {
    super(`Channel authorization for ${channelName} failed: ${reason}`);
  }
}

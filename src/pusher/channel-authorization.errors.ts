/** The channel policy does not allow the user this channel (403, never why). */
export class ChannelNotAllowedError extends Error {
  constructor() {
    super('the channel policy does not allow this channel');
    this.name = 'ChannelNotAllowedError';
  }
}

/**
 * Also the message of a batch entry: the setting an operator is missing for the app the request
 * signs for (each app has its own: see `SigningApp.encryptionSetting`), nothing from the request.
 */
export const encryptionDisabledMessage = (setting: string): string =>
  `private-encrypted- channels are not enabled on this service (no ${setting})`;

/**
 * A private-encrypted- channel the policy allows, but this deployment has no master key to sign
 * it with for that app (501: docs/channel-authorization.md, "Why 501 for encrypted channels without
 * a key", says why neither 400, 403 nor 503).
 */
export class EncryptionDisabledError extends Error {
  constructor(setting: string) {
    super(encryptionDisabledMessage(setting));
    this.name = 'EncryptionDisabledError';
  }
}

/** The channel policy does not allow the user this channel (403, never why). */
export class ChannelNotAllowedError extends Error {
  constructor() {
    super('the channel policy does not allow this channel');
    this.name = 'ChannelNotAllowedError';
  }
}

/** Also the message of a batch entry: the setting an operator is missing, nothing from the request. */
export const ENCRYPTION_DISABLED =
  'private-encrypted- channels are not enabled on this service (no PUSHER_ENCRYPTION_MASTER_KEY_BASE64)';

/**
 * A private-encrypted- channel the policy allows, but this deployment has no master key to sign
 * it with (501: see the README for why neither 400, 403 nor 503).
 */
export class EncryptionDisabledError extends Error {
  constructor() {
    super(ENCRYPTION_DISABLED);
    this.name = 'EncryptionDisabledError';
  }
}

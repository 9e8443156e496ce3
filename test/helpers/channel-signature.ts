import { createHash, createHmac } from 'node:crypto';

/**
 * The contract's channel signature, recomputed here rather than by the pusher library:
 * key + ":" + hex(HMAC-SHA256(secret, socket_id + ":" + channel_name [+ ":" + channel_data])).
 */
export function expectedChannelAuth(
  key: string,
  secret: string,
  socketId: string,
  channelName: string,
  channelData?: string,
): string {
  const signed = [socketId, channelName, channelData]
    .filter((part) => part !== undefined)
    .join(':');
  return `${key}:${createHmac('sha256', secret).update(signed).digest('hex')}`;
}

/** Pusher's end-to-end encryption key: base64(sha256(channel_name bytes ‖ master key bytes)). */
export function expectedSharedSecret(
  channelName: string,
  masterKeyBase64: string,
): string {
  return createHash('sha256')
    .update(Buffer.from(channelName, 'utf8'))
    .update(Buffer.from(masterKeyBase64, 'base64'))
    .digest('base64');
}

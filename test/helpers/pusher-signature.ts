import { createHmac } from 'node:crypto';

/**
 * The contract's user signature, recomputed here rather than by the pusher library:
 * key + ":" + hex(HMAC-SHA256(secret, socket_id + "::user::" + user_data)).
 */
export function expectedUserAuth(
  key: string,
  secret: string,
  socketId: string,
  userData: string,
): string {
  const mac = createHmac('sha256', secret)
    .update(`${socketId}::user::${userData}`)
    .digest('hex');
  return `${key}:${mac}`;
}

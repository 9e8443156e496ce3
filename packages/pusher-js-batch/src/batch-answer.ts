import type { BatchReply } from './batch-request.js';
import { ChannelAuthorizationError } from './channel-authorization.error.js';
import type { ChannelAuthorizationData } from './pusher-js.types.js';

/** One channel's answer: what pusher-js subscribes with, or why it cannot. */
export type ChannelOutcome =
  | { data: ChannelAuthorizationData; error?: undefined }
  | { error: ChannelAuthorizationError };

/** A server's explanation is shown up to this length (the service's messages are short). */
const MAX_MESSAGE_CHARS = 200;

/**
 * Reads the service's batch answer: `200` with one entry per channel, keyed by channel name, or by
 * its parameter (`channel_name[3]`) for a name the service found malformed. Each entry is
 * `{ status: 200, data: { auth, channel_data?, shared_secret? } }` or `{ status, message? }`.
 * Returns the outcomes in the order of `channelNames`, as sent.
 */
export function outcomesOf(
  reply: BatchReply,
  channelNames: readonly string[],
): ChannelOutcome[] {
  const failAll = (status: number | undefined, reason: string) =>
    channelNames.map((name) => ({
      error: new ChannelAuthorizationError(name, status, reason),
    }));
  if ('failure' in reply) return failAll(undefined, reply.failure);
  let body: unknown;
  try {
    body = JSON.parse(reply.body);
  } catch {
    body = undefined;
  }
  if (reply.status !== 200) {
    return failAll(
      reply.status,
      `the batch request was answered with status ${reply.status}${explanation(body)}`,
    );
  }
  if (!isObject(body)) {
    return failAll(
      undefined,
      body === undefined
        ? 'the answer is not JSON'
        : 'the answer is not an object keyed by channel name',
    );
  }
  return channelNames.map((name, index) => {
    const entry =
      ownValue(body, name) ?? ownValue(body, `channel_name[${index}]`);
    return entryOutcome(name, entry);
  });
}

function entryOutcome(channelName: string, entry: unknown): ChannelOutcome {
  const fail = (status: number | undefined, reason: string) => ({
    error: new ChannelAuthorizationError(channelName, status, reason),
  });
  if (!isObject(entry)) {
    return fail(undefined, 'the answer has no entry for this channel');
  }
  const status = typeof entry.status === 'number' ? entry.status : undefined;
  if (status === undefined) {
    return fail(undefined, "the answer's entry for this channel has no status");
  }
  if (status !== 200) {
    return fail(status, `status ${status}${explanation(entry)}`);
  }
  const { data } = entry;
  if (!isObject(data) || typeof data.auth !== 'string') {
    return fail(status, "the answer's entry for this channel has no auth");
  }
  const signed: ChannelAuthorizationData = { auth: data.auth };
  if (typeof data.channel_data === 'string') {
    signed.channel_data = data.channel_data;
  }
  if (typeof data.shared_secret === 'string') {
    signed.shared_secret = data.shared_secret;
  }
  return { data: signed };
}

/** ` (the server's message)`, when the body carries one as a string or a list of strings. */
function explanation(body: unknown): string {
  if (!isObject(body)) return '';
  const { message } = body;
  const text =
    typeof message === 'string'
      ? message
      : Array.isArray(message) && message.every((m) => typeof m === 'string')
        ? message.join('; ')
        : '';
  if (text === '') return '';
  return ` (${text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text})`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ownValue(object: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key)
    ? object[key]
    : undefined;
}

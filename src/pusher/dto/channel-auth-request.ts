import { ChannelName, checkChannelName } from '../../channels/channel-name';
import { checkCallback } from './jsonp-callback.rule';
import { checkSocketId } from './socket-id.rule';

/** More than a page subscribes to at once; bounds the work one request can cause. */
export const CHANNEL_BATCH_MAX = 100;

/** One channel of a request: a valid name, or why it is not one. */
export type ChannelEntry =
  | { key: string; channel: ChannelName; problem?: undefined }
  | { key: string; channel?: undefined; problem: string };

/**
 * What a channel authorization request asks for: pusher-js's single `channel_name`, or the
 * batching plugin's `channel_name[0]`, `channel_name[1]`, … (each answered on its own).
 */
export type ChannelAuthRequest = {
  socketId: string;
  /** The JSONP callback (GET requests only). */
  callback?: string;
} & (
  | { batch: false; channel: ChannelName }
  | { batch: true; entries: ChannelEntry[] }
);

export type ChannelAuthParse =
  | { request: ChannelAuthRequest; problems?: undefined }
  | { request?: undefined; problems: string[] };

const BATCH_KEY = /^channel_name\[(\d{1,6})\]$/;

/**
 * Validates a request's body (or a JSONP query) before anyone is identified. Messages name the
 * field and never quote the input. Other parameters (pusher-js `params`) are ignored.
 */
export function parseChannelAuthRequest(
  source: unknown,
  options: { jsonp: boolean },
): ChannelAuthParse {
  const fields =
    typeof source === 'object' && source !== null && !Array.isArray(source)
      ? (source as Record<string, unknown>)
      : {};
  const problems: string[] = [];
  const socketProblem = checkSocketId(fields.socket_id);
  if (socketProblem) problems.push(socketProblem);
  const callbackProblem = options.jsonp
    ? checkCallback(fields.callback)
    : undefined;
  if (callbackProblem) problems.push(callbackProblem);

  const batchKeys = Object.keys(fields).filter((key) =>
    key.startsWith('channel_name['),
  );
  let channels:
    | { batch: false; channel: ChannelName }
    | { batch: true; entries: ChannelEntry[] }
    | undefined;
  if (batchKeys.length === 0) {
    const checked = checkChannelName(fields.channel_name);
    if (checked.channel) channels = { batch: false, channel: checked.channel };
    else problems.push(checked.problem);
  } else {
    const batch = parseBatch(fields, batchKeys);
    if (typeof batch === 'string') problems.push(batch);
    else channels = { batch: true, entries: batch };
  }
  if (problems.length > 0 || !channels) return { problems };
  return {
    request: {
      socketId: fields.socket_id as string,
      ...(options.jsonp ? { callback: fields.callback as string } : {}),
      ...channels,
    },
  };
}

/** The entries in index order, or the one problem that makes the whole batch unusable. */
function parseBatch(
  fields: Record<string, unknown>,
  keys: string[],
): ChannelEntry[] | string {
  if ('channel_name' in fields) {
    return 'channel_name: send channel_name or channel_name[0], channel_name[1], …, not both';
  }
  if (keys.length > CHANNEL_BATCH_MAX) {
    return `channel_name: a batch may hold at most ${CHANNEL_BATCH_MAX} channels`;
  }
  const indexed: [number, string][] = [];
  for (const key of keys) {
    const match = BATCH_KEY.exec(key);
    if (!match) {
      return 'channel_name: batch keys must look like channel_name[0], channel_name[1], …';
    }
    indexed.push([Number(match[1]), key]);
  }
  return indexed
    .sort(([a], [b]) => a - b)
    .map(([, key]): ChannelEntry => {
      const checked = checkChannelName(fields[key]);
      return checked.channel
        ? { key, channel: checked.channel }
        : { key, problem: checked.problem };
    });
}

/**
 * Channel names as Pusher accepts them, and the kinds this service authorizes.
 * Public channels need no authorization and `#server-to-user-…` channels are the server's own,
 * so neither is ever signed here.
 */
export type ChannelKind = 'private' | 'private-encrypted' | 'presence';

export interface ChannelName {
  name: string;
  kind: ChannelKind;
}

export const CHANNEL_NAME_MAX_LENGTH = 200;

/** Pusher's allowed characters; the pusher library refuses anything else (and quotes it). */
export const CHANNEL_NAME_CHARACTERS = /^[A-Za-z0-9_\-=@,.;]+$/;

/** Longest first: `private-encrypted-x` is also `private-…`. */
const PREFIXES: readonly [string, ChannelKind][] = [
  ['private-encrypted-', 'private-encrypted'],
  ['private-', 'private'],
  ['presence-', 'presence'],
];

export type ChannelNameCheck =
  | { channel: ChannelName; problem?: undefined }
  | { channel?: undefined; problem: string };

/** Checks an untrusted `channel_name`; problems name the field and never quote the value. */
export function checkChannelName(value: unknown): ChannelNameCheck {
  if (Array.isArray(value)) {
    return {
      problem:
        'channel_name must be one string (a batch uses channel_name[0], channel_name[1], …)',
    };
  }
  if (typeof value !== 'string') {
    return { problem: 'channel_name must be a string' };
  }
  if (value.length === 0) return { problem: 'channel_name must not be empty' };
  if (value.length > CHANNEL_NAME_MAX_LENGTH) {
    return {
      problem: `channel_name must be at most ${CHANNEL_NAME_MAX_LENGTH} characters`,
    };
  }
  if (!CHANNEL_NAME_CHARACTERS.test(value)) {
    return {
      problem: 'channel_name may only contain A-Z a-z 0-9 _ - = @ , . ;',
    };
  }
  const kind = channelKind(value);
  if (!kind) {
    return {
      problem:
        'channel_name must start with private-, private-encrypted- or presence- (public channels need no authorization)',
    };
  }
  return { channel: { name: value, kind } };
}

/** The kind a name's prefix announces; a bare prefix names no channel. */
export function channelKind(name: string): ChannelKind | undefined {
  for (const [prefix, kind] of PREFIXES) {
    if (name.startsWith(prefix)) {
      return name.length > prefix.length ? kind : undefined;
    }
  }
  return undefined;
}

/** Form fields or headers: a plain object, or a function asked once per batch request. */
export type PerRequest<T> = T | (() => T | Promise<T>);

export interface BatchAuthorizerOptions {
  /**
   * Where the batch is posted: a path (same origin) or a full URL, e.g.
   * `https://auth.example.com/apps/chat/pusher/auth`.
   * @default '/pusher/auth'
   */
  endpoint?: string;
  /**
   * Request headers, e.g. `{ Authorization: 'Bearer …' }`. A function is called for every batch
   * request (and may return a promise), so a refreshed token is always the one sent. A function
   * that throws or rejects fails that batch's channels.
   * @default {}
   */
  headers?: PerRequest<Record<string, string>>;
  /**
   * Extra form fields sent after `socket_id` and `channel_name[i]`, like pusher-js's `params`.
   * A function is called for every batch request. They may not be named `socket_id` or
   * `channel_name…` (that batch fails instead).
   * @default {}
   */
  params?: PerRequest<Record<string, string>>;
  /**
   * How long channels asked for on one socket are collected before the request is sent.
   * pusher-js asks for every channel of a page in the same tick, so a few milliseconds are enough;
   * a longer window also gathers channels that an application subscribes to a little later.
   * @default 5
   */
  windowMs?: number;
  /**
   * Most channels in one request: the service refuses more than 100 in a batch. A larger set is
   * sent as several requests, each at most this size.
   * @default 100
   */
  maxChannelsPerRequest?: number;
  /**
   * A request without a complete answer within this time is aborted, and its channels fail.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * The fetch to use (tests, or an instrumented fetch).
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch;
}

/** The service's limit on `channel_name[i]` entries in one request. */
export const SERVER_MAX_CHANNELS = 100;

/** The options with every default applied, checked once when the authorizer is created. */
export interface ResolvedBatchOptions {
  endpoint: string;
  headers: PerRequest<Record<string, string>>;
  params: PerRequest<Record<string, string>>;
  windowMs: number;
  maxChannelsPerRequest: number;
  timeoutMs: number;
  fetch: typeof globalThis.fetch;
}

export function resolveOptions(
  options: BatchAuthorizerOptions,
): ResolvedBatchOptions {
  const resolved = {
    endpoint: options.endpoint ?? '/pusher/auth',
    headers: options.headers ?? {},
    params: options.params ?? {},
    windowMs: options.windowMs ?? 5,
    maxChannelsPerRequest: options.maxChannelsPerRequest ?? SERVER_MAX_CHANNELS,
    timeoutMs: options.timeoutMs ?? 10_000,
    fetch: options.fetch ?? globalThis.fetch?.bind(globalThis),
  };
  const problems: string[] = [];
  if (typeof resolved.endpoint !== 'string' || resolved.endpoint === '') {
    problems.push('endpoint must be a non-empty string');
  }
  if (!isWhole(resolved.windowMs, 0)) {
    problems.push('windowMs must be a whole number of milliseconds, 0 or more');
  }
  if (
    !isWhole(resolved.maxChannelsPerRequest, 1) ||
    resolved.maxChannelsPerRequest > SERVER_MAX_CHANNELS
  ) {
    problems.push(
      `maxChannelsPerRequest must be a whole number from 1 to ${SERVER_MAX_CHANNELS}`,
    );
  }
  if (!isWhole(resolved.timeoutMs, 1)) {
    problems.push(
      'timeoutMs must be a whole number of milliseconds, 1 or more',
    );
  }
  if (typeof resolved.fetch !== 'function') {
    problems.push(
      'fetch is missing: this runtime has no global fetch, pass one',
    );
  }
  if (problems.length > 0) {
    throw new TypeError(`batchChannelAuthorization: ${problems.join('; ')}`);
  }
  return resolved;
}

function isWhole(value: unknown, min: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min;
}

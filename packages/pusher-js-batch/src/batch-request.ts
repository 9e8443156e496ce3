import type {
  PerRequest,
  ResolvedBatchOptions,
} from './batch-authorizer-options.js';
import { Deadline } from './deadline.js';

/** What came back for one batch request: an HTTP answer, or why there is none. */
export type BatchReply = { status: number; body: string } | { failure: string };

/** Form fields the request itself sets: `params` may not replace them. */
const RESERVED_PARAM = /^(socket_id|channel_name(\[.*)?)$/;

/**
 * Posts one batch as pusher-js posts a single channel (form-encoded), with the service's batch
 * keys: `socket_id`, `channel_name[0]`, `channel_name[1]`, … then `params`. Never throws and never
 * retries: a failure is a reply, and pusher-js decides whether to ask again.
 */
export async function requestBatch(
  options: ResolvedBatchOptions,
  socketId: string,
  channelNames: readonly string[],
): Promise<BatchReply> {
  const deadline = new Deadline(options.timeoutMs);
  try {
    let headers: Record<string, string>;
    let params: Record<string, string>;
    try {
      [headers, params] = await deadline.race(
        Promise.all([evaluate(options.headers), evaluate(options.params)]),
      );
    } catch (error) {
      return deadline.hasExpired
        ? timedOut(deadline)
        : {
            failure: `the headers or params option failed (${describe(error)})`,
          };
    }
    const body = new URLSearchParams();
    body.append('socket_id', socketId);
    channelNames.forEach((name, index) =>
      body.append(`channel_name[${index}]`, name),
    );
    for (const [name, value] of Object.entries(params ?? {})) {
      if (RESERVED_PARAM.test(name)) {
        return { failure: `the params option may not set ${name}` };
      }
      body.append(name, String(value));
    }
    const requestHeaders = new Headers(headers ?? {});
    // What pusher-js sends (no charset), whatever the headers option says: the body is a form.
    requestHeaders.set('Content-Type', 'application/x-www-form-urlencoded');
    // Called without a receiver: a browser's own fetch, passed in detached, refuses any other.
    const { fetch } = options;
    try {
      const response = await deadline.race(
        fetch(options.endpoint, {
          method: 'POST',
          headers: requestHeaders,
          body: body.toString(),
          signal: deadline.signal,
        }),
      );
      const text = await deadline.race(response.text());
      return { status: response.status, body: text };
    } catch (error) {
      return deadline.hasExpired
        ? timedOut(deadline)
        : {
            failure: `the request failed without an answer (${describe(error)})`,
          };
    }
  } finally {
    deadline.clear();
  }
}

function timedOut(deadline: Deadline): BatchReply {
  return { failure: `no answer within ${deadline.ms} ms` };
}

async function evaluate<T>(value: PerRequest<T>): Promise<T> {
  return typeof value === 'function'
    ? (value as () => T | Promise<T>)()
    : value;
}

function describe(error: unknown): string {
  return error instanceof Error
    ? `${error.name}: ${error.message}`
    : String(error);
}

import { createHash, createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { waitFor } from './wait-for';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
}

/**
 * A local HTTP server standing in for the Pusher REST API: it records each request and answers
 * with the next queued status (200 once the queue is empty).
 */
export class PusherRestStandIn {
  readonly requests: RecordedRequest[] = [];
  private readonly statuses: number[] = [];
  private server?: Server;
  port = 0;

  /** The settings that send the service's REST calls here. */
  get serviceEnv(): Record<string, string> {
    return {
      PUSHER_HOST: '127.0.0.1',
      PUSHER_PORT: String(this.port),
      PUSHER_USE_TLS: 'false',
    };
  }

  /** The requests about user `id` (`/users/<id>/…`), in the order they came. */
  requestsFor(id: string): RecordedRequest[] {
    return this.requests.filter((request) =>
      request.path.includes(`/users/${id}/`),
    );
  }

  /** Resolves once `count` requests about user `id` have come. */
  async waitForRequests(id: string, count = 1): Promise<void> {
    await waitFor(
      `${count} terminate request(s) for ${id}`,
      () => this.requestsFor(id).length >= count,
    );
  }

  /** The next requests get these statuses, in order. */
  answerWith(...statuses: number[]): void {
    this.statuses.push(...statuses);
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void readBody(request).then((body) => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        this.requests.push({
          method: request.method ?? '',
          path: url.pathname,
          query: url.searchParams,
          body,
        });
        const status = this.statuses.shift() ?? 200;
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(status === 200 ? '{}' : '{"error":"stand-in failure"}');
      });
    });
    await new Promise<void>((resolve) =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    this.port = (this.server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => resolve(body));
  });
}

/**
 * The Pusher REST signature, recomputed independently of the pusher library:
 * HMAC-SHA256(secret, METHOD + "\n" + path + "\n" + the other query parameters sorted by name,
 * as key=value joined by "&"), where body_md5 = md5 of the body.
 */
export function expectedRestSignature(
  secret: string,
  request: RecordedRequest,
): string {
  const signed = [...request.query.entries()]
    .filter(([key]) => key !== 'auth_signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  return createHmac('sha256', secret)
    .update(`${request.method}\n${request.path}\n${signed}`)
    .digest('hex');
}

export const md5Hex = (text: string) =>
  createHash('md5').update(text).digest('hex');

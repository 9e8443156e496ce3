import {
  createServer,
  IncomingHttpHeaders,
  Server,
  ServerResponse,
} from 'node:http';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Handler = (
  request: ReceivedRequest,
  response: ServerResponse,
) => unknown;

/**
 * A real HTTP server on 127.0.0.1 standing in for an external system (identity provider,
 * introspection endpoint, session app). Records every request it receives.
 */
export class LocalHttpServer {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    /** Every request received, in order. */
    readonly received: ReceivedRequest[],
  ) {}

  static async start(handler: Handler): Promise<LocalHttpServer> {
    const received: ReceivedRequest[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request: ReceivedRequest = {
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        received.push(request);
        Promise.resolve(handler(request, res)).catch(() => {
          res.statusCode = 500;
          res.end();
        });
      });
    });
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    const { port } = server.address() as { port: number };
    return new LocalHttpServer(server, port, received);
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests whose path starts with `prefix`. */
  count(prefix: string): number {
    return this.received.filter((request) => request.path.startsWith(prefix))
      .length;
  }

  /** Stops listening and cuts open connections (including ones left hanging on purpose). */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    ...headers,
  });
  response.end(JSON.stringify(body));
}

export const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

import { connect, Socket } from 'node:net';

/**
 * A TCP connection that speaks HTTP/1.1 by hand, so a test can send what no HTTP client sends:
 * half a body, half the headers, nothing at all. Keeps everything it receives.
 */
export class RawConnection {
  private text = '';
  /** Resolves when the server closed (or reset) the connection. */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => resolve()),
    );
  }

  /** Connects to 127.0.0.1:`port` and sends `bytes` (if any). */
  static async open(port: number, bytes = ''): Promise<RawConnection> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const connection = new RawConnection(socket);
    if (bytes) connection.write(bytes);
    return connection;
  }

  write(bytes: string): void {
    this.socket.write(bytes);
  }

  /** Everything received so far. */
  get received(): string {
    return this.text;
  }

  /** The status line and headers of each response received so far, lower-cased names. */
  get responses(): { status: number; headers: Record<string, string> }[] {
    return [
      ...this.text.matchAll(/HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n/g),
    ].map(([, status, head]) => ({
      status: Number(status),
      headers: Object.fromEntries(
        head.split('\r\n').map((line) => {
          const colon = line.indexOf(':');
          return [
            line.slice(0, colon).trim().toLowerCase(),
            line.slice(colon + 1).trim(),
          ];
        }),
      ),
    }));
  }

  get isClosed(): boolean {
    return this.socket.destroyed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Rejects with `what` unless `promise` settles within `ms`: a bound on a hang, not a timing. */
export function within<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(what)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A request line and headers for a POST of `length` bytes, without the body. */
export function postHead(
  path: string,
  length: number,
  headers: Record<string, string> = {},
): string {
  const lines = [
    `POST ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Content-Type: application/x-www-form-urlencoded',
    `Content-Length: ${length}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

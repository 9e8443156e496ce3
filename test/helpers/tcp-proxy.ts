import { createServer, Server, Socket, connect } from 'node:net';

/**
 * A loopback TCP proxy in front of a real server, so a test can make a dependency vanish
 * (refuse new connections and cut open ones) and come back, without touching the server.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** A started proxy in front of the server a connection URL names. */
  static async inFrontOf(url: string, defaultPort = 5432): Promise<TcpProxy> {
    const target = new URL(url);
    const proxy = new TcpProxy(
      target.hostname,
      Number(target.port || defaultPort),
    );
    await proxy.start();
    return proxy;
  }

  /** The same connection URL, through this proxy. */
  urlFor(url: string): string {
    const throughProxy = new URL(url);
    throughProxy.port = String(this.port);
    return throughProxy.toString();
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) =>
      this.server!.listen(port, '127.0.0.1', resolve),
    );
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Stops listening and cuts every open connection: the dependency is down. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    this.server = undefined;
  }
}

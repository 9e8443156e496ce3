import { createServer, Server, Socket, connect } from 'node:net';

/**
 * A loopback TCP proxy in front of a real server, so a test can make a dependency vanish
 * (refuse new connections and cut open ones) and come back, or freeze it (connections stay open
 * and are accepted, but nothing is forwarded either way: a dependency that stopped answering),
 * without touching the server.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private frozen = false;
  /** What arrived while frozen, in order, with where it was going. */
  private held: { to: Socket; chunk: Buffer }[] = [];
  private fromClientsWhileFrozen = '';
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
      this.relay(client, upstream, true);
      this.relay(upstream, client, false);
    });
    await new Promise<void>((resolve) =>
      this.server!.listen(port, '127.0.0.1', resolve),
    );
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Connections stay open and new ones are accepted, but nothing is forwarded any more. */
  freeze(): void {
    this.frozen = true;
    this.fromClientsWhileFrozen = '';
  }

  /** Forwards what was held, in order, and everything from now on. */
  thaw(): void {
    this.frozen = false;
    for (const { to, chunk } of this.held) if (!to.destroyed) to.write(chunk);
    this.held = [];
  }

  /** Everything clients sent since `freeze()` (to count the commands a client attempted). */
  get sentWhileFrozen(): string {
    return this.fromClientsWhileFrozen;
  }

  private relay(from: Socket, to: Socket, fromClient: boolean): void {
    from.on('data', (chunk: Buffer) => {
      if (!this.frozen) {
        to.write(chunk);
        return;
      }
      this.held.push({ to, chunk });
      if (fromClient) this.fromClientsWhileFrozen += chunk.toString('latin1');
    });
    from.on('end', () => to.end());
    from.on('close', () => to.destroy());
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

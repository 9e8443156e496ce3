import {
  createServer,
  IncomingHttpHeaders,
  IncomingMessage,
  request,
  Server,
  ServerResponse,
} from 'node:http';

/** Connection-level headers belong to one hop; a proxy never passes them on. */
function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const rest = { ...headers };
  delete rest.connection;
  delete rest['keep-alive'];
  return rest;
}

/** What the balancer knows of one replica. */
export interface Backend {
  port: number;
  /** The last probe answered 200. */
  ready: boolean;
  /** Each probe result that differed from the one before: `200`, `503`, `refused`, … */
  readonly probeChanges: string[];
  /** Requests forwarded to it, by path. */
  readonly forwarded: Map<string, number>;
}

/**
 * A load balancer on 127.0.0.1 that behaves like a Kubernetes Service with a readiness probe: it
 * polls each replica's `/health/ready` and sends each request to the next replica whose last
 * probe answered 200. It never retries: a request it cannot deliver is answered 502 (no replica
 * took it) or 503 (no replica ready), so a test sees every request the replicas failed.
 */
export class ReadinessBalancer {
  private readonly backends = new Map<number, Backend>();
  private next = 0;
  private polling = true;
  private poller?: Promise<void>;
  private readonly server: Server = createServer((req, res) =>
    this.forward(req, res),
  );
  port = 0;

  private constructor(
    private readonly probeIntervalMs: number,
    private readonly probeTimeoutMs: number,
  ) {}

  static async start(
    probeIntervalMs = 50,
    probeTimeoutMs = 1_000,
  ): Promise<ReadinessBalancer> {
    const balancer = new ReadinessBalancer(probeIntervalMs, probeTimeoutMs);
    await new Promise<void>((resolve) =>
      balancer.server.listen(0, '127.0.0.1', resolve),
    );
    balancer.port = (balancer.server.address() as { port: number }).port;
    balancer.poller = balancer.poll();
    return balancer;
  }

  /** A new replica: no traffic until its probe answers 200. */
  add(port: number): Backend {
    const backend: Backend = {
      port,
      ready: false,
      probeChanges: [],
      forwarded: new Map(),
    };
    this.backends.set(port, backend);
    return backend;
  }

  remove(port: number): void {
    this.backends.delete(port);
  }

  isReady(port: number): boolean {
    return this.backends.get(port)?.ready ?? false;
  }

  backend(port: number): Backend {
    const backend = this.backends.get(port);
    if (!backend) throw new Error(`no replica on port ${port}`);
    return backend;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    this.polling = false;
    await this.poller;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async poll(): Promise<void> {
    while (this.polling) {
      await Promise.all([...this.backends.values()].map((b) => this.probe(b)));
      await new Promise((resolve) => setTimeout(resolve, this.probeIntervalMs));
    }
  }

  private async probe(backend: Backend): Promise<void> {
    let result: string;
    try {
      const response = await fetch(
        `http://127.0.0.1:${backend.port}/health/ready`,
        { signal: AbortSignal.timeout(this.probeTimeoutMs) },
      );
      await response.arrayBuffer();
      result = String(response.status);
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      result = code === 'ECONNREFUSED' ? 'refused' : String(error);
    }
    backend.ready = result === '200';
    if (backend.probeChanges.at(-1) !== result)
      backend.probeChanges.push(result);
  }

  private pick(): Backend | undefined {
    const ready = [...this.backends.values()].filter((b) => b.ready);
    if (ready.length === 0) return undefined;
    return ready[this.next++ % ready.length];
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const backend = this.pick();
    if (!backend) {
      res.writeHead(503).end('balancer: no ready replica');
      req.resume();
      return;
    }
    const path = req.url ?? '/';
    backend.forwarded.set(path, (backend.forwarded.get(path) ?? 0) + 1);
    // A fresh connection per request, as kube-proxy forwards each new connection.
    const upstream = request(
      {
        host: '127.0.0.1',
        port: backend.port,
        method: req.method,
        path,
        headers: { ...withoutHopByHop(req.headers), connection: 'close' },
        agent: false,
      },
      (answer) => {
        res.writeHead(
          answer.statusCode ?? 502,
          withoutHopByHop(answer.headers),
        );
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (res.headersSent) res.destroy();
      else
        res
          .writeHead(502)
          .end(`balancer: replica ${backend.port}: ${error.message}`);
    });
    req.pipe(upstream);
  }
}

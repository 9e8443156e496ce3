import { createSocket } from 'node:dgram';
import { createServer, Server } from 'node:net';

/**
 * `count` distinct TCP ports the kernel just handed out on 127.0.0.1, released again for the caller
 * to bind (all held open until all are picked, so they differ). Another process could take one in
 * between; the suite checks that soketi really answers on its port.
 */
export async function freeTcpPorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => (server.address() as { port: number }).port);
  } finally {
    await Promise.all(
      servers.map((server) => new Promise((resolve) => server.close(resolve))),
    );
  }
}

/** The same for UDP (soketi's cluster discovery socket). */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

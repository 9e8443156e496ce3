import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/**
 * A port the kernel just handed out on 127.0.0.1, released again for the caller to bind. Another
 * process could take it in between; the suite checks that soketi really answers on it.
 */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
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

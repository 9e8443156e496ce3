import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ShuttingDownError } from '../lifecycle/shutting-down.error';

/**
 * What happens to open connections once the listener closes (`app.close()`, after
 * SHUTDOWN_DELAY_MS):
 *
 * - requests already received keep being answered: that is the drain;
 * - a request that finishes arriving meanwhile on a connection still open is answered 503 with
 *   Retry-After and `Connection: close`, through the error filter, logged like any other;
 * - once no received request is left, every connection still open is closed: it is idle, or
 *   what is on it is not a request yet (a body still arriving, headers cut short, a connection
 *   that never sent a byte). Node's `server.close()` would wait for those until the client gave
 *   up, so one stalled connection would turn every shutdown into a timeout and exit 1.
 */
export function drainConnectionsOnClose(fastify: FastifyInstance): void {
  const server = fastify.server;
  const sockets = new Set<Socket>();
  /** Requests whose answer has not finished yet, received in full or not. */
  const answering = new Set<IncomingMessage>();
  let closing = false;

  const closeWhenDrained = (): void => {
    if (!closing) return;
    for (const request of answering) if (request.complete) return;
    // Pending writes (a last answer) are flushed first; nothing more is read.
    for (const socket of sockets) socket.destroySoon();
  };

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // One listener shared by every answer (`this` is the answer): a closure per request cost an
  // allocation and a `once` wrapper on the hot path.
  function answered(this: ServerResponse): void {
    answering.delete(this.req);
    closeWhenDrained();
  }
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    answering.add(request);
    response.on('close', answered);
  });

  fastify.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    void reply.header('Connection', 'close');
    done(new ShuttingDownError());
  });
  fastify.addHook('preClose', (done) => {
    closing = true;
    // After server.close() (the next step of Fastify's close): no connection can join any more.
    setImmediate(closeWhenDrained);
    done();
  });
}

'use strict';
// Counts round trips to PostgreSQL: a TCP relay between the service and the server that counts
// ReadyForQuery ('Z') messages, which PostgreSQL sends once at the end of every simple query and
// every extended-protocol Sync, however many statements a pipeline carried. It parses only the
// server's side (type byte, 4-byte length) and forwards every byte unchanged.
const net = require('node:net');

function countingRelay(target) {
  let readyForQuery = 0;
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let header = Buffer.alloc(0);
    let skip = 0;
    upstream.on('data', (chunk) => {
      let at = 0;
      while (at < chunk.length) {
        if (skip > 0) {
          const n = Math.min(skip, chunk.length - at);
          skip -= n;
          at += n;
          continue;
        }
        const need = 5 - header.length;
        header = Buffer.concat([header, chunk.subarray(at, at + need)]);
        at += Math.min(need, chunk.length - at);
        if (header.length < 5) break;
        if (header[0] === 0x5a) readyForQuery++;
        skip = header.readInt32BE(1) - 4;
        header = Buffer.alloc(0);
      }
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: server.address().port,
        count: () => readyForQuery,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}

module.exports = { countingRelay };

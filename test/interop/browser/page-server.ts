import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { LOOPBACK } from '../helpers/soketi';

/** The test page and what it loads, read once; the browser builds from node_modules. */
const FILES: Record<string, { file: string; contentType: string }> = {
  '/': {
    file: join(__dirname, 'page/index.html'),
    contentType: 'text/html; charset=utf-8',
  },
  '/test-page.js': {
    file: join(__dirname, 'page/test-page.js'),
    contentType: 'application/javascript; charset=utf-8',
  },
  '/pusher.js': {
    file: require.resolve('pusher-js/dist/web/pusher.js'),
    contentType: 'application/javascript; charset=utf-8',
  },
  // Our batch authorizer's browser build (the root's workspace; `npm run build` builds it).
  '/pusher-js-batch.js': {
    file: require.resolve('@pusher-auth/pusher-js-batch/browser.js'),
    contentType: 'application/javascript; charset=utf-8',
  },
};

export interface PageServer {
  /** `http://127.0.0.1:<port>`: what the browser sends as `Origin`. */
  origin: string;
  stop(): Promise<void>;
}

/**
 * Serves the test page on its own port on loopback: another origin than the service, so the
 * browser applies CORS to every request the page makes to it.
 */
export async function startPageServer(): Promise<PageServer> {
  const bodies = new Map(
    Object.entries(FILES).map(([path, { file, contentType }]) => [
      path,
      { body: readFileSync(file), contentType },
    ]),
  );
  const server = createServer(
    (request: IncomingMessage, response: ServerResponse) => {
      const path = new URL(request.url ?? '/', 'http://page').pathname;
      const found = bodies.get(path);
      if (request.method !== 'GET' || !found) {
        response.writeHead(404).end();
        return;
      }
      response
        .writeHead(200, {
          'Content-Type': found.contentType,
          'Cache-Control': 'no-store',
        })
        .end(found.body);
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, resolve);
  });
  const { port } = server.address() as { port: number };
  return {
    origin: `http://${LOOPBACK}:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

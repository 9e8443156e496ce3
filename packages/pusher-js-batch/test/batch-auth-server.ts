import {
  createServer,
  IncomingHttpHeaders,
  IncomingMessage,
  ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One batch request as the server received it. */
export interface ReceivedBatch {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The raw form, every field in order. */
  form: URLSearchParams;
  socketId: string | null;
  /** `channel_name[0]`, `channel_name[1]`, … in index order. */
  channelNames: string[];
}

export interface Answer {
  status: number;
  body: string;
}

/** Decides the answer to a batch; `'hang'` never answers (the connection stays open). */
export type Responder = (batch: ReceivedBatch) => Answer | 'hang';

/** What the service answers for a channel it signs, with a stand-in signature. */
export function signedEntry(socketId: string | null, channelName: string) {
  const data: Record<string, string> = {
    auth: `app-key:signed(${socketId}:${channelName})`,
  };
  if (channelName.startsWith('presence-')) {
    data.channel_data = JSON.stringify({ user_id: 'alice' });
  }
  if (channelName.startsWith('private-encrypted-')) {
    data.shared_secret = `secret-of-${channelName}`;
  }
  return { status: 200, data };
}

/** The service's answer shape: every channel signed, unless a test says otherwise. */
export const signEverything: Responder = (batch) => ({
  status: 200,
  body: JSON.stringify(
    Object.fromEntries(
      batch.channelNames.map((name) => [
        name,
        signedEntry(batch.socketId, name),
      ]),
    ),
  ),
});

export interface BatchAuthServer {
  /** `http://127.0.0.1:<port>/pusher/auth` */
  endpoint: string;
  origin: string;
  /** Every request so far, in arrival order. */
  received: ReceivedBatch[];
  respondWith(responder: Responder): void;
  /** Resolves when the server has received `count` requests in all. */
  requests(count: number): Promise<ReceivedBatch[]>;
  stop(): Promise<void>;
}

/**
 * A stand-in for the service's batch endpoint on 127.0.0.1 and a free port: it records what
 * arrives over real HTTP and answers as the test says.
 */
export async function startBatchAuthServer(): Promise<BatchAuthServer> {
  let responder: Responder = signEverything;
  const received: ReceivedBatch[] = [];
  let onReceived: () => void = () => undefined;

  const server = createServer(
    (request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const form = new URLSearchParams(
          Buffer.concat(chunks).toString('utf8'),
        );
        const channelNames: string[] = [];
        for (let index = 0; form.has(`channel_name[${index}]`); index++) {
          channelNames.push(form.get(`channel_name[${index}]`) ?? '');
        }
        const batch: ReceivedBatch = {
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          form,
          socketId: form.get('socket_id'),
          channelNames,
        };
        received.push(batch);
        onReceived();
        const answer = responder(batch);
        if (answer === 'hang') return;
        response
          .writeHead(answer.status, { 'Content-Type': 'application/json' })
          .end(answer.body);
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    endpoint: `${origin}/pusher/auth`,
    origin,
    received,
    respondWith: (next) => {
      responder = next;
    },
    requests: (count) =>
      new Promise((resolve) => {
        const check = () => {
          if (received.length >= count) resolve(received.slice(0, count));
        };
        onReceived = check;
        check();
      }),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

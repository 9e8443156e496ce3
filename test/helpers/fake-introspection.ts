import { LocalHttpServer, sendJson } from './local-http-server';

export type EndpointMode = 'up' | 'error' | 'slow' | 'not-json';

/** RFC 6749 §2.3.1, as an authorization server reads HTTP Basic client credentials. */
function clientOf(authorization: string | undefined): [string, string] | null {
  const match = /^Basic (.+)$/.exec(authorization ?? '');
  if (!match) return null;
  const pair = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  if (colon < 0) return null;
  const decode = (value: string) =>
    decodeURIComponent(value.replace(/\+/g, ' '));
  return [decode(pair.slice(0, colon)), decode(pair.slice(colon + 1))];
}

/**
 * An RFC 7662 introspection endpoint on 127.0.0.1: checks the client credentials, answers
 * `active: false` for tokens it does not know, and counts the calls per token.
 */
export class FakeIntrospectionEndpoint {
  /** Token → the answer for it (unknown tokens are inactive). */
  readonly answers = new Map<string, Record<string, unknown>>();
  mode: EndpointMode = 'up';

  private constructor(readonly server: LocalHttpServer) {}

  static async start(
    clientId: string,
    clientSecret: string,
  ): Promise<FakeIntrospectionEndpoint> {
    const server = await LocalHttpServer.start((request, response) => {
      if (endpoint.mode === 'slow') return;
      if (endpoint.mode === 'error') return sendJson(response, 502, {});
      if (endpoint.mode === 'not-json') {
        response.writeHead(200, { 'content-type': 'text/html' });
        return response.end('<html>login</html>');
      }
      const client = clientOf(request.headers.authorization);
      if (
        request.method !== 'POST' ||
        !client ||
        client[0] !== clientId ||
        client[1] !== clientSecret
      ) {
        return sendJson(response, 401, { error: 'invalid_client' });
      }
      const token = new URLSearchParams(request.body).get('token') ?? '';
      sendJson(response, 200, endpoint.answers.get(token) ?? { active: false });
    });
    const endpoint = new FakeIntrospectionEndpoint(server);
    return endpoint;
  }

  get url(): string {
    return `${this.server.origin}/oauth2/introspect`;
  }

  /** How many times `token` was introspected. */
  callsFor(token: string): number {
    return this.server.received.filter(
      (request) => new URLSearchParams(request.body).get('token') === token,
    ).length;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}

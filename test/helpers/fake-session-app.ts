import type { ServerResponse } from 'node:http';
import { LocalHttpServer, sendJson } from './local-http-server';

export type SessionAppMode = 'up' | 'error' | 'slow';

interface Session {
  user: string;
  /** The CSRF token bound to the session (checked when `checksCsrf`). */
  csrf: string;
}

/**
 * A session-cookie app on 127.0.0.1 exposing the endpoint forward-auth asks: 200 naming the
 * user of a valid `session` cookie (or a known bearer token), 401 otherwise, 302 to a login
 * page for the session `redirect`. Optionally checks a forwarded `X-CSRF-Token`.
 */
export class FakeSessionApp {
  readonly sessions = new Map<string, Session>();
  readonly bearers = new Map<string, string>();
  mode: SessionAppMode = 'up';

  private constructor(
    readonly server: LocalHttpServer,
    private readonly options: {
      userIn: 'json' | 'header';
      checksCsrf: boolean;
    },
  ) {}

  static async start(
    options: { userIn: 'json' | 'header'; checksCsrf: boolean } = {
      userIn: 'json',
      checksCsrf: false,
    },
  ): Promise<FakeSessionApp> {
    const server = await LocalHttpServer.start((request, response) => {
      if (app.mode === 'slow') return;
      if (app.mode === 'error') return sendJson(response, 500, {});
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
      if (bearer && app.bearers.has(bearer[1])) {
        return app.answerUser(response, app.bearers.get(bearer[1])!);
      }
      const session = /(?:^|;\s*)session=([^;]+)/.exec(
        request.headers.cookie ?? '',
      )?.[1];
      if (session === 'redirect') {
        response.writeHead(302, { location: '/login' });
        return response.end();
      }
      const known = session ? app.sessions.get(session) : undefined;
      if (!known) return sendJson(response, 401, { error: 'no session' });
      if (
        app.options.checksCsrf &&
        request.headers['x-csrf-token'] !== known.csrf
      ) {
        return sendJson(response, 403, { error: 'bad csrf token' });
      }
      app.answerUser(response, known.user);
    });
    const app = new FakeSessionApp(server, options);
    return app;
  }

  private answerUser(response: ServerResponse, user: string): void {
    if (this.options.userIn === 'header') {
      response.writeHead(204, { 'x-auth-user': user });
      return void response.end();
    }
    sendJson(response, 200, { user: { id: user, name: `User ${user}` } });
  }

  get url(): string {
    return `${this.server.origin}/auth/session`;
  }

  get calls(): number {
    return this.server.received.length;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}

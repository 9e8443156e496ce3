import { claimsFor, signJwt } from './jwt';
import { expectedUserAuth } from './pusher-signature';
import { TEST_JWT_SECRET } from './test-app';

/**
 * Clients signing in one after another, without pause, on one path (one Pusher app): each answer
 * must be 200 with a signature recomputed here with that app's key and secret. Anything else is
 * recorded as a failure (status, body), never thrown, so a test can stream through restarts and
 * look at everything afterwards.
 */
export class SignInStream {
  answered = 0;
  readonly failures: string[] = [];
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(
    private readonly origin: string,
    readonly path: string,
    private readonly app: { key: string; secret: string },
    private readonly userId: string,
    clients = 1,
  ) {
    this.loops = Array.from({ length: clients }, (_, client) =>
      this.loop(client + 1),
    );
  }

  /** Lets the requests in flight finish, then stops. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(client: number): Promise<void> {
    const token = signJwt('HS256', TEST_JWT_SECRET, claimsFor(this.userId));
    for (let n = 1; this.running; n++) {
      const socketId = `${client}.${n}`;
      const failure = await this.signIn(token, socketId).catch(
        (error: Error) => `request failed: ${error.message}`,
      );
      this.answered += 1;
      if (failure) this.failures.push(`${this.path} ${socketId}: ${failure}`);
    }
  }

  /** Undefined when the answer is signed for this app; else what was wrong. */
  private async signIn(
    token: string,
    socketId: string,
  ): Promise<string | undefined> {
    const response = await fetch(`${this.origin}${this.path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `socket_id=${socketId}`,
      signal: AbortSignal.timeout(10_000),
    });
    const body = await response.text();
    if (response.status !== 200) return `${response.status} ${body}`;
    const { auth, user_data: userData } = JSON.parse(body) as {
      auth: string;
      user_data: string;
    };
    const expected = expectedUserAuth(
      this.app.key,
      this.app.secret,
      socketId,
      userData,
    );
    if (auth !== expected) return `signed wrongly: ${body}`;
    if ((JSON.parse(userData) as { id: string }).id !== this.userId)
      return `signed for someone else: ${body}`;
    return undefined;
  }
}

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimsFor, signJwt } from '../../helpers/jwt';
import {
  AuthRequestOptions,
  bearer,
  expectSignedIn,
  InteropClient,
} from './client';
import { CliResult, runDirectoryCli } from './directory-cli';
import { RunningService, ServiceSetup, startPusherAuth } from './service';
import {
  LOOPBACK,
  RunningSoketi,
  SoketiApp,
  SoketiOptions,
  startSoketi,
} from './soketi';

/** How much of each process's output a failure message shows. */
const OUTPUT_TAIL_CHARS = 4_000;

/**
 * soketi and the compiled service, wired to each other, on loopback and free ports, plus the
 * pusher-js clients a test opens. `stop()` ends all of it (and is safe after a failed start).
 */
export class InteropStack {
  readonly jwtSecret = randomBytes(32).toString('base64');
  /** Given to the service and to soketi's REST client, so encrypted channels work end to end. */
  readonly encryptionMasterKeyBase64 = randomBytes(32).toString('base64');
  private workDir?: string;
  private readonly clients = new Set<InteropClient>();
  private soketiInstance?: RunningSoketi;
  private serviceInstance?: RunningService;

  get soketi(): RunningSoketi {
    if (!this.soketiInstance) throw new Error('soketi is not running');
    return this.soketiInstance;
  }

  get service(): RunningService {
    if (!this.serviceInstance) throw new Error('pusher-auth is not running');
    return this.serviceInstance;
  }

  /** Where a pusher-js in a browser page connects: the default app's key and soketi's socket. */
  get pageSocket(): { key: string; wsHost: string; wsPort: number } {
    return {
      key: this.soketi.app.key,
      wsHost: LOOPBACK,
      wsPort: this.soketi.port,
    };
  }

  async start(options: SoketiOptions & ServiceSetup) {
    // soketi's config, the SQLite directory, the policy file, and both processes' working directory.
    const workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-interop-'));
    this.workDir = workDir;
    this.soketiInstance = await startSoketi(workDir, options, {
      encryptionMasterKeyBase64: this.encryptionMasterKeyBase64,
    });
    this.serviceInstance = await startPusherAuth({
      ...options,
      workDir,
      soketi: this.soketiInstance,
      jwtSecret: this.jwtSecret,
      encryptionMasterKeyBase64: this.encryptionMasterKeyBase64,
    });
  }

  /** `pusher-auth directory <args>` on the service's own directory, as an operator runs it. */
  directoryCli(...args: string[]): Promise<CliResult> {
    if (!this.workDir) throw new Error('the stack is not started');
    return runDirectoryCli(args, this.service.directoryUrl, this.workDir);
  }

  /** A token the service accepts, for any user id (known to the directory or not). */
  tokenFor(userId: string): string {
    return signJwt('HS256', this.jwtSecret, claimsFor(userId));
  }

  /**
   * A pusher-js client whose `userAuthentication.endpoint` and `channelAuthorization.endpoint` are
   * the service (ajax transport), both sending what `auth` says. By default it connects with the
   * default app's key and uses the service's unprefixed paths; `via` connects it with `app`'s key
   * instead and points both endpoints at `/apps/{signingApp}/…`.
   */
  client(
    auth: AuthRequestOptions = {},
    via?: { app: SoketiApp; signingApp: string },
  ): InteropClient {
    const appPath = via && `${this.service.origin}/apps/${via.signingApp}`;
    const client = new InteropClient(
      (via?.app ?? this.soketi.app).key,
      this.soketi.port,
      {
        userAuthentication: {
          endpoint: appPath
            ? `${appPath}/pusher/user-auth`
            : this.service.userAuthEndpoint,
          transport: 'ajax',
          ...auth,
        },
        channelAuthorization: {
          endpoint: appPath
            ? `${appPath}/pusher/auth`
            : this.service.channelAuthEndpoint,
          transport: 'ajax',
          ...auth,
        },
      },
      () => this.recentOutput(),
    );
    this.clients.add(client);
    return client;
  }

  /** A client of the default app, signed in as `userId`, its server-to-user channel subscribed. */
  async signedInClient(userId: string): Promise<InteropClient> {
    const client = this.client({ headers: bearer(this.tokenFor(userId)) });
    await client.connected();
    expectSignedIn(await client.signIn());
    await client.serverToUserChannelSubscribed();
    return client;
  }

  disconnectClients(): void {
    for (const client of this.clients) client.disconnect();
    this.clients.clear();
  }

  async stop(): Promise<void> {
    this.disconnectClients();
    await Promise.all([
      this.serviceInstance?.stop(),
      this.soketiInstance?.stop(),
    ]);
    if (this.workDir) rmSync(this.workDir, { recursive: true, force: true });
  }

  /** The tail of each process's output, appended to a failure message. */
  recentOutput(): string {
    return [this.soketiInstance?.process, this.serviceInstance?.process]
      .filter((started) => started !== undefined)
      .map(
        (started) =>
          `\n--- ${started.name} (last output) ---\n${started.output().slice(-OUTPUT_TAIL_CHARS)}`,
      )
      .join('');
  }
}

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DirectoryUser } from '../../../src/directory/directory-user';
import { claimsFor, signJwt } from '../../helpers/jwt';
import { AuthRequestOptions, InteropClient } from './client';
import { RunningService, startPusherAuth } from './service';
import { RunningSoketi, SoketiOptions, startSoketi } from './soketi';

/** How much of each process's output a failure message shows. */
const OUTPUT_TAIL_CHARS = 4_000;

/**
 * soketi and the compiled service, wired to each other, on loopback and free ports, plus the
 * pusher-js clients a test opens. `stop()` ends all of it (and is safe after a failed start).
 */
export class InteropStack {
  readonly jwtSecret = randomBytes(32).toString('base64');
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

  async start(options: SoketiOptions & { users: DirectoryUser[] }) {
    // soketi's config, the SQLite directory, and both processes' working directory.
    const workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-interop-'));
    this.workDir = workDir;
    this.soketiInstance = await startSoketi(workDir, options);
    this.serviceInstance = await startPusherAuth({
      workDir,
      soketi: this.soketiInstance,
      jwtSecret: this.jwtSecret,
      users: options.users,
    });
  }

  /** A token the service accepts, for any user id (known to the directory or not). */
  tokenFor(userId: string): string {
    return signJwt('HS256', this.jwtSecret, claimsFor(userId));
  }

  /** A pusher-js client whose `userAuthentication.endpoint` is the service (ajax transport). */
  client(auth: AuthRequestOptions = {}): InteropClient {
    const client = new InteropClient(
      this.soketi.app.key,
      this.soketi.port,
      {
        endpoint: this.service.userAuthEndpoint,
        transport: 'ajax',
        ...auth,
      },
      () => this.recentOutput(),
    );
    this.clients.add(client);
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

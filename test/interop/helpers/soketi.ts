import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Pusher from 'pusher';
import { startNodeProcess, StartedProcess, stopProcess } from './child-process';
import { freeTcpPorts, freeUdpPort } from './free-port';

export const LOOPBACK = '127.0.0.1';

/** An app soketi serves; the service signs with the same credentials. */
export interface SoketiApp {
  /** The service's name for it: `default` (the PUSHER_* variables) or its PUSHER_APPS_FILE entry. */
  name: string;
  id: string;
  key: string;
  secret: string;
}

export interface RunningSoketi {
  /** The first of `apps`: the service's default app. */
  app: SoketiApp;
  /** Every app this soketi serves, from one process (its array app manager). */
  apps: SoketiApp[];
  port: number;
  process: StartedProcess;
  /**
   * The official server library, pointed at soketi's REST API; it encrypts what it triggers on
   * `private-encrypted-` channels with the master key it was given.
   */
  restClient: Pusher;
  stop(): Promise<void>;
}

export interface SoketiOptions {
  /**
   * soketi closes a connection that has not signed in after this long (code 4009). Short, so that a
   * connection whose sign-in failed is visibly refused by soketi itself.
   */
  userAuthenticationTimeoutMs: number;
  /** More apps soketi serves beside the first, by the name the service's apps file gives them. */
  otherAppNames?: string[];
}

/** soketi 1.6's entry point, from this package's own node_modules. */
function soketiEntry(): string {
  return join(
    dirname(require.resolve('@soketi/soketi/package.json')),
    'bin/server.js',
  );
}

/**
 * The Node soketi runs on. Its uWebSockets.js (the npm build `overrides` maps it to) ships native
 * binaries up to Node 20's ABI; on a newer Node it silently falls back to a JavaScript server that
 * does not answer soketi's REST API. So soketi runs on `SOKETI_NODE` when it is set (CI runs the
 * suite and the service on Node 24 and soketi on the machine's Node 20), else on the suite's Node,
 * and never on that fallback.
 */
function soketiNode(): string {
  const node = process.env.SOKETI_NODE || process.execPath;
  const abi = execFileSync(node, ['-p', 'process.versions.modules'], {
    encoding: 'utf8',
    timeout: 10_000,
  }).trim();
  const binary = join(
    dirname(require.resolve('uWebSockets.js/package.json')),
    'binaries',
    `uws_${process.platform}_${process.arch}_${abi}.node`,
  );
  if (!existsSync(binary)) {
    throw new Error(
      `soketi's uWebSockets.js has no native binary for ${node} (Node ABI ${abi}): ` +
        'set SOKETI_NODE to a Node 20 binary, for example SOKETI_NODE="$(command -v node)"',
    );
  }
  return node;
}

/**
 * soketi reads a JSON file of dotted option paths, each set over its defaults. Its defaults listen on
 * 0.0.0.0 (WebSocket/HTTP, metrics, UDP cluster discovery): every listener is pinned to loopback here.
 */
function soketiConfig(
  apps: SoketiApp[],
  ports: { main: number; metrics: number; discovery: number },
  options: SoketiOptions,
): Record<string, unknown> {
  return {
    host: LOOPBACK,
    port: ports.main,
    'metrics.host': LOOPBACK,
    'metrics.port': ports.metrics,
    'cluster.address': LOOPBACK,
    'cluster.hostname': LOOPBACK,
    'cluster.unicast': LOOPBACK,
    'cluster.port': ports.discovery,
    // Without it soketi ignores pusher:signin silently.
    'appManager.array.apps': apps.map(({ id, key, secret }) => ({
      id,
      key,
      secret,
      enableUserAuthentication: true,
    })),
    userAuthenticationTimeout: options.userAuthenticationTimeoutMs,
    // The default waits 3 s before closing on SIGTERM.
    shutdownGracePeriod: 0,
  };
}

export async function startSoketi(
  workDir: string,
  options: SoketiOptions,
  restClientOptions: { encryptionMasterKeyBase64?: string } = {},
): Promise<RunningSoketi> {
  const apps: SoketiApp[] = [
    { name: 'default', id: 'interop-app', key: 'interop-key' },
    ...(options.otherAppNames ?? []).map((name) => ({
      name,
      id: `interop-app-${name}`,
      key: `interop-key-${name}`,
    })),
  ].map((app) => ({ ...app, secret: randomBytes(24).toString('hex') }));
  const [main, metrics] = await freeTcpPorts(2);
  const ports = { main, metrics, discovery: await freeUdpPort() };
  const configFile = join(workDir, 'soketi.json');
  writeFileSync(configFile, JSON.stringify(soketiConfig(apps, ports, options)));
  const { process: soketiProcess } = await startNodeProcess({
    name: 'soketi',
    node: soketiNode(),
    script: soketiEntry(),
    args: ['start', `--config=${configFile}`],
    // soketi also reads a .env from its working directory: the suite's own folder has none.
    cwd: workDir,
    env: { NO_COLOR: '1', AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1' },
    ready: /Server is up and running/,
  });
  const restClientOf = (app: SoketiApp) =>
    new Pusher({
      appId: app.id,
      key: app.key,
      secret: app.secret,
      host: LOOPBACK,
      port: String(ports.main),
      useTLS: false,
      ...restClientOptions,
    });
  const running: RunningSoketi = {
    app: apps[0],
    apps,
    port: ports.main,
    process: soketiProcess,
    restClient: restClientOf(apps[0]),
    stop: () => stopProcess(soketiProcess.child),
  };
  try {
    for (const app of apps) await expectOurApp(restClientOf(app), running);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}

/**
 * soketi prints "up and running" even when its port could not be bound. A signed REST call that
 * succeeds proves this soketi, with this app, answers on the port.
 */
async function expectOurApp(restClient: Pusher, { process }: RunningSoketi) {
  try {
    const response = await restClient.get({ path: '/channels' });
    if (response.status !== 200) throw new Error(`status ${response.status}`);
  } catch (error) {
    throw new Error(
      `soketi's REST API did not answer for the app (${String(error)}):\n${process.output()}`,
      { cause: error },
    );
  }
}

'use strict';
// Fills Node's compile cache (NODE_COMPILE_CACHE) at image build, so the container's first start
// reads V8's compiled code instead of compiling about 2 200 modules (docs/performance.md, "Round
// four"). Run from the image's WORKDIR with the CMD's exact argv:
//
//   node docker/warm-compile-cache.js node <the CMD's flags> dist/main.js
//
// It writes a user with the CLI (which warms the CLI's modules too), starts the command on a SQLite
// directory in a temporary folder, waits for /health/ready, signs the user in (200 and a signature
// required), asks for a private channel, then stops it with SIGTERM: Node writes the cache when the
// process exits. Nothing of the run stays in the image but the cache. Every wait has a timeout.
const { execFileSync, spawn } = require('node:child_process');
const { createHmac, randomBytes } = require('node:crypto');
const { mkdtempSync, readdirSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const command = process.argv.slice(2);
if (command.length === 0 || !process.env.NODE_COMPILE_CACHE) {
  process.stderr.write('usage: NODE_COMPILE_CACHE=<dir> node docker/warm-compile-cache.js <the CMD argv>\n');
  process.exit(2);
}
const USER = 'compile-cache-warm-up';
const work = mkdtempSync(join(tmpdir(), 'warm-compile-cache-'));
const jwtSecret = randomBytes(32).toString('hex');
const pusherSecret = randomBytes(24).toString('hex');
const env = {
  ...process.env,
  HOST: '127.0.0.1',
  PUSHER_APP_ID: 'warm-up',
  PUSHER_KEY: 'warm-up-key',
  PUSHER_SECRET: pusherSecret,
  JWT_SECRET: jwtSecret,
  DIRECTORY_URL: `sqlite://${join(work, 'directory.db')}`,
};

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function token() {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: USER, iat: now, exp: now + 300 })}`;
  return `${input}.${createHmac('sha256', jwtSecret).update(input).digest('base64url')}`;
}

async function post(port, path, body) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/x-www-form-urlencoded' },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: await response.text() };
}

async function untilReady(port, service, deadline) {
  while (Date.now() < deadline) {
    if (service.exitCode !== null) throw new Error(`the service exited with ${service.exitCode} before it was ready`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('/health/ready did not answer 200 within 60 s');
}

async function main() {
  execFileSync(process.execPath, ['bin/pusher-auth.js', 'directory', 'upsert', USER], { env, stdio: 'inherit', timeout: 60_000 });
  const port = await freePort();
  const service = spawn(command[0], command.slice(1), { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((resolve) => service.once('exit', (code, signal) => resolve(code ?? signal)));
  const kill = setTimeout(() => service.kill('SIGKILL'), 90_000);
  try {
    await untilReady(port, service, Date.now() + 60_000);
    const signIn = await post(port, '/pusher/user-auth', 'socket_id=1234.5678');
    if (signIn.status !== 200 || !JSON.parse(signIn.body).auth) throw new Error(`sign-in answered ${signIn.status}: ${signIn.body}`);
    const channel = await post(port, '/pusher/auth', `socket_id=1234.5678&channel_name=private-user-${USER}`);
    if (channel.status >= 500) throw new Error(`channel authorization answered ${channel.status}`);
  } finally {
    service.kill('SIGTERM');
  }
  const status = await exited;
  clearTimeout(kill);
  if (status !== 0) throw new Error(`the service exited with ${status} after SIGTERM`);
  // Node skips a cache it cannot write without a word: an empty folder means no cache at all.
  const written = readdirSync(process.env.NODE_COMPILE_CACHE, { recursive: true }).length;
  if (written < 100) throw new Error(`Node wrote ${written} entries to ${process.env.NODE_COMPILE_CACHE}: can this user write there?`);
  return written;
}

main()
  .then((written) => process.stderr.write(`compile cache: ${written} entries in ${process.env.NODE_COMPILE_CACHE}\n`))
  .catch((error) => {
    process.stderr.write(`warm-compile-cache: ${error.message}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));

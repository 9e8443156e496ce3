'use strict';
// Servers under test: spawned pinned to one core, ready at their first signed answer, measured
// through /proc, stopped with their whole process group (a wrapper such as scripts/with-node.sh
// may run node as its child rather than exec it).
const { execFileSync, spawn } = require('node:child_process');
const { createServer } = require('node:net');
const { closeSync, openSync, readFileSync, readdirSync, readlinkSync } = require('node:fs');
const { basename } = require('node:path');

/** A port the kernel says is free now; the server is started on it. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `command` (an argv) on `core` in its own process group, with `env` and a free PORT. Its
 * standard output (the log lines) goes to /dev/null, or to `logFile` when one is given.
 */
async function startServer(command, env, core, logFile) {
  const port = await freePort();
  const out = logFile ? openSync(logFile, 'w') : 'ignore';
  const started = process.hrtime.bigint();
  const child = spawn('taskset', ['-c', core, ...command], {
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', out, 'pipe'],
    detached: true,
  });
  if (logFile) closeSync(out);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-10_000);
  });
  const server = { child, port, started, stderr: () => stderr, exited: null };
  server.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return server;
}

async function stopServer(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const group = -server.child.pid;
  process.kill(group, 'SIGTERM');
  const timer = setTimeout(() => {
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, 10_000);
  await server.exited;
  clearTimeout(timer);
}

function childrenOf(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** The node process in the server's tree: the spawned one, or a wrapper's child. */
function nodeProcessOf(pid) {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...childrenOf(tree[i]));
  const isNode = (p) => {
    try {
      return /^node/.test(basename(readlinkSync(`/proc/${p}/exe`)));
    } catch {
      return false;
    }
  };
  return tree.find(isNode) ?? tree[tree.length - 1];
}

/** Peak resident set (VmHWM) of the server's node process, in MB. */
function peakRssMb(server) {
  const status = readFileSync(`/proc/${nodeProcessOf(server.child.pid)}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024;
}

/** Sends a signal to the server's node process itself (not a wrapper around it). */
function signalNode(server, signal) {
  process.kill(nodeProcessOf(server.child.pid), signal);
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * CPU time (user + system, all threads) the server's node process has used so far, in seconds.
 * Unlike req/s, CPU per request hardly depends on how much of its core a busy machine left it.
 */
function cpuSeconds(server) {
  const stat = readFileSync(`/proc/${nodeProcessOf(server.child.pid)}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** One sign-in: the status and body of POST /pusher/user-auth with this token and client address. */
async function signIn(port, { token, address }) {
  const response = await fetch(`http://127.0.0.1:${port}/pusher/user-auth`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': address,
    },
    body: 'socket_id=1234.5678',
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: await response.text() };
}

/**
 * Waits for the first signed answer (polling every 5 ms while the port refuses connections);
 * answers the time since spawn in ms. Any other answer than 200 is a failure.
 */
async function firstSigned(server, credential, deadlineMs = 60_000) {
  for (;;) {
    if (server.child.exitCode !== null) {
      throw new Error(`server exited with ${server.child.exitCode} before answering:\n${server.stderr()}`);
    }
    if (Number(process.hrtime.bigint() - server.started) / 1e6 > deadlineMs) {
      throw new Error(`no signed answer within ${deadlineMs} ms:\n${server.stderr()}`);
    }
    let answer;
    try {
      answer = await signIn(server.port, credential);
    } catch (error) {
      if (!/ECONNREFUSED|ECONNRESET|other side closed/.test(String(error.cause?.code ?? error.cause ?? error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
      continue;
    }
    if (answer.status === 200) return Number(process.hrtime.bigint() - server.started) / 1e6;
    throw new Error(`first sign-in answered ${answer.status}: ${answer.body}\n${server.stderr()}`);
  }
}

module.exports = { startServer, stopServer, signalNode, peakRssMb, cpuSeconds, firstSigned, signIn };

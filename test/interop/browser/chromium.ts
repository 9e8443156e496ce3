import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BrowserContext, chromium } from 'playwright-core';

/** Debian's `chromium` package: never a browser downloaded by Playwright. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * This machine has no internet: without these, Chromium's background connections (updates,
 * sync, field trials, QUIC probes) fail noisily. Playwright adds its own defaults beside them.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** How long Chromium's helpers (the crash handler outlives the browser briefly) get to exit. */
const EXIT_GRACE_MS = 5_000;

export interface RunningChromium {
  context: BrowserContext;
  /** Closes the browser, removes its folder, and fails if any of its processes outlived it. */
  stop(): Promise<void>;
}

export async function launchChromium(): Promise<RunningChromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does it)`,
    );
  }
  // A fresh profile per run, and the config/cache folders with it: Chromium's crash handler
  // otherwise writes to ~/.config/chromium. Every process of this browser then names this folder
  // on its command line, which is how stop() finds any left behind.
  const root = mkdtempSync(join(tmpdir(), 'pusher-auth-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(join(root, 'profile'), {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: root,
        XDG_CONFIG_HOME: join(root, 'config'),
        XDG_CACHE_HOME: join(root, 'cache'),
      },
      timeout: 30_000,
    });
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    stop: async () => {
      await context.close();
      const leftovers = await processesStillNaming(root);
      for (const pid of leftovers) process.kill(pid, 'SIGKILL');
      rmSync(root, { recursive: true, force: true });
      if (leftovers.length > 0) {
        throw new Error(
          `Chromium processes outlived the browser by ${EXIT_GRACE_MS} ms (killed): ${leftovers.join(', ')}`,
        );
      }
    },
  };
}

/** The pids whose command line names `path` once `EXIT_GRACE_MS` has passed (or none sooner). */
async function processesStillNaming(path: string): Promise<number[]> {
  const deadline = Date.now() + EXIT_GRACE_MS;
  for (;;) {
    const pids = processesNaming(path);
    if (pids.length === 0 || Date.now() > deadline) return pids;
    await sleep(100);
  }
}

function processesNaming(path: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(path)) {
        pids.push(Number(entry));
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

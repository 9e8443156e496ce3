import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimsFor, signJwt } from '../helpers/jwt';
import {
  SERVICE_ENTRY,
  startService,
  startServiceLoggingTo,
  stopService,
} from '../helpers/service-process';
import {
  startServiceInTerminal,
  stopTerminalService,
  TerminalService,
} from '../helpers/terminal-service';
import { BASE_ENV, TEST_JWT_SECRET, TEST_PUSHER } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** A sub with a right-to-left override, a line separator, a terminal escape and a C1 control. */
const HOSTILE_SUB = 'alice\u202etxt.exe\u2028fake line\u001b[2J\u0085\u200bz';
const SHOWN_SUB =
  'alice\\u202etxt.exe\\u2028fake line\\u001b[2J\\u0085\\u200bz';

/** Nothing that changes how the terminal shows a line, line breaks between lines aside. */
const UNSEEN =
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;

/** `HH:MM:SS.mmm LEVEL ` at the start of a line. */
const PRETTY_HEAD = String.raw`^\d\d:\d\d:\d\d\.\d{3} [A-Z]{4,5} {1,2}`;
const LISTENING = /listening on 127\.0\.0\.1:(\d+)/;

// `claims`: a user missing from the directory is signed from the token's claims, and an id the
// id rule refuses is quoted in a warning.
const ENV = {
  ...BASE_ENV,
  LOG_LEVEL: 'info',
  DIRECTORY_UNKNOWN_USERS: 'claims',
  PORT: '0',
  HOST: '127.0.0.1',
};

const tokenFor = (sub: string) =>
  signJwt('HS256', TEST_JWT_SECRET, claimsFor(sub));

function signIn(port: string, token: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/pusher/user-auth`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'socket_id=1.2',
  });
}

/** The lines shown once `pattern` matches one of them. */
const linesOnceShown = (output: () => string, pattern: RegExp) =>
  waitFor(`a line matching ${pattern}`, () => {
    const lines = output().split('\n');
    return lines.some((line) => pattern.test(line)) ? lines : undefined;
  });

describe('logs on a terminal (LOG_FORMAT=auto)', () => {
  let workDir: string;
  let service: TerminalService | undefined;

  beforeAll(() => {
    if (!existsSync(SERVICE_ENTRY)) {
      throw new Error(`${SERVICE_ENTRY} is missing: run "npm run build"`);
    }
  });
  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-terminal-'));
  });
  afterEach(async () => {
    if (service) await stopTerminalService(service.child);
    service = undefined;
    rmSync(workDir, { recursive: true, force: true });
  });

  it('are lines for people: time, level, message; a request as METHOD path status duration; caller text escaped, no secret, no colour with NO_COLOR', async () => {
    service = await startServiceInTerminal(
      {
        ...ENV,
        DIRECTORY_URL: 'sqlite://:memory:',
        // The terminal shows colours, but NO_COLOR is set.
        TERM: 'xterm-256color',
        NO_COLOR: '1',
      },
      workDir,
      LISTENING,
    );
    const port = service.match[1];
    expect(service.output()).toMatch(
      new RegExp(
        `${PRETTY_HEAD}\\[Bootstrap\\] listening on 127\\.0\\.0\\.1:${port}`,
        'm',
      ),
    );
    const aliceToken = tokenFor('alice');
    const hostileToken = tokenFor(HOSTILE_SUB);
    expect((await signIn(port, aliceToken)).status).toBe(200);
    expect((await signIn(port, hostileToken)).status).toBe(403);

    const lines = await linesOnceShown(service.output, / 403 /);
    const requestLines = lines.filter((line) =>
      /^\S+ [A-Z]+ +POST \/pusher\/user-auth /.test(line),
    );
    expect(requestLines).toEqual([
      expect.stringMatching(
        new RegExp(
          `${PRETTY_HEAD}POST /pusher/user-auth 200 [\\d.]+ ms  .*outcome=\\S+ .*userId=alice `,
        ),
      ),
      expect.stringMatching(
        new RegExp(`${PRETTY_HEAD}POST /pusher/user-auth 403 [\\d.]+ ms  `),
      ),
    ]);
    // The warning quotes the id as the JSON line did: escaped, readable.
    expect(lines.find((line) => line.includes('not signing user'))).toContain(
      `not signing user "${SHOWN_SUB}"`,
    );

    const output = service.output();
    expect(output).not.toMatch(UNSEEN);
    expect(output).not.toContain('\u001b');
    for (const line of lines.filter((text) => text !== '')) {
      expect(line).toMatch(new RegExp(PRETTY_HEAD));
    }
    for (const secret of [
      TEST_JWT_SECRET,
      TEST_PUSHER.secret,
      aliceToken,
      hostileToken,
    ]) {
      expect(output).not.toContain(secret);
    }
  });

  it('are coloured when the terminal shows colours', async () => {
    service = await startServiceInTerminal(
      {
        ...ENV,
        DIRECTORY_URL: 'sqlite://:memory:',
        TERM: 'xterm-256color',
      },
      workDir,
      LISTENING,
    );
    expect((await signIn(service.match[1], tokenFor('alice'))).status).toBe(
      200,
    );
    const lines = await linesOnceShown(service.output, /POST \/pusher/);
    expect(lines.find((line) => line.includes('POST /pusher'))).toContain(
      '\u001b[32m200\u001b[0m',
    );
    expect(service.output()).toContain('\u001b[32mINFO \u001b[0m');
  });

  it('stay JSON in production', async () => {
    service = await startServiceInTerminal(
      {
        ...ENV,
        NODE_ENV: 'production',
        DIRECTORY_URL: `sqlite://${join(workDir, 'directory.db')}`,
      },
      workDir,
      LISTENING,
    );
    expectJsonLines(service.output());
  });

  it('in demo mode, come after the banner, which is printed first and whole', async () => {
    service = await startServiceInTerminal(
      { PORT: '0', HOST: '127.0.0.1' },
      workDir,
      LISTENING,
    );
    const output = service.output();
    expect(output.startsWith('DEMO MODE: nothing is configured')).toBe(true);
    const lines = output.split('\n');
    const bannerEnd = lines.findIndex((line) =>
      line.includes('npx pusher-auth token bob'),
    );
    expect(bannerEnd).toBeGreaterThan(0);
    expect(lines.slice(0, bannerEnd + 1).join('\n')).toMatch(
      /curl -sS -X POST 'http:\/\/127\.0\.0\.1:\d+\/pusher\/user-auth' -H 'Authorization: Bearer [\w-]+\.[\w-]+\.[\w-]+' -d socket_id=1234\.5678\n/,
    );
    const logLines = lines.slice(bannerEnd + 1).filter((line) => line !== '');
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(line).toMatch(new RegExp(PRETTY_HEAD));
  });
});

describe('logs piped or written to a file (LOG_FORMAT=auto)', () => {
  let workDir: string;

  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), 'pusher-auth-piped-'));
  });
  afterEach(() => rmSync(workDir, { recursive: true, force: true }));

  it('are JSON lines, as before', async () => {
    const service = await startService(
      { ...ENV, DIRECTORY_URL: 'sqlite://:memory:' },
      workDir,
      LISTENING,
    );
    try {
      expect((await signIn(service.match[1], tokenFor('alice'))).status).toBe(
        200,
      );
      await linesOnceShown(service.output, /request completed/);
      expectJsonLines(service.output());
    } finally {
      await stopService(service.child);
    }
  });

  it('in demo mode, come after the banner too (`> service.log 2>&1`)', async () => {
    const logFile = join(workDir, 'service.log');
    const service = await startServiceLoggingTo(
      logFile,
      { PORT: '0', HOST: '127.0.0.1' },
      workDir,
      LISTENING,
    );
    try {
      const lines = readFileSync(logFile, 'utf8').split('\n');
      expect(lines[0]).toMatch(/^DEMO MODE: nothing is configured/);
      const bannerEnd = lines.findIndex((line) =>
        line.includes('npx pusher-auth token bob'),
      );
      expect(bannerEnd).toBeGreaterThan(0);
      expectJsonLines(lines.slice(bannerEnd + 1).join('\n'));
    } finally {
      await stopService(service.child);
    }
  });
});

/** Every line of `output` is one JSON object, as a log collector reads them. */
function expectJsonLines(output: string): void {
  const lines = output.split('\n').filter((line) => line !== '');
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    expect(line, line).toMatch(/^\{"level":"\w+","time":"[^"]+"/);
    expect(() => JSON.parse(line) as unknown).not.toThrow();
  }
}

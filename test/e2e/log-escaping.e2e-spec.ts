import { claimsFor, signJwt } from '../helpers/jwt';
import {
  startService,
  stopService,
  useBuiltServiceWorkDir,
} from '../helpers/service-process';
import {
  BASE_ENV,
  startTestApp,
  TEST_JWT_SECRET,
  TestApp,
} from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * A `sub` a validly signed token may carry: a right-to-left override (the id reads as something
 * else), a line separator, a terminal escape, a C1 control, a zero-width space.
 */
const HOSTILE_SUB = 'alice\u202etxt.exe\u2028fake line\u001b[2J\u0085\u200bz';
const SHOWN_SUB =
  'alice\\u202etxt.exe\\u2028fake line\\u001b[2J\\u0085\\u200bz';
/** A header is Latin-1: a byte 0x9B arrives as the C1 control CSI. */
const HOSTILE_AGENT = 'agent\u009b31m';

/** Nothing that changes how a line reads, line breaks between lines aside. */
const UNSEEN =
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;

const signInRequest = () => ({
  method: 'POST' as const,
  url: '/pusher/user-auth',
  headers: {
    authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor(HOSTILE_SUB))}`,
    'content-type': 'application/x-www-form-urlencoded',
    'user-agent': HOSTILE_AGENT,
  },
  payload: 'socket_id=1.2',
});

// `claims`: the id is taken from the token, then refused by the id rule, and quoted in a warning.
const ENV = {
  DIRECTORY_URL: 'sqlite://:memory:',
  DIRECTORY_UNKNOWN_USERS: 'claims',
};

describe('caller-chosen text with controls and bidi overrides in logs', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startTestApp(ENV);
  });
  afterAll(() => service?.close());

  it('reaches the warning and the request line escaped, never as is', async () => {
    const response = await service.app.inject(signInRequest());
    expect(response.statusCode).toBe(403);

    const warning = service.logs.lines.find((line) =>
      line.includes('not signing user'),
    );
    expect(warning).toContain(`not signing user "${SHOWN_SUB}": id must be`);

    const requestLine = service.logs.json.find(
      (entry) => entry.msg === 'request completed',
    );
    expect(requestLine).toMatchObject({
      statusCode: 403,
      userId: SHOWN_SUB,
      userAgent: 'agent\\u009b31m',
    });
    for (const line of [
      ...service.logs.lines,
      ...service.logs.json.map((entry) => JSON.stringify(entry)),
    ]) {
      expect(line).not.toMatch(UNSEEN);
    }
  });
});

describe('the compiled service’s stdout, with the same token', () => {
  const workDir = useBuiltServiceWorkDir('pusher-auth-log-escaping-');

  it('writes every line (the Nest warning and the request line) without those characters', async () => {
    const service = await startService(
      { ...BASE_ENV, ...ENV, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1' },
      workDir(),
      /listening on 127\.0\.0\.1:(\d+)/,
    );
    try {
      const { headers, payload } = signInRequest();
      const response = await fetch(
        `http://127.0.0.1:${service.match[1]}/pusher/user-auth`,
        {
          method: 'POST',
          // fetch refuses a C1 byte in a header: the in-process test covers the user agent.
          headers: { ...headers, 'user-agent': 'agent' },
          body: payload,
        },
      );
      expect(response.status).toBe(403);
      const lines = await waitFor('the request line', () => {
        const all = service.output().split('\n');
        return all.some((line) => line.includes('request completed'))
          ? all
          : undefined;
      });
      const warning = lines.find((line) => line.includes('not signing user'));
      expect(warning).toBeDefined();
      expect(JSON.parse(warning!).msg).toContain(
        `not signing user "${SHOWN_SUB}"`,
      );
      const requestLine = lines.find((line) =>
        line.includes('request completed'),
      );
      expect(JSON.parse(requestLine!)).toMatchObject({ userId: SHOWN_SUB });
      for (const line of lines) expect(line).not.toMatch(UNSEEN);
    } finally {
      await stopService(service.child);
    }
  });
});

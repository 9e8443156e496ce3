import { LOG_VALUE_MAX_CHARS } from '../../src/logging/truncate';
import { claimsFor, signJwt } from '../helpers/jwt';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';

const LONG = 10_000;
const cut = (char: string) =>
  `${char.repeat(LOG_VALUE_MAX_CHARS)}…[truncated ${LONG - LOG_VALUE_MAX_CHARS} chars]`;

/**
 * A validly signed token may carry any `sub`, and a caller picks its own User-Agent: 10 KB of
 * either must not reach a log line in full.
 */
describe.each([
  // Unknown users are refused: the id appears on the request line.
  ['deny', 'the request line'],
  // The id is taken from the token, then refused by the user rules: it is quoted in a warning too.
  ['claims', 'the request line and the warning'],
])(
  'caller-chosen values in logs (DIRECTORY_UNKNOWN_USERS=%s: %s)',
  (unknownUsers) => {
    let service: TestApp;

    beforeAll(async () => {
      service = await startTestApp({
        DIRECTORY_URL: 'sqlite://:memory:',
        DIRECTORY_UNKNOWN_USERS: unknownUsers,
      });
    });
    afterAll(() => service?.close());

    it(`cuts a 10 KB sub and user agent to ${LOG_VALUE_MAX_CHARS} characters, marked as truncated`, async () => {
      const response = await service.app.inject({
        method: 'POST',
        url: '/pusher/user-auth',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Bearer ${signJwt('HS256', TEST_JWT_SECRET, claimsFor('u'.repeat(LONG)))}`,
          'user-agent': 'a'.repeat(LONG),
        },
        payload: 'socket_id=1.2',
      });
      expect(response.statusCode).toBe(403);

      const line = service.logs.json.find(
        (entry) => entry.msg === 'request completed',
      );
      expect(line).toMatchObject({
        statusCode: 403,
        userId: cut('u'),
        userAgent: cut('a'),
      });
      if (unknownUsers === 'claims') {
        expect(service.logs.lines).toContainEqual(
          expect.stringContaining(`not signing user "${cut('u')}": id must be`),
        );
      }
      // Nowhere in full, in any line of either logger.
      const everything = [
        ...service.logs.lines,
        ...service.logs.json.map((entry) => JSON.stringify(entry)),
      ].join('\n');
      expect(everything).not.toContain('u'.repeat(LOG_VALUE_MAX_CHARS + 1));
      expect(everything).not.toContain('a'.repeat(LOG_VALUE_MAX_CHARS + 1));
    });
  },
);

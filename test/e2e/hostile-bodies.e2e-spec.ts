import { gzipSync } from 'node:zlib';
import {
  MAX_FIELDS,
  MAX_JSON_DEPTH,
  MAX_JSON_VALUES,
} from '../../src/http/body-limits';
import { claimsFor, signJwt } from '../helpers/jwt';
import { scrape } from '../helpers/metrics';
import { expectedUserAuth } from '../helpers/pusher-signature';
import {
  startTestApp,
  TEST_JWT_SECRET,
  TEST_PUSHER,
  TestApp,
} from '../helpers/test-app';

const token = () => signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'));
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** `{"socket_id":…,"channel_name":…,"x":[[…]]}`: `depth` levels, the outer object included. */
const nestedJson = (depth: number) =>
  `{"socket_id":"1.2","channel_name":"private-user-alice","x":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
const extraFields = (count: number) =>
  Array.from({ length: count }, (_, i) => `p${i}=v`);

const badRequest = (message: string) => ({
  statusCode: 400,
  message: [message],
  error: 'Bad Request',
});

/**
 * Bodies and queries an attacker shapes to cost the service: deep nesting (a stack overflow in
 * validation was a 500) and thousands of fields (CPU that grows faster than the field count).
 */
describe('hostile request shapes', () => {
  let service: TestApp;
  /** Every route that takes a body, as Fastify lists them: new ones are covered too. */
  let bodyRoutes: string[];

  beforeAll(async () => {
    service = await startTestApp({
      DIRECTORY_URL: 'sqlite://:memory:',
      JSONP_ENABLED: 'true',
      JWT_QUERY_PARAM: 'token',
    });
    await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
    const listing = service.app
      .getHttpAdapter()
      .getInstance()
      .printRoutes({ commonPrefix: false, method: 'POST' });
    // A configured app in `/apps/:app/…`: an unknown one is a 404 before its body is read.
    bodyRoutes = [...listing.matchAll(/(\/\S*) \(POST\)/g)].map(([, path]) =>
      path.replace(':app', 'default'),
    );
  });
  afterAll(() => service?.close());

  const post = (
    url: string,
    type: string,
    payload: string | Buffer,
    headers: Record<string, string> = {},
  ) =>
    service.app.inject({
      method: 'POST',
      url,
      headers: {
        'content-type': type,
        authorization: `Bearer ${token()}`,
        ...headers,
      },
      payload,
    });

  /** Identifications and error outcomes so far: a refused shape must add to neither. */
  async function costSoFar() {
    const sample = await scrape(service.app);
    let identityChecks = 0;
    let errors = 0;
    for (const strategy of ['jwt', 'none']) {
      for (const outcome of ['identified', 'declined', 'error']) {
        identityChecks += sample('pusher_auth_identity_checks_total', {
          strategy,
          outcome,
        });
      }
    }
    for (const endpoint of bodyRoutes) {
      for (const method of ['GET', 'POST']) {
        errors += sample('pusher_auth_http_requests_total', {
          endpoint,
          method,
          outcome: 'error',
        });
      }
    }
    return { identityChecks, errors };
  }

  it('finds the endpoints that take a body', () => {
    expect(bodyRoutes).toEqual(
      expect.arrayContaining(['/pusher/user-auth', '/pusher/auth']),
    );
  });

  describe('nesting', () => {
    it(`answers 400 to JSON nested deeper than ${MAX_JSON_DEPTH} levels on every endpoint, never 500`, async () => {
      const before = await costSoFar();
      for (const url of bodyRoutes) {
        // 3 000 levels (6 KB) overflowed the validation's stack; 30 000 still fit the 64 KiB limit.
        for (const depth of [MAX_JSON_DEPTH + 1, 3_000, 30_000]) {
          const response = await post(url, JSON_TYPE, nestedJson(depth));
          expect({ url, depth, status: response.statusCode }).toEqual({
            url,
            depth,
            status: 400,
          });
          expect(response.json()).toEqual(
            badRequest(
              `body must not nest deeper than ${MAX_JSON_DEPTH} levels`,
            ),
          );
        }
      }
      const after = await costSoFar();
      expect(after.errors).toBe(before.errors);
      // Refused while parsing: no token was even verified.
      expect(after.identityChecks).toBe(before.identityChecks);
      expect(
        service.logs.lines.filter((line) => /RangeError/.test(line)),
      ).toEqual([]);
      const refused = service.logs.json.filter(
        (line) => line.msg === 'request completed' && line.statusCode === 400,
      );
      expect(refused.length).toBeGreaterThanOrEqual(bodyRoutes.length * 3);
      expect(refused.every((line) => line.outcome === 'bad_request')).toBe(
        true,
      );
    });

    it(`still signs a JSON body nested ${MAX_JSON_DEPTH} levels deep`, async () => {
      const response = await post(
        '/pusher/user-auth',
        JSON_TYPE,
        nestedJson(MAX_JSON_DEPTH),
      );
      expect(response.statusCode).toBe(200);
      const { auth, user_data: userData } = response.json();
      expect(JSON.parse(userData)).toEqual({ id: 'alice' });
      expect(auth).toBe(
        expectedUserAuth(TEST_PUSHER.key, TEST_PUSHER.secret, '1.2', userData),
      );
    });

    it('keeps bracketed form keys flat: thousands of brackets nest nothing', async () => {
      const key = `x${'[a]'.repeat(5_000)}`;
      const signIn = await post(
        '/pusher/user-auth',
        FORM,
        `socket_id=1.2&${key}=1`,
      );
      expect(signIn.statusCode).toBe(200);
      const channel = await post(
        '/pusher/auth',
        FORM,
        `socket_id=1.2&channel_name${'[0]'.repeat(5_000)}=private-user-alice`,
      );
      expect(channel.statusCode).toBe(400);
      expect(channel.json()).toEqual(
        badRequest(
          'channel_name: batch keys must look like channel_name[0], channel_name[1], …',
        ),
      );
    });
  });

  describe(`field count (at most ${MAX_FIELDS})`, () => {
    it('refuses a form body with one field too many, and 8 000 fields, on every endpoint, before identifying anyone', async () => {
      const before = await costSoFar();
      for (const url of bodyRoutes) {
        for (const extra of [MAX_FIELDS - 1, 8_000]) {
          const body = [
            'socket_id=1.2',
            'channel_name=private-user-alice',
            ...extraFields(extra),
          ].join('&');
          const response = await post(url, FORM, body);
          expect({ url, extra, status: response.statusCode }).toEqual({
            url,
            extra,
            status: 400,
          });
          expect(response.json()).toEqual(
            badRequest(`body must have at most ${MAX_FIELDS} fields`),
          );
        }
      }
      const after = await costSoFar();
      expect(after.identityChecks).toBe(before.identityChecks);
      expect(after.errors).toBe(before.errors);
    });

    it('refuses a JSON body with too many top-level members on every endpoint', async () => {
      for (const url of bodyRoutes) {
        const members = {
          socket_id: '1.2',
          channel_name: 'private-user-alice',
          ...Object.fromEntries(
            Array.from({ length: MAX_FIELDS - 1 }, (_, i) => [`p${i}`, 1]),
          ),
        };
        const response = await post(url, JSON_TYPE, JSON.stringify(members));
        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual(
          badRequest(`body must have at most ${MAX_FIELDS} fields`),
        );
      }
    });

    it(`refuses a JSON body holding more than ${MAX_JSON_VALUES} values, even in one field, on every endpoint`, async () => {
      const before = await costSoFar();
      for (const url of bodyRoutes) {
        // Measured: 30 000 numbers in one dropped field cost six normal sign-ins of CPU.
        const body = `{"socket_id":"1.2","channel_name":"private-user-alice","x":[${Array(30_000).fill(0).join()}]}`;
        const response = await post(url, JSON_TYPE, body);
        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual(
          badRequest(`body must hold at most ${MAX_JSON_VALUES} values`),
        );
      }
      expect((await costSoFar()).identityChecks).toBe(before.identityChecks);
    });

    it('refuses a JSONP query with too many parameters on both JSONP endpoints', async () => {
      const before = await costSoFar();
      for (const path of ['/pusher/user-auth', '/pusher/auth']) {
        const query = [
          'socket_id=1.2',
          'channel_name=private-user-alice',
          "callback=Pusher.auth_callbacks['1']",
          `token=${token()}`,
          ...extraFields(MAX_FIELDS),
        ].join('&');
        const response = await service.app.inject({
          method: 'GET',
          url: `${path}?${query}`,
        });
        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual(
          badRequest(`query must have at most ${MAX_FIELDS} parameters`),
        );
      }
      const after = await costSoFar();
      expect(after.identityChecks).toBe(before.identityChecks);
    });

    it(`signs in with exactly ${MAX_FIELDS} fields (pusher-js params included)`, async () => {
      const body = ['socket_id=1.2', ...extraFields(MAX_FIELDS - 1)].join('&');
      const response = await post('/pusher/user-auth', FORM, body);
      expect(response.statusCode).toBe(200);
      const { auth, user_data: userData } = response.json();
      expect(auth).toBe(
        expectedUserAuth(TEST_PUSHER.key, TEST_PUSHER.secret, '1.2', userData),
      );
    });
  });

  describe('encoding (read as UTF-8, never decompressed)', () => {
    const form = 'socket_id=1.2&channel_name=private-user-alice';

    it('refuses a compressed body on every endpoint, before identifying anyone', async () => {
      const before = await costSoFar();
      for (const url of bodyRoutes) {
        for (const [type, payload] of [
          [FORM, gzipSync(form)],
          [JSON_TYPE, gzipSync(JSON.stringify({ socket_id: '1.2' }))],
          // Declared compressed, sent plain: still not read as something else.
          [FORM, Buffer.from(form)],
        ] as const) {
          const response = await post(url, type, payload, {
            'content-encoding': 'gzip',
          });
          expect({ url, type, status: response.statusCode }).toEqual({
            url,
            type,
            status: 400,
          });
          expect(response.json()).toEqual(
            badRequest('body must not be compressed (Content-Encoding)'),
          );
        }
      }
      const after = await costSoFar();
      expect(after.identityChecks).toBe(before.identityChecks);
      expect(after.errors).toBe(before.errors);
    });

    it('refuses a body in a character set other than UTF-8 on every endpoint', async () => {
      for (const url of bodyRoutes) {
        const response = await post(
          url,
          `${JSON_TYPE}; charset=utf-16le`,
          Buffer.from(JSON.stringify({ socket_id: '1.2' }), 'utf16le'),
        );
        expect({ url, status: response.statusCode }).toEqual({
          url,
          status: 400,
        });
        expect(response.json()).toEqual(
          badRequest('body must be UTF-8 (the charset of Content-Type)'),
        );
      }
    });

    it('signs a form that declares charset=UTF-8, as browsers send it', async () => {
      const response = await post(
        '/pusher/user-auth',
        `${FORM}; charset=UTF-8`,
        'socket_id=1.2',
        { 'content-encoding': 'identity' },
      );
      expect(response.statusCode).toBe(200);
      const { auth, user_data: userData } = response.json();
      expect(auth).toBe(
        expectedUserAuth(TEST_PUSHER.key, TEST_PUSHER.secret, '1.2', userData),
      );
    });
  });
});

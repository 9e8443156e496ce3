import type { InjectOptions } from 'fastify';
import { claimsFor, signJwt } from '../helpers/jwt';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';

/** The one message docs/sign-in.md documents for every bad socket_id. */
const SOCKET_ID_PROBLEM = 'socket_id must look like 1234.5678';
const FORM = 'application/x-www-form-urlencoded';
const CALLBACK = "Pusher.auth_callbacks['1']";
const CHANNEL = 'private-user-alice';
const token = () => signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice'));

/** Every endpoint that reads a socket id, each with otherwise valid fields and credentials. */
type Transport = 'form' | 'json' | 'jsonp';
const ENDPOINTS: [string, string, Record<string, string>][] = [
  ['sign-in', '/pusher/user-auth', {}],
  ['channel authorization', '/pusher/auth', { channel_name: CHANNEL }],
];

/** A socket_id entry as raw form/query text (so it can be repeated or left out) or a JSON value. */
const BAD_AS_TEXT: [string, string][] = [
  ['missing', ''],
  ['empty', 'socket_id='],
  ['with three parts', 'socket_id=1.2.3'],
  ['without a dot', 'socket_id=12'],
  ['not numeric', 'socket_id=abc.def'],
  ['negative', 'socket_id=-1.2'],
  ['padded with spaces', 'socket_id=%201.2'],
  ['given twice (an array)', 'socket_id=1.2&socket_id=3.4'],
  ['65 characters long', `socket_id=${'1'.repeat(32)}.${'2'.repeat(32)}`],
  ['10 kB long', `socket_id=${'1'.repeat(5000)}.${'2'.repeat(5000)}`],
];
const BAD_AS_JSON: [string, unknown][] = [
  ['a number', 12.34],
  ['an array', ['1.2']],
  ['an object', { $gt: '' }],
  ['null', null],
  ['a boolean', true],
];

function request(
  transport: Transport,
  path: string,
  fields: Record<string, string>,
  socketId: { text?: string; json?: unknown },
): InjectOptions {
  if (transport === 'json') {
    return {
      method: 'POST',
      url: path,
      headers: {
        authorization: `Bearer ${token()}`,
        'content-type': 'application/json',
      },
      payload: { ...fields, socket_id: socketId.json },
    };
  }
  const text = [new URLSearchParams(fields).toString(), socketId.text]
    .filter((part) => part)
    .join('&');
  if (transport === 'form') {
    return {
      method: 'POST',
      url: path,
      headers: { authorization: `Bearer ${token()}`, 'content-type': FORM },
      payload: text,
    };
  }
  const query = new URLSearchParams({ callback: CALLBACK, token: token() });
  return { method: 'GET', url: `${path}?${query.toString()}&${text}` };
}

describe('every bad socket_id gets the one documented message', () => {
  let service: TestApp;

  beforeAll(async () => {
    service = await startTestApp({
      DIRECTORY_URL: 'sqlite://:memory:',
      JSONP_ENABLED: 'true',
      JWT_QUERY_PARAM: 'token',
    });
    await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
  });
  afterAll(() => service?.close());

  describe.each(ENDPOINTS)('on %s (%s)', (_name, path, fields) => {
    describe.each<Transport>(['form', 'jsonp'])('as %s', (transport) => {
      it.each(BAD_AS_TEXT)(
        'answers 400 when socket_id is %s',
        async (_case, text) => {
          const response = await service.app.inject(
            request(transport, path, fields, { text }),
          );
          expect(response.statusCode).toBe(400);
          expect(response.json()).toEqual({
            statusCode: 400,
            message: [SOCKET_ID_PROBLEM],
            error: 'Bad Request',
          });
        },
      );

      it('signs a socket_id of exactly 64 characters', async () => {
        const longest = `${'1'.repeat(31)}.${'2'.repeat(32)}`;
        const response = await service.app.inject(
          request(transport, path, fields, { text: `socket_id=${longest}` }),
        );
        expect(response.statusCode).toBe(200);
        expect(response.body).toMatch(/"auth":"test-key:[0-9a-f]{64}"/);
      });
    });

    it.each(BAD_AS_JSON)(
      'answers 400 when a JSON socket_id is %s',
      async (_case, json) => {
        const response = await service.app.inject(
          request('json', path, fields, { json }),
        );
        expect(response.statusCode).toBe(400);
        expect(response.json().message).toEqual([SOCKET_ID_PROBLEM]);
      },
    );
  });
});

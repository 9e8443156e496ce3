import { FakeIdentityProvider, idpKey } from '../helpers/fake-idp';
import { claimsFor, signJwt, signJwtText } from '../helpers/jwt';
import { expectedUserAuth } from '../helpers/pusher-signature';
import {
  startTestApp,
  TEST_JWT_SECRET,
  TEST_PUSHER,
  TestApp,
} from '../helpers/test-app';
import { expectForbidden } from '../helpers/forbidden';

const AUDIENCE = 'pusher-auth';
const TOLERANCE_S = 30;
const TEN_YEARS_S = 10 * 365 * 24 * 3600;
const REMOTE_KEY = idpKey('k1');

interface KeySource {
  start(): Promise<{
    service: TestApp;
    sign(iat: unknown): string;
    /** Signs `{"sub":"alice", <claims>}`, the claims written as JSON text. */
    signText(claimsJson: string): string;
  }>;
  stop(): Promise<void>;
}

const staticKey = (): KeySource => {
  let service: TestApp;
  return {
    async start() {
      service = await startTestApp({ DIRECTORY_URL: 'sqlite://:memory:' });
      return {
        service,
        sign: (iat) =>
          signJwt('HS256', TEST_JWT_SECRET, claimsFor('alice', { iat })),
        signText: (claimsJson) =>
          signJwtText(
            'HS256',
            TEST_JWT_SECRET,
            `{"sub":"alice",${claimsJson}}`,
          ),
      };
    },
    stop: () => service?.close(),
  };
};

const remoteKeys = (): KeySource => {
  let idp: FakeIdentityProvider;
  let service: TestApp;
  return {
    async start() {
      idp = await FakeIdentityProvider.start('/realms/demo');
      idp.keys = [REMOTE_KEY];
      service = await startTestApp({
        JWT_SECRET: '',
        DIRECTORY_URL: 'sqlite://:memory:',
        OIDC_ISSUER: idp.issuer,
        JWT_AUDIENCE: AUDIENCE,
      });
      return {
        service,
        sign: (iat) =>
          idp.sign(
            REMOTE_KEY,
            claimsFor('alice', { iss: idp.issuer, aud: AUDIENCE, iat }),
          ),
        signText: (claimsJson) =>
          signJwtText(
            REMOTE_KEY.alg,
            REMOTE_KEY.privateKey,
            `{"sub":"alice","iss":${JSON.stringify(idp.issuer)},"aud":"${AUDIENCE}",${claimsJson}}`,
            { kid: REMOTE_KEY.kid },
          ),
      };
    },
    async stop() {
      await service?.close();
      await idp?.stop();
    },
  };
};

describe.each([
  ['a static key (JWT_SECRET)', staticKey],
  ['remote keys (OIDC_ISSUER)', remoteKeys],
])(
  `the time claims with %s and JWT_CLOCK_TOLERANCE_S=${TOLERANCE_S}`,
  (_name, source) => {
    const keys = source();
    let service: TestApp;
    let sign: (iat: unknown) => string;
    let signText: (claimsJson: string) => string;

    beforeAll(async () => {
      ({ service, sign, signText } = await keys.start());
      await service.seed({ id: 'alice', userInfo: null, watchlist: [] });
    });
    afterAll(() => keys.stop());

    const signIn = (token: string) =>
      service.app.inject({
        method: 'POST',
        url: '/pusher/user-auth',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Bearer ${token}`,
        },
        payload: 'socket_id=1.2',
      });
    const nowS = () => Math.floor(Date.now() / 1000);

    it.each([
      ['a word', 'yesterday'],
      ['a numeric string', String(nowS())],
      ['null', null],
      ['an array', [nowS()]],
    ])('refuses a token whose iat is %s with 403', async (_kind, iat) => {
      const response = await signIn(sign(iat));
      expectForbidden(response);
    });

    it.each([
      ['ten years ahead', TEN_YEARS_S],
      ['an hour ahead', 3600],
      ['twice the tolerance ahead', 2 * TOLERANCE_S],
    ])('refuses a token issued %s with 403', async (_when, aheadS) => {
      const response = await signIn(sign(nowS() + aheadS));
      expect(response.statusCode).toBe(403);
    });

    it.each([
      ['now', 0],
      ['an hour ago', -3600],
      // A little clock skew between the issuer and this service is what the tolerance is for.
      ['within the tolerance ahead', TOLERANCE_S / 2],
    ])('signs in with a token issued %s', async (_when, offsetS) => {
      const response = await signIn(sign(nowS() + offsetS));
      expect(response.statusCode).toBe(200);
      const { auth, user_data: userData } = response.json();
      expect(auth).toBe(
        expectedUserAuth(TEST_PUSHER.key, TEST_PUSHER.secret, '1.2', userData),
      );
    });

    // JSON.parse reads 1e400 as Infinity: valid forever, had only the type been checked.
    it.each([
      ['exp', '1e400'],
      ['exp', '1e300'],
      ['exp', '"9999999999"'],
      ['exp', 'null'],
      ['exp', '-1'],
      ['nbf', '1e400'],
      ['nbf', '-1e400'],
      ['nbf', '"0"'],
      ['iat', '1e400'],
      ['iat', '-1'],
    ])('refuses a token whose %s is %s with 403', async (claim, value) => {
      const times: Record<string, string> = {
        exp: String(nowS() + 3600),
        [claim]: value,
      };
      const claimsJson = Object.entries(times)
        .map(([name, text]) => `"${name}":${text}`)
        .join(',');
      const response = await signIn(signText(claimsJson));
      expect(response.statusCode).toBe(403);
      // The same token with sane time claims signs: only the claim under test refused it.
      const sane = await signIn(
        signText(`"exp":${nowS() + 3600},"nbf":${nowS() - 10}`),
      );
      expect(sane.statusCode).toBe(200);
    });

    it('signs in with a token without iat (the claim is optional)', async () => {
      const response = await signIn(sign(undefined));
      expect(response.statusCode).toBe(200);
    });

    it('says why in a debug line: the claim type, or its value', async () => {
      const before = service.logs.lines.length;
      await signIn(sign('yesterday'));
      await signIn(sign(nowS() + TEN_YEARS_S));
      const added = service.logs.lines
        .slice(before)
        .filter((line) => line.includes('token refused'));
      expect(added).toEqual([
        expect.stringMatching(
          /^debug token refused: FAST_JWT_INVALID_CLAIM_TYPE\b/,
        ),
        expect.stringMatching(
          /^debug token refused: FAST_JWT_INVALID_CLAIM_VALUE\b/,
        ),
      ]);
    });
  },
);

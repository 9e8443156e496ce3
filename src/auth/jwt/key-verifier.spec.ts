import { createSign, generateKeyPairSync } from 'node:crypto';
import { TokenError } from 'fast-jwt';
import { loadServiceConfig } from '../../extensions/service-config';
import { createKeyVerifier, refusalCode } from './key-verifier';
import { jwtSettingsOf } from './dev-token';

const { publicKey, privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
});
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** An RS256 token signed with node:crypto directly, not by the library under test. */
function rs256(claims: Record<string, unknown>): string {
  const encode = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256')
    .update(input)
    .sign(privateKey)
    .toString('base64url');
  return `${input}.${signature}`;
}

function verifier() {
  const config = loadServiceConfig({
    PUSHER_APP_ID: '1',
    PUSHER_KEY: 'key',
    PUSHER_SECRET: 'secret',
    JWT_PUBLIC_KEY: PUBLIC_PEM,
    JWT_ALGORITHMS: 'RS256',
  });
  const jwt = jwtSettingsOf(config)!;
  return createKeyVerifier(jwt, PUBLIC_PEM, ['RS256']);
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('a key verifier', () => {
  it('accepts a token signed with the key and answers its claims', () => {
    expect(verifier()(rs256({ sub: 'alice', exp: inAnHour() }))).toMatchObject({
      sub: 'alice',
    });
  });

  it('refuses a bad signature and an expired token with their codes', () => {
    const verify = verifier();
    const good = rs256({ sub: 'alice', exp: inAnHour() });
    const forged = `${good.slice(0, good.lastIndexOf('.'))}.${'A'.repeat(342)}`;
    const refusal = (token: string) => {
      try {
        verify(token);
        return 'accepted';
      } catch (error) {
        expect(error).toBeInstanceOf(TokenError);
        return refusalCode(error);
      }
    };
    expect(refusal(forged)).toBe(TokenError.codes.invalidSignature);
    expect(
      refusal(
        rs256({ sub: 'alice', exp: Math.floor(Date.now() / 1000) - 120 }),
      ),
    ).toBe(TokenError.codes.expired);
  });

  it('leaves Error.stackTraceLimit as it found it, whether the token passes or not', () => {
    const verify = verifier();
    const before = Error.stackTraceLimit;
    Error.stackTraceLimit = 7;
    try {
      verify(rs256({ sub: 'alice', exp: inAnHour() }));
      expect(Error.stackTraceLimit).toBe(7);
      expect(() => verify('not.a.token')).toThrow();
      expect(Error.stackTraceLimit).toBe(7);
      expect(new Error('after').stack).toContain('key-verifier.spec');
    } finally {
      Error.stackTraceLimit = before;
    }
  });
});

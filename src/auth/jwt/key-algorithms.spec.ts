import { generateKeyPairSync } from 'node:crypto';
import {
  algorithmsForPublicKey,
  ASYMMETRIC_ALGORITHMS,
  chooseAlgorithms,
} from './key-algorithms';

describe('key classification', () => {
  it.each([
    [
      'an RSA key',
      generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey,
      ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
    ],
    [
      'an RSA-PSS key',
      generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey,
      ['PS256', 'PS384', 'PS512'],
    ],
    [
      'a P-256 key',
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
      ['ES256'],
    ],
    [
      'a P-384 key',
      generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey,
      ['ES384'],
    ],
    [
      'a P-521 key',
      generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey,
      ['ES512'],
    ],
    ['an Ed25519 key', generateKeyPairSync('ed25519').publicKey, ['EdDSA']],
  ])('allows %s exactly its own algorithms', (_type, key, algorithms) => {
    expect(algorithmsForPublicKey(key, 'the key')).toEqual({ algorithms });
  });

  it.each([
    [
      'an RSA key under 2048 bits',
      generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey,
      'K: RSA keys must have at least 2048 bits',
    ],
    [
      'another EC curve',
      generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey,
      'K: EC keys must use P-256, P-384 or P-521',
    ],
    [
      'a key type JWTs do not sign with',
      generateKeyPairSync('x25519').publicKey,
      'K: unsupported key type x25519',
    ],
  ])('refuses %s, naming the key', (_type, key, problem) => {
    expect(algorithmsForPublicKey(key, 'K')).toEqual({ problem });
  });
});

describe('chooseAlgorithms', () => {
  const notAllowed = (name: string) => `${name} is not for this key`;

  it('falls back to the key’s own algorithms when none is requested', () => {
    const problems: string[] = [];
    expect(
      chooseAlgorithms([], ['ES256'], notAllowed, problems, ['ES256']),
    ).toEqual(['ES256']);
    expect(problems).toEqual([]);
  });

  it('keeps what the key allows and names every other request', () => {
    const problems: string[] = [];
    const chosen = chooseAlgorithms(
      ['RS256', 'HS256', 'None', 'XS1'],
      ASYMMETRIC_ALGORITHMS,
      notAllowed,
      problems,
    );
    expect(chosen).toEqual(['RS256']);
    expect(problems).toEqual([
      'JWT_ALGORITHMS: HS256 is not for this key',
      'JWT_ALGORITHMS: "none" is never allowed',
      'JWT_ALGORITHMS: unknown algorithm XS1',
    ]);
  });
});

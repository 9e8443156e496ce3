import { generateKeyPairSync, KeyObject } from 'node:crypto';

export interface TestKeyPair {
  privateKey: KeyObject;
  publicPem: string;
}

function pair(keys: {
  privateKey: KeyObject;
  publicKey: KeyObject;
}): TestKeyPair {
  return {
    privateKey: keys.privateKey,
    publicPem: keys.publicKey
      .export({ type: 'spki', format: 'pem' })
      .toString(),
  };
}

export const rsaKeyPair = (bits = 2048) =>
  pair(generateKeyPairSync('rsa', { modulusLength: bits }));
export const ecKeyPair = (namedCurve = 'P-256') =>
  pair(generateKeyPairSync('ec', { namedCurve }));
export const ed25519KeyPair = () => pair(generateKeyPairSync('ed25519'));

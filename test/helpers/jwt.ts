import { constants, createHmac, KeyObject, sign } from 'node:crypto';

/**
 * A JWT signer written for the tests with node:crypto alone, independent of the library the
 * service verifies with. It can also forge what no library will: `alg: none`, HS256 keyed with
 * a public key's PEM, wrong signatures.
 */
export type SigningKey = string | Buffer | KeyObject;

const b64url = (data: Buffer | string): string =>
  Buffer.from(data).toString('base64url');

export function encodeJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signature: Buffer | string = '',
): string {
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${typeof signature === 'string' ? signature : b64url(signature)}`;
}

export function signJwt(
  alg: string,
  key: SigningKey,
  payload: Record<string, unknown>,
  extraHeader: Record<string, unknown> = {},
): string {
  return signJwtText(alg, key, JSON.stringify(payload), extraHeader);
}

/** Signs a payload written as JSON text: numbers JSON.stringify cannot write (`1e400`) included. */
export function signJwtText(
  alg: string,
  key: SigningKey,
  payloadJson: string,
  extraHeader: Record<string, unknown> = {},
): string {
  const header = { alg, typ: 'JWT', ...extraHeader };
  const input = `${b64url(JSON.stringify(header))}.${b64url(payloadJson)}`;
  return `${input}.${b64url(signatureFor(alg, key, input))}`;
}

function signatureFor(alg: string, key: SigningKey, input: string): Buffer {
  const bits = alg.slice(2);
  const hash = `sha${bits}`;
  switch (alg.slice(0, 2)) {
    case 'HS':
      return createHmac(hash, key).update(input).digest();
    case 'RS':
      return sign(hash, Buffer.from(input), key);
    case 'PS':
      return sign(hash, Buffer.from(input), {
        key: key as KeyObject,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: Number(bits) / 8,
      });
    case 'ES':
      return sign(hash, Buffer.from(input), {
        key: key as KeyObject,
        dsaEncoding: 'ieee-p1363',
      });
    case 'Ed':
      return sign(null, Buffer.from(input), key);
    default:
      throw new Error(`test signer: unknown alg ${alg}`);
  }
}

/** Claims that pass every check, valid for an hour. */
export function claimsFor(
  sub: unknown,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { sub, iat: now, exp: now + 3600, ...extra };
}

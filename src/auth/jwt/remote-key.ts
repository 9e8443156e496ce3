import { createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';
import type { JwtSettings } from './jwt.settings';
import { algorithmsForPublicKey, JwtAlgorithm } from './key-algorithms';
import { createKeyVerifier, KeyVerifier } from './key-verifier';

/** One usable key of a JWKS, with the verifier built for it when the set was fetched. */
export interface RemoteKey {
  kid?: string;
  algorithms: JwtAlgorithm[];
  verify: KeyVerifier;
}

/** Members that make up a public key; anything else in a JWK (x5c, x5u...) is ignored. */
const PUBLIC_MEMBERS = ['kty', 'crv', 'n', 'e', 'x', 'y'] as const;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

/**
 * Turns a JWK into a key, or says why it is skipped. The allowlist is explicit per key: the
 * JWK's `alg`, else every algorithm its `kty`/`crv` can verify, narrowed by `JWT_ALGORITHMS`;
 * never an HMAC (a published symmetric key is no secret).
 */
export function remoteKeyFromJwk(
  jwk: unknown,
  jwt: JwtSettings,
  allowlist: readonly JwtAlgorithm[],
): RemoteKey | { skipped: string } {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    return { skipped: 'not a JSON object' };
  }
  const members = jwk as Record<string, unknown>;
  const { kty, use, key_ops: keyOps, alg, kid } = members;
  if (kty === 'oct') {
    return { skipped: 'a symmetric key is never accepted from a JWKS' };
  }
  if (PRIVATE_MEMBERS.some((name) => name in members)) {
    // Whoever can read the JWKS can sign with it: trusting it would let anyone in.
    return { skipped: 'it publishes private key material' };
  }
  if (use !== undefined && use !== 'sig') return { skipped: 'use is not sig' };
  if (
    keyOps !== undefined &&
    !(Array.isArray(keyOps) && keyOps.includes('verify'))
  ) {
    return { skipped: 'key_ops does not include verify' };
  }
  if (kid !== undefined && typeof kid !== 'string') {
    return { skipped: 'kid is not a string' };
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: publicMembers(members), format: 'jwk' });
  } catch {
    return { skipped: 'not a readable public key' };
  }
  const fitting = algorithmsForPublicKey(key, 'the key');
  if ('problem' in fitting) return { skipped: fitting.problem };
  let algorithms = fitting.algorithms;
  if (alg !== undefined) {
    if (!algorithms.includes(alg as JwtAlgorithm)) {
      return { skipped: 'its alg does not fit its key type' };
    }
    algorithms = [alg as JwtAlgorithm];
  }
  if (allowlist.length > 0) {
    algorithms = algorithms.filter((name) => allowlist.includes(name));
    if (algorithms.length === 0) {
      return { skipped: 'none of its algorithms is in JWT_ALGORITHMS' };
    }
  }
  const pem = key.export({ type: 'spki', format: 'pem' }).toString();
  return {
    kid: kid,
    algorithms,
    verify: createKeyVerifier(jwt, pem, algorithms),
  };
}

function publicMembers(members: Record<string, unknown>): JsonWebKey {
  const picked: Record<string, unknown> = {};
  for (const name of PUBLIC_MEMBERS) {
    if (members[name] !== undefined) picked[name] = members[name];
  }
  return picked;
}

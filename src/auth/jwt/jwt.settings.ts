import { createPublicKey, KeyObject } from 'node:crypto';
import type { Env } from './env.schema';

export type JwtAlgorithm =
  | 'HS256'
  | 'HS384'
  | 'HS512'
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA';

const HMAC: JwtAlgorithm[] = ['HS256', 'HS384', 'HS512'];
const RSA_PSS: JwtAlgorithm[] = ['PS256', 'PS384', 'PS512'];
const RSA: JwtAlgorithm[] = ['RS256', 'RS384', 'RS512', ...RSA_PSS];
const EC_BY_CURVE: Record<string, JwtAlgorithm> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};
const ALL: readonly string[] = [
  ...HMAC,
  ...RSA,
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** Shorter HMAC secrets can be brute-forced offline from a single token. */
export const MIN_SECRET_BYTES = 32;
const MIN_RSA_BITS = 2048;

export interface JwtKey {
  kind: 'secret' | 'public';
  /** The HMAC secret, or the public key re-encoded as SPKI PEM. */
  material: string;
}

/** Keys fetched from the identity provider (`JWT_JWKS_URI` or `OIDC_ISSUER`), cached by (issuer, kid). */
export interface RemoteKeysConfig {
  /** `JWT_JWKS_URI`; absent when it is discovered from `discoveryIssuer`. */
  jwksUri?: string;
  /** `OIDC_ISSUER`: its `/.well-known/openid-configuration` names the JWKS. */
  discoveryIssuer?: string;
  /** Limit on each discovery or JWKS request. @default 5000 */
  timeoutMs: number;
  /** How long a fetched key set is used before it is refreshed. @default 600000 */
  cacheTtlMs: number;
  /** Least time between two fetches caused by unknown `kid`s (forged tokens cost no fetches). @default 30000 */
  cooldownMs: number;
}

export interface JwtConfig {
  /** The static key; absent when the `jwt` strategy is not enabled or keys are remote. */
  key?: JwtKey;
  /** Remote keys instead of a static key (never both). */
  remote?: RemoteKeysConfig;
  /**
   * Explicit allowlist; `none` is never in it, HS* never with a public or remote key.
   * @default every algorithm the static key can verify; for remote keys, each JWK's `alg` (or its `kty`/`crv`)
   */
  algorithms: JwtAlgorithm[];
  /** Required `iss` when set (always set with remote keys; `OIDC_ISSUER` with discovery). */
  issuer?: string;
  /** Accepted audiences; the token must name one of them when set. @default [] (not checked) */
  audience: string[];
  /** Claim holding the audience (Cognito access tokens: `client_id`). @default 'aud' */
  audienceClaim: string;
  /** @default 30 */
  clockToleranceS: number;
  /** @default 'sub' */
  userIdClaim: string;
  /** Query/body parameter that may carry the token (the only way JSONP authenticates). */
  queryParam?: string;
}

/** Builds the `jwt` strategy's section, appending every problem found to `problems`. */
export function buildJwtConfig(env: Env, problems: string[]): JwtConfig {
  const section: JwtConfig = {
    algorithms: [],
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    audienceClaim: env.JWT_AUDIENCE_CLAIM,
    clockToleranceS: env.JWT_CLOCK_TOLERANCE_S,
    userIdClaim: env.JWT_USER_ID_CLAIM,
    queryParam: env.JWT_QUERY_PARAM,
  };
  if (env.JWT_JWKS_URI || env.OIDC_ISSUER) {
    return withRemoteKeys(section, env, problems);
  }
  const keyed = readKey(env, problems);
  if (!keyed) return section;
  section.key = keyed.key;
  section.algorithms = chooseAlgorithms(
    env.JWT_ALGORITHMS,
    keyed.compatible,
    (name) =>
      `${name} cannot be used with the key in ${keyed.source} (allowed: ${keyed.compatible.join(', ')})`,
    problems,
    keyed.compatible,
  );
  return section;
}

interface KeyWithAlgorithms {
  key: JwtKey;
  compatible: JwtAlgorithm[];
  source: 'JWT_SECRET' | 'JWT_PUBLIC_KEY';
}

function readKey(env: Env, problems: string[]): KeyWithAlgorithms | undefined {
  const { JWT_SECRET: secret, JWT_PUBLIC_KEY: publicKey } = env;
  if (secret && publicKey) {
    problems.push(
      'JWT_SECRET and JWT_PUBLIC_KEY are both set: configure one key source for the jwt strategy',
    );
    return undefined;
  }
  if (secret) return readSecret(secret, problems);
  if (publicKey) return readPublicKey(publicKey, problems);
  problems.push(
    'the jwt strategy needs a key: set JWT_SECRET (HS*), JWT_PUBLIC_KEY (PEM), or JWT_JWKS_URI / OIDC_ISSUER (remote keys)',
  );
  return undefined;
}

function readSecret(
  secret: string,
  problems: string[],
): KeyWithAlgorithms | undefined {
  if (secret.includes('-----BEGIN')) {
    // A PEM used as an HMAC secret is the classic key-confusion mistake.
    problems.push(
      'JWT_SECRET holds a PEM key: put public keys in JWT_PUBLIC_KEY',
    );
    return undefined;
  }
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    problems.push(`JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes long`);
    return undefined;
  }
  return {
    key: { kind: 'secret', material: secret },
    compatible: HMAC,
    source: 'JWT_SECRET',
  };
}

function readPublicKey(
  text: string,
  problems: string[],
): KeyWithAlgorithms | undefined {
  // Single-line env files often carry PEMs with literal "\n" sequences.
  const pem = text.includes('\\n') ? text.replace(/\\n/g, '\n') : text;
  if (/PRIVATE KEY-----/.test(pem)) {
    problems.push(
      'JWT_PUBLIC_KEY holds a private key: give this service only the public key',
    );
    return undefined;
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    problems.push(
      'JWT_PUBLIC_KEY is not a readable PEM public key or certificate',
    );
    return undefined;
  }
  const compatible = algorithmsForPublicKey(key, problems);
  if (!compatible) return undefined;
  const material = key.export({ type: 'spki', format: 'pem' }).toString();
  return {
    key: { kind: 'public', material },
    compatible,
    source: 'JWT_PUBLIC_KEY',
  };
}

function algorithmsForPublicKey(
  key: KeyObject,
  problems: string[],
  label = 'JWT_PUBLIC_KEY',
): JwtAlgorithm[] | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      if ((details.modulusLength ?? 0) < MIN_RSA_BITS) {
        problems.push(
          `${label}: RSA keys must have at least ${MIN_RSA_BITS} bits`,
        );
        return undefined;
      }
      return key.asymmetricKeyType === 'rsa' ? RSA : RSA_PSS;
    case 'ec': {
      const algorithm = EC_BY_CURVE[details.namedCurve ?? ''];
      if (!algorithm) {
        problems.push(`${label}: EC keys must use P-256, P-384 or P-521`);
        return undefined;
      }
      return [algorithm];
    }
    case 'ed25519':
    case 'ed448':
      return ['EdDSA'];
    default:
      problems.push(
        `${label}: unsupported key type ${String(key.asymmetricKeyType)}`,
      );
      return undefined;
  }
}

/**
 * `JWT_ALGORITHMS` checked against what the key source can verify; with nothing requested, every
 * algorithm of `fallback` (the key's own). `none` and unknown names are always refused.
 */
function chooseAlgorithms(
  requested: string[],
  allowed: readonly string[],
  notAllowed: (name: string) => string,
  problems: string[],
  fallback: JwtAlgorithm[] = [],
): JwtAlgorithm[] {
  if (requested.length === 0) return fallback;
  const chosen: JwtAlgorithm[] = [];
  for (const name of requested) {
    if (name.toLowerCase() === 'none') {
      problems.push('JWT_ALGORITHMS: "none" is never allowed');
    } else if (!ALL.includes(name)) {
      problems.push(`JWT_ALGORITHMS: unknown algorithm ${name}`);
    } else if (!allowed.includes(name)) {
      problems.push(`JWT_ALGORITHMS: ${notAllowed(name)}`);
    } else {
      chosen.push(name as JwtAlgorithm);
    }
  }
  return chosen;
}

/**
 * One key source per strategy: a token's header only picks a `kid`, so mixing a static key with
 * a JWKS would make the allowlist ambiguous and invite key confusion.
 */
function withRemoteKeys(
  section: JwtConfig,
  env: Env,
  problems: string[],
): JwtConfig {
  if (env.JWT_SECRET || env.JWT_PUBLIC_KEY) {
    problems.push(
      'JWT_JWKS_URI/OIDC_ISSUER and JWT_SECRET/JWT_PUBLIC_KEY are both set: configure one key source for the jwt strategy',
    );
  }
  if (env.JWT_JWKS_URI && env.OIDC_ISSUER) {
    problems.push(
      'set JWT_JWKS_URI (with JWT_ISSUER) or OIDC_ISSUER (discovery), not both',
    );
  }
  if (env.OIDC_ISSUER && env.JWT_ISSUER && env.JWT_ISSUER !== env.OIDC_ISSUER) {
    problems.push(
      'JWT_ISSUER differs from OIDC_ISSUER: leave JWT_ISSUER unset, OIDC_ISSUER is the issuer enforced',
    );
  }
  const issuer = env.OIDC_ISSUER ?? env.JWT_ISSUER;
  if (!issuer) {
    // Some key sets sign for many tenants (Entra ID's common keys): only iss tells them apart.
    problems.push(
      'JWT_ISSUER is required with JWT_JWKS_URI: keys from a JWKS verify only tokens of their issuer',
    );
  }
  if (section.audience.length === 0) {
    problems.push(
      'JWT_AUDIENCE is required with remote keys: an identity provider signs tokens for many applications',
    );
  }
  section.issuer = issuer;
  section.remote = {
    jwksUri: env.JWT_JWKS_URI,
    discoveryIssuer: env.OIDC_ISSUER,
    timeoutMs: env.JWT_JWKS_TIMEOUT_MS,
    cacheTtlMs: env.JWT_JWKS_CACHE_TTL_MS,
    cooldownMs: env.JWT_JWKS_COOLDOWN_MS,
  };
  section.algorithms = chooseAlgorithms(
    env.JWT_ALGORITHMS,
    REMOTE_ALLOWED,
    (name) =>
      `${name} is never used with remote keys (allowed: ${REMOTE_ALLOWED.join(', ')})`,
    problems,
  );
  return section;
}

/** Asymmetric algorithms only: an HMAC "key" published in a JWKS would be public. */
const REMOTE_ALLOWED: readonly string[] = ALL.filter(
  (name) => !HMAC.includes(name as JwtAlgorithm),
);

/** The algorithms a public key can verify, or undefined (with the reason) when it is unusable. */
export function algorithmsForKeyObject(
  key: KeyObject,
  label: string,
): { algorithms: JwtAlgorithm[] } | { problem: string } {
  const problems: string[] = [];
  const algorithms = algorithmsForPublicKey(key, problems, label);
  return algorithms ? { algorithms } : { problem: problems[0] };
}

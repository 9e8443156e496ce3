import { createPublicKey, KeyObject } from 'node:crypto';
import { EXAMPLE_JWT_SECRET, PUBLIC_SECRETS } from '../../config/demo-mode';
import type { BootContext } from '../../plugin/plugin-context';
import type { JwtVariables } from './jwt.settings';
import {
  algorithmsForPublicKey,
  chooseAlgorithms,
  HMAC_ALGORITHMS,
  JwtAlgorithm,
  MIN_SECRET_BYTES,
} from './key-algorithms';

/** The key configured at boot: `JWT_SECRET` (HS*) or `JWT_PUBLIC_KEY` (PEM). */
export interface StaticJwtKey {
  readonly source: 'static';
  readonly kind: 'secret' | 'public';
  /** The HMAC secret, or the public key re-encoded as SPKI PEM. */
  readonly material: string;
  /** `JWT_ALGORITHMS`, each one the key can verify. @default every algorithm the key can verify */
  readonly algorithms: JwtAlgorithm[];
  /** `JWT_ISSUER`: the `iss` every token must name, when set. */
  readonly issuer?: string;
}

/** Reads the static key, appending every problem found to `problems`. */
export function readStaticKey(
  vars: JwtVariables,
  boot: BootContext,
  problems: string[],
): StaticJwtKey | undefined {
  const { JWT_SECRET: secret, JWT_PUBLIC_KEY: publicKey } = vars;
  if (secret && publicKey) {
    problems.push(
      'JWT_SECRET and JWT_PUBLIC_KEY are both set: configure one key source for the jwt strategy',
    );
    return undefined;
  }
  let key: KeyWithAlgorithms | undefined;
  if (secret) key = readSecret(secret, problems);
  else if (publicKey) key = readPublicKey(publicKey, problems);
  else {
    problems.push(
      'the jwt strategy needs a key: set JWT_SECRET (HS*), JWT_PUBLIC_KEY (PEM), or JWT_JWKS_URI / OIDC_ISSUER (remote keys)',
    );
  }
  if (!key) return undefined;
  const source = key.kind === 'secret' ? 'JWT_SECRET' : 'JWT_PUBLIC_KEY';
  const found = problems.length;
  const algorithms = chooseAlgorithms(
    vars.JWT_ALGORITHMS,
    key.compatible,
    (name) =>
      `${name} cannot be used with the key in ${source} (allowed: ${key.compatible.join(', ')})`,
    problems,
    key.compatible,
  );
  if (
    boot.production &&
    key.kind === 'secret' &&
    PUBLIC_SECRETS.includes(key.material)
  ) {
    problems.push('JWT_SECRET is the public demo secret: generate your own');
  }
  if (boot.production && key.material === EXAMPLE_JWT_SECRET) {
    problems.push(
      'JWT_SECRET is the development secret from .env.example: use your own',
    );
  }
  if (problems.length > found) return undefined;
  return {
    source: 'static',
    kind: key.kind,
    material: key.material,
    algorithms,
    issuer: vars.JWT_ISSUER,
  };
}

interface KeyWithAlgorithms {
  kind: 'secret' | 'public';
  material: string;
  compatible: JwtAlgorithm[];
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
  return { kind: 'secret', material: secret, compatible: [...HMAC_ALGORITHMS] };
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
  const fitting = algorithmsForPublicKey(key, 'JWT_PUBLIC_KEY');
  if ('problem' in fitting) {
    problems.push(fitting.problem);
    return undefined;
  }
  return {
    kind: 'public',
    material: key.export({ type: 'spki', format: 'pem' }).toString(),
    compatible: fitting.algorithms,
  };
}

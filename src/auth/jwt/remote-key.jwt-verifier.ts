import { Logger } from '@nestjs/common';
import { JwksSource } from './jwks-source';
import type { JwtSettings } from './jwt.settings';
import { JwtVerifier } from './jwt-verifier';
import { Claims, refusalCode } from './key-verifier';
import type { RemoteKey } from './remote-key';
import { RemoteKeySet } from './remote-key-set';
import type { RemoteJwtKeys } from './remote-keys.settings';

/**
 * Verifies with the identity provider's published keys, chosen by the token's `kid`. Keys named
 * inside a token (`jku`, `x5u`, `jwk`, `x5c`) are never fetched or trusted: only `kid` is read,
 * and only to pick among keys fetched from the configured JWKS.
 */
export class RemoteKeyJwtVerifier extends JwtVerifier {
  private readonly logger = new Logger('JwtStrategy');
  private readonly keys: RemoteKeySet;

  constructor(settings: JwtSettings, remote: RemoteJwtKeys) {
    super();
    this.keys = new RemoteKeySet(new JwksSource(remote), settings, remote);
  }

  verify(token: string): Claims | null | Promise<Claims | null> {
    const kid = kidOf(token);
    if (kid === null) {
      this.logger.debug('token refused: FAST_JWT_MALFORMED');
      return null;
    }
    const key = this.keys.find(kid);
    return key instanceof Promise
      ? key.then((found) => this.check(token, found))
      : this.check(token, key);
  }

  private check(token: string, key: RemoteKey | undefined): Claims | null {
    if (!key) {
      this.logger.debug('token refused: no key with its kid');
      return null;
    }
    try {
      return key.verify(token);
    } catch (error) {
      this.logger.debug(`token refused: ${refusalCode(error)}`);
      return null;
    }
  }
}

/** The header's `kid` (undefined when absent), or null when the header cannot be read. */
function kidOf(token: string): string | undefined | null {
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  try {
    const header: unknown = JSON.parse(
      Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'),
    );
    if (typeof header !== 'object' || header === null) return null;
    const { kid } = header as { kid?: unknown };
    if (kid === undefined) return undefined;
    return typeof kid === 'string' && kid.length > 0 && kid.length <= 256
      ? kid
      : null;
  } catch {
    return null;
  }
}

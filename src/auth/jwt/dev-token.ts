import { createSigner } from 'fast-jwt';
import type { AppConfig } from '../../config/app-config';
import type { JwtConfig } from '../../config/jwt.config';
import { JWT_STRATEGY } from '../strategy-names';

/**
 * Why this configuration cannot mint a token to try the service with, or undefined when it can:
 * only outside production, and only with the HMAC secret the service itself verifies with.
 */
export function devTokenRefusal(config: AppConfig): string | undefined {
  if (config.production) {
    return 'tokens are not minted with NODE_ENV=production: real tokens come from your identity provider or your backend';
  }
  if (!config.strategies.includes(JWT_STRATEGY)) {
    return 'the jwt strategy is not in AUTH_STRATEGIES, so the service would not accept a token';
  }
  if (config.jwt.remote) {
    return 'the jwt keys are remote (JWT_JWKS_URI / OIDC_ISSUER): only your identity provider can sign tokens for them';
  }
  if (config.jwt.key?.kind !== 'secret') {
    return 'JWT_PUBLIC_KEY is set: tokens are signed with its private key, which this service never holds';
  }
  return undefined;
}

/**
 * A token the service accepts for `userId` for `ttlS` seconds: signed with the configured secret
 * and the first allowed algorithm, carrying the issuer and audience the service requires.
 * Call only when `devTokenRefusal` found nothing.
 */
export function mintDevToken(
  jwt: JwtConfig,
  userId: string,
  ttlS: number,
  nowMs = Date.now(),
): string {
  if (jwt.key?.kind !== 'secret') throw new Error('no HMAC secret configured');
  const claims: Record<string, unknown> = { [jwt.userIdClaim]: userId };
  if (jwt.issuer) claims.iss = jwt.issuer;
  if (jwt.audience.length > 0) claims[jwt.audienceClaim] = jwt.audience[0];
  // The signer adds iat and exp from this clock.
  return createSigner({
    key: jwt.key.material,
    algorithm: jwt.algorithms[0],
    clockTimestamp: nowMs,
    expiresIn: ttlS * 1000,
  })(claims);
}

import { createSigner } from 'fast-jwt';
import type { AppConfig } from '../../config/app-config';
import { buildJwtSettings, JwtSettings, JwtVariables } from './jwt.settings';
import { JWT_STRATEGY } from './jwt.strategy';

/**
 * Why this configuration cannot mint a token to try the service with, or undefined when it can:
 * only outside production, and only with the HMAC secret the service itself verifies with.
 */
export function devTokenRefusal(config: AppConfig): string | undefined {
  if (config.production) {
    return 'tokens are not minted with NODE_ENV=production: real tokens come from your identity provider or your backend';
  }
  const jwt = jwtSettingsOf(config);
  if (!jwt) {
    return 'the jwt strategy is not in AUTH_STRATEGIES, so the service would not accept a token';
  }
  if (jwt.keys.source === 'remote') {
    return 'the jwt keys are remote (JWT_JWKS_URI / OIDC_ISSUER): only your identity provider can sign tokens for them';
  }
  if (jwt.keys.kind !== 'secret') {
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
  jwt: JwtSettings,
  userId: string,
  ttlS: number,
  nowMs = Date.now(),
): string {
  const { keys } = jwt;
  if (keys.source !== 'static' || keys.kind !== 'secret')
    throw new Error('no HMAC secret configured');
  const claims: Record<string, unknown> = { [jwt.userIdClaim]: userId };
  if (keys.issuer) claims.iss = keys.issuer;
  if (jwt.audience.length > 0) claims[jwt.audienceClaim] = jwt.audience[0];
  // The signer adds iat and exp from this clock.
  return createSigner({
    key: keys.material,
    algorithm: keys.algorithms[0],
    clockTimestamp: nowMs,
    expiresIn: ttlS * 1000,
  })(claims);
}

/** The jwt strategy's settings, when the strategy is enabled. */
export function jwtSettingsOf(config: AppConfig): JwtSettings | undefined {
  const jwt = config.strategies.find(
    ({ definition }) => definition === JWT_STRATEGY,
  );
  return jwt && buildJwtSettings(jwt.settings as JwtVariables, jwt.boot, []);
}

import type { Claims } from './key-verifier';

/**
 * Checks a JWT's signature and claims. Chosen once at boot from the jwt section: a static key
 * (`JWT_SECRET`/`JWT_PUBLIC_KEY`) or remote keys (`JWT_JWKS_URI`/`OIDC_ISSUER`).
 */
export abstract class JwtVerifier {
  /**
   * The token's claims, or null when it is not valid (the reason is logged at debug level).
   * Synchronous whenever the key is at hand.
   * @throws IdentityProviderUnavailableError when the key it needs cannot be fetched
   */
  abstract verify(token: string): Claims | null | Promise<Claims | null>;
}

import type { AuthRequest } from '../../plugin/auth-request';
import type { PluginLogger } from '../../plugin/plugin-context';
import { secretSettingsOf } from '../../plugin/setting-doc';
import { Caller, defineStrategy } from '../../plugin/strategy-definition';
import { userIdFromClaim } from '../caller-identity';
import { bearerToken, parameterToken } from '../request-credentials';
import { buildJwtSettings, JWT_SCHEMA, JwtSettings } from './jwt.settings';
import { createJwtVerifier } from './jwt-verifier.factory';
import type { JwtVerifier } from './jwt-verifier';
import type { Claims } from './key-verifier';

/**
 * Bearer JWTs, checked against a static key (`JWT_SECRET`/`JWT_PUBLIC_KEY`) or the identity
 * provider's JWKS (`JWT_JWKS_URI`/`OIDC_ISSUER`). Verification is synchronous (node:crypto through
 * fast-jwt) whenever the key is at hand.
 */
export const JWT_STRATEGY = defineStrategy({
  name: 'jwt',
  description:
    'bearer JWTs, checked with a shared secret, a PEM key or your identity provider’s JWKS',
  settings: JWT_SCHEMA,
  secrets: secretSettingsOf(JWT_SCHEMA),
  credentialParameters: (vars) =>
    vars.JWT_QUERY_PARAM ? [vars.JWT_QUERY_PARAM] : [],
  validate: (vars, boot) => {
    const problems: string[] = [];
    buildJwtSettings(vars, boot, problems);
    return problems;
  },
  setup: (vars, context) => {
    const settings = buildJwtSettings(vars, context, [])!;
    return new JwtAuthenticator(
      settings,
      createJwtVerifier(settings),
      context.logger,
    );
  },
  authenticate: (request, authenticator) => authenticator.identify(request),
});

class JwtAuthenticator {
  constructor(
    private readonly settings: JwtSettings,
    private readonly verifier: JwtVerifier,
    private readonly logger: PluginLogger,
  ) {}

  identify(request: AuthRequest): Caller | null | Promise<Caller | null> {
    const token = this.tokenOf(request);
    if (!token) return null;
    const claims = this.verifier.verify(token);
    return claims instanceof Promise
      ? claims.then((verified) => this.callerOf(verified))
      : this.callerOf(claims);
  }

  private callerOf(claims: Claims | null): Caller | null {
    if (!claims) return null;
    const id = userIdFromClaim(claims[this.settings.userIdClaim]);
    if (id === undefined) {
      this.logger.debug(
        `token has no usable ${this.settings.userIdClaim} claim`,
      );
      return null;
    }
    return { id, claims };
  }

  private tokenOf(request: AuthRequest): string | undefined {
    const { queryParam } = this.settings;
    if (request.jsonp) {
      return queryParam ? parameterToken(request, queryParam) : undefined;
    }
    return (
      bearerToken(request) ??
      (queryParam ? parameterToken(request, queryParam) : undefined)
    );
  }
}

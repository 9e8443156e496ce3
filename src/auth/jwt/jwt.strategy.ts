import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CallerIdentity, userIdFromClaim } from '../caller-identity';
import { Identification, IdentityStrategy } from '../identity-strategy';
import {
  bearerToken,
  isJsonpRequest,
  parameterToken,
} from '../request-credentials';
import type { StrategyDefinition } from '../strategy-definition';
import { JWT_STRATEGY } from '../strategy-names';
import { JWT_SETTINGS, JwtSettings } from './jwt.settings';
import { jwtVerifierProvider } from './jwt-verifier.provider';
import { JwtVerifier } from './jwt-verifier';
import type { Claims } from './key-verifier';

/**
 * Bearer JWTs, checked against a static key (`JWT_SECRET`/`JWT_PUBLIC_KEY`) or the identity
 * provider's JWKS (`JWT_JWKS_URI`/`OIDC_ISSUER`). Verification is synchronous (node:crypto through
 * fast-jwt) whenever the key is at hand.
 */
@Injectable()
export class JwtStrategy extends IdentityStrategy(JWT_STRATEGY) {
  private readonly logger = new Logger(JwtStrategy.name);

  constructor(
    private readonly settings: JwtSettings,
    private readonly verifier: JwtVerifier,
  ) {
    super();
  }

  identify(request: FastifyRequest): Identification | Promise<Identification> {
    const token = this.tokenOf(request);
    if (!token) return null;
    const claims = this.verifier.verify(token);
    return claims instanceof Promise
      ? claims.then((verified) => this.identityOf(verified))
      : this.identityOf(claims);
  }

  private identityOf(claims: Claims | null): CallerIdentity | null {
    if (!claims) return null;
    const id = userIdFromClaim(claims[this.settings.userIdClaim]);
    if (id === undefined) {
      this.logger.debug(
        `token has no usable ${this.settings.userIdClaim} claim`,
      );
      return null;
    }
    return { id, claims, strategy: JWT_STRATEGY };
  }

  private tokenOf(request: FastifyRequest): string | undefined {
    const { queryParam } = this.settings;
    if (isJsonpRequest(request)) {
      return queryParam ? parameterToken(request, queryParam) : undefined;
    }
    return (
      bearerToken(request) ??
      (queryParam ? parameterToken(request, queryParam) : undefined)
    );
  }
}

export const JWT_STRATEGY_DEFINITION: StrategyDefinition = {
  name: JWT_STRATEGY,
  strategy: JwtStrategy,
  settings: JWT_SETTINGS,
  providers: [jwtVerifierProvider],
};

import { Injectable, Logger } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { createVerifier, TokenError } from 'fast-jwt';
import { Strategy } from 'passport-custom';
import { AppConfig } from '../../config/app-config';
import type { JwtConfig } from '../../config/jwt.config';
import { CallerIdentity, userIdFromClaim } from '../caller-identity';
import {
  bearerToken,
  isJsonpRequest,
  parameterToken,
} from '../request-credentials';
import { JWT_STRATEGY } from '../strategy-names';

type Verify = (token: string) => Record<string, unknown>;

/**
 * Bearer JWTs checked against a key configured at boot (`JWT_SECRET` or `JWT_PUBLIC_KEY`).
 * Verification is synchronous (node:crypto through fast-jwt) and the key is parsed once.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  private readonly logger = new Logger(JwtStrategy.name);
  private readonly verify: Verify;

  constructor(private readonly config: AppConfig) {
    super();
    this.verify = buildVerifier(config.jwt);
  }

  validate(request: FastifyRequest): CallerIdentity | null {
    const token = this.tokenOf(request);
    if (!token) return null;
    let claims: Record<string, unknown>;
    try {
      claims = this.verify(token);
    } catch (error) {
      // The code says why (expired, bad signature...) without quoting the token.
      const code = error instanceof TokenError ? error.code : 'FAST_JWT_ERROR';
      this.logger.debug(`token refused: ${code}`);
      return null;
    }
    const id = userIdFromClaim(claims[this.config.jwt.userIdClaim]);
    if (id === undefined) {
      this.logger.debug(
        `token has no usable ${this.config.jwt.userIdClaim} claim`,
      );
      return null;
    }
    return { id, claims, strategy: JWT_STRATEGY };
  }

  private tokenOf(request: FastifyRequest): string | undefined {
    const { queryParam } = this.config.jwt;
    if (isJsonpRequest(request)) {
      return queryParam ? parameterToken(request, queryParam) : undefined;
    }
    return (
      bearerToken(request) ??
      (queryParam ? parameterToken(request, queryParam) : undefined)
    );
  }
}

function buildVerifier(jwt: JwtConfig): Verify {
  if (!jwt.key) throw new Error('the jwt strategy was enabled without a key');
  const requiredClaims = ['exp'];
  if (jwt.issuer) requiredClaims.push('iss');
  if (jwt.audience.length > 0) requiredClaims.push('aud');
  return createVerifier({
    key: jwt.key.material,
    algorithms: jwt.algorithms,
    allowedIss: jwt.issuer,
    allowedAud: jwt.audience.length > 0 ? jwt.audience : undefined,
    requiredClaims,
    clockTolerance: jwt.clockToleranceS * 1000,
  }) as Verify;
}

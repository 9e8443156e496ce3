import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { isValidUserId } from '../../directory/user-rules';
import { Identification, IdentityStrategy } from '../identity-strategy';
import { isJsonpRequest } from '../request-credentials';
import type { StrategyDefinition } from '../strategy-definition';
import { SIGNED_HEADER_STRATEGY } from '../strategy-names';
import {
  SIGNED_HEADER_SETTINGS,
  SignedHeaderSettings,
} from './signed-header.settings';

/**
 * `signed-header`: the caller was identified by a trusted gateway in front of this service,
 * which says so in three headers:
 *
 *   X-Gateway-User:      alice
 *   X-Gateway-Timestamp: 1767225600                 (Unix seconds)
 *   X-Gateway-Signature: hex(HMAC-SHA256(SIGNED_HEADER_SECRET, "<timestamp>.<user>"))
 *
 * Its folder holds the strategy and its settings, as every strategy's does;
 * docs/strategies.md walks through it as the example of adding a strategy. Enable it with
 * `AUTH_STRATEGIES=signed-header` (or alongside others, e.g. `jwt,signed-header`).
 */
@Injectable()
export class SignedHeaderStrategy extends IdentityStrategy(
  SIGNED_HEADER_STRATEGY,
) {
  constructor(private readonly settings: SignedHeaderSettings) {
    super();
  }

  identify(request: FastifyRequest): Identification {
    // A gateway that authenticates by cookie would turn a JSONP <script> into a CSRF hole.
    if (isJsonpRequest(request)) return null;
    const user = header(request, 'x-gateway-user');
    const timestamp = header(request, 'x-gateway-timestamp');
    const signature = header(request, 'x-gateway-signature');
    if (!user || !timestamp || !signature) return null;
    if (!isValidUserId(user) || !/^\d{1,12}$/.test(timestamp)) return null;
    // A bounded age limits what a header captured between gateway and service is worth.
    const ageS = Math.abs(Date.now() / 1000 - Number(timestamp));
    if (ageS > this.settings.maxAgeS) return null;
    if (!/^[0-9a-f]{64}$/i.test(signature)) return null;
    const expected = createHmac('sha256', this.settings.secret)
      .update(`${timestamp}.${user}`)
      .digest();
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return null;
    return { id: user, claims: {}, strategy: SIGNED_HEADER_STRATEGY };
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Listing this in `strategy-registry.ts` is what makes `signed-header` a valid name. */
export const SIGNED_HEADER_STRATEGY_DEFINITION: StrategyDefinition = {
  name: SIGNED_HEADER_STRATEGY,
  strategy: SignedHeaderStrategy,
  settings: SIGNED_HEADER_SETTINGS,
};

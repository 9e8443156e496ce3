import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { userIdFromClaim } from '../caller-identity';
import { describeEndpoint } from '../identity-provider-unavailable.error';
import { Identification, IdentityStrategy } from '../identity-strategy';
import {
  parseJsonObject,
  ProviderAnswer,
  requestProvider,
} from '../provider-request';
import { isJsonpRequest } from '../request-credentials';
import type { StrategyDefinition } from '../strategy-definition';
import { FORWARD_AUTH_STRATEGY } from '../strategy-names';
import { CsrfPolicy, csrfToken } from './csrf-policy';
import {
  FORWARD_AUTH_SETTINGS,
  ForwardAuthSettings,
} from './forward-auth.settings';

/**
 * Session-cookie apps (like nginx `auth_request`): the caller's `Cookie` and `Authorization` are
 * forwarded to `FORWARD_AUTH_URL`; a 2xx names the user, a 3xx or 4xx declines, a 5xx or no
 * answer is a 503. Requests without a bearer token carry ambient credentials, so they
 * must pass the CSRF defence first; JSONP (a `<script>` GET) never reaches the upstream.
 */
@Injectable()
export class ForwardAuthStrategy extends IdentityStrategy(
  FORWARD_AUTH_STRATEGY,
) {
  private readonly logger = new Logger(ForwardAuthStrategy.name);
  private readonly csrf: CsrfPolicy;
  private readonly provider: string;

  constructor(private readonly settings: ForwardAuthSettings) {
    super();
    this.csrf = new CsrfPolicy(settings);
    this.provider = describeEndpoint(FORWARD_AUTH_STRATEGY, settings.url);
  }

  identify(request: FastifyRequest): Identification | Promise<Identification> {
    if (isJsonpRequest(request)) return null;
    const { cookie, authorization } = request.headers;
    if (!cookie && !authorization) return null;
    // A bearer header cannot ride along cross-site: browsers preflight it, and CORS admits only
    // listed origins. Everything else (cookies, cached Basic credentials) is ambient.
    if (!/^Bearer /i.test(authorization ?? '')) {
      const refusal = this.csrf.refusal(request);
      if (refusal) {
        this.logger.debug(`cookie-authenticated request refused: ${refusal}`);
        return null;
      }
    }
    return this.ask(request);
  }

  private async ask(request: FastifyRequest): Promise<Identification> {
    const { cookie, authorization, origin } = request.headers;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (cookie) headers.cookie = cookie;
    if (authorization) headers.authorization = authorization;
    const token = csrfToken(request);
    if (this.settings.csrf.mode === 'forward' && token) {
      headers['x-csrf-token'] = token;
      if (origin) headers.origin = origin;
    }
    const answer = await requestProvider({
      provider: this.provider,
      url: this.settings.url,
      method: this.settings.method,
      timeoutMs: this.settings.timeoutMs,
      headers,
    });
    if (answer.status < 200 || answer.status > 299) {
      this.logger.debug(`session refused by the upstream (${answer.status})`);
      return null;
    }
    return this.identityIn(answer);
  }

  private identityIn(answer: ProviderAnswer): Identification {
    const { user } = this.settings;
    const body = parseJsonObject(answer.body);
    const value =
      user.from === 'header'
        ? answer.headers.get(user.name)
        : user.path.reduce<unknown>(
            (node, field) =>
              typeof node === 'object' && node !== null
                ? (node as Record<string, unknown>)[field]
                : undefined,
            body,
          );
    const id = userIdFromClaim(value ?? undefined);
    if (id === undefined) {
      this.logger.warn(
        `${this.provider} answered ${answer.status} without a user id (FORWARD_AUTH_USER_${user.from === 'header' ? 'HEADER' : 'FIELD'})`,
      );
      return null;
    }
    return { id, claims: body ?? {}, strategy: FORWARD_AUTH_STRATEGY };
  }
}

export const FORWARD_AUTH_STRATEGY_DEFINITION: StrategyDefinition = {
  name: FORWARD_AUTH_STRATEGY,
  strategy: ForwardAuthStrategy,
  settings: FORWARD_AUTH_SETTINGS,
};

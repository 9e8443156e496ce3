import type { AuthRequest } from '../../plugin/auth-request';
import type { PluginLogger } from '../../plugin/plugin-context';
import { secretSettingsOf } from '../../plugin/setting-doc';
import { Caller, defineStrategy } from '../../plugin/strategy-definition';
import { userIdFromClaim } from '../caller-identity';
import { timeClaimProblem } from '../time-claims';
import {
  describeEndpoint,
  IdentityProviderUnavailableError,
} from '../identity-provider-unavailable.error';
import { parseJsonObject, requestProvider } from '../provider-request';
import { bearerToken } from '../request-credentials';
import { CredentialCache, Verdict } from './credential-cache';
import {
  buildIntrospectionSettings,
  INTROSPECTION_SCHEMA,
  IntrospectionSettings,
} from './introspection.settings';

const NAME = 'introspection';
type Identification = Caller | null;

/**
 * Opaque bearer tokens, asked about at the authorization server's RFC 7662 introspection
 * endpoint with this service's client credentials. Answers are cached by a hash of the token:
 * `active` ones until their `exp` or `INTROSPECTION_CACHE_TTL_MS`, whichever is sooner,
 * inactive ones for `INTROSPECTION_NEGATIVE_CACHE_TTL_MS`.
 */
export const INTROSPECTION_STRATEGY = defineStrategy({
  name: NAME,
  description:
    'opaque bearer tokens, asked about at your authorization server (RFC 7662)',
  settings: INTROSPECTION_SCHEMA,
  secrets: secretSettingsOf(INTROSPECTION_SCHEMA),
  validate: (vars, boot) => {
    const problems: string[] = [];
    buildIntrospectionSettings(vars, boot, problems);
    return problems;
  },
  setup: (vars, context) =>
    new Introspector(
      buildIntrospectionSettings(vars, context, [])!,
      context.logger,
      new CredentialCache(() => context.countCacheEviction()),
    ),
  authenticate: (request, introspector) => introspector.identify(request),
});

class Introspector {
  private readonly provider: string;
  private readonly authorization: string;

  constructor(
    private readonly settings: IntrospectionSettings,
    private readonly logger: PluginLogger,
    private readonly cache: CredentialCache,
  ) {
    this.provider = describeEndpoint(NAME, settings.url);
    this.authorization = basicCredentials(
      settings.clientId,
      settings.clientSecret,
    );
  }

  identify(request: AuthRequest): Identification | Promise<Identification> {
    // A URL is the only credential JSONP may use, and opaque tokens are not put in URLs here.
    if (request.jsonp) return null;
    const token = bearerToken(request);
    if (!token) return null;
    return this.cache.getOrAsk(token, () => this.introspect(token));
  }

  private async introspect(token: string): Promise<Verdict> {
    const answer = await requestProvider({
      provider: this.provider,
      url: this.settings.url,
      method: 'POST',
      timeoutMs: this.settings.timeoutMs,
      headers: {
        authorization: this.authorization,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({
        token,
        token_type_hint: 'access_token',
      }).toString(),
    });
    // RFC 7662 answers 200 for every token, active or not: anything else is our problem
    // (wrong client credentials, wrong URL), not the caller's.
    if (answer.status !== 200) {
      throw new IdentityProviderUnavailableError(
        this.provider,
        answer.status === 401 || answer.status === 403
          ? `refused our client credentials (${answer.status}); check INTROSPECTION_CLIENT_ID/SECRET`
          : `answered ${answer.status}`,
      );
    }
    const claims = parseJsonObject(answer.body);
    if (!claims || typeof claims.active !== 'boolean') {
      throw new IdentityProviderUnavailableError(
        this.provider,
        'the answer is not an RFC 7662 JSON object',
      );
    }
    return this.verdictOn(claims);
  }

  private verdictOn(claims: Record<string, unknown>): Verdict {
    const declined = {
      identity: null,
      ttlMs: this.settings.negativeCacheTtlMs,
    };
    const nowMs = Date.now();
    if (claims.active !== true) return declined;
    // `active: true` is the server's word, but a time claim it also sends must agree with it.
    const problem = timeClaimProblem(claims, 0, nowMs, true);
    if (problem?.kind === 'type') {
      this.logger.warn(
        `an active token's introspection has a malformed time claim, token refused: ${problem.message}`,
      );
      return declined;
    }
    // Not active yet: it may be soon, so that answer is not kept.
    if (problem)
      return problem.claim === 'nbf' ? { ...declined, ttlMs: 0 } : declined;
    const exp = claims.exp as number | undefined;
    const field = this.settings.userIdField;
    const id = userIdFromClaim(claims[field]);
    if (id === undefined) {
      this.logger.warn(
        `an active token's introspection has no usable "${field}" field (INTROSPECTION_USER_ID_FIELD)`,
      );
      return declined;
    }
    const untilExp =
      exp === undefined ? Number.POSITIVE_INFINITY : exp * 1000 - nowMs;
    return {
      identity: { id, claims },
      ttlMs: Math.floor(Math.min(this.settings.cacheTtlMs, untilExp)),
    };
  }
}

/** RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded. */
function basicCredentials(clientId: string, clientSecret: string): string {
  const encode = (value: string) =>
    encodeURIComponent(value).replace(/%20/g, '+');
  const pair = `${encode(clientId)}:${encode(clientSecret)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

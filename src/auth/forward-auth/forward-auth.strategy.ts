import type { AuthRequest } from '../../plugin/auth-request';
import type { PluginLogger } from '../../plugin/plugin-context';
import { Caller, defineStrategy } from '../../plugin/strategy-definition';
import { userIdFromClaim } from '../caller-identity';
import { describeEndpoint } from '../identity-provider-unavailable.error';
import {
  parseJsonObject,
  ProviderAnswer,
  requestProvider,
} from '../provider-request';
import { CsrfPolicy, csrfToken } from './csrf-policy';
import {
  buildForwardAuthSettings,
  FORWARD_AUTH_SCHEMA,
  ForwardAuthSettings,
} from './forward-auth.settings';

const NAME = 'forward-auth';
type Identification = Caller | null;

/**
 * Session-cookie apps (like nginx `auth_request`): the caller's `Cookie` and `Authorization` are
 * forwarded to `FORWARD_AUTH_URL`; a 2xx names the user, a 3xx or 4xx declines, a 5xx or no
 * answer is a 503. Requests without a bearer token carry ambient credentials, so they
 * must pass the CSRF defence first; JSONP (a `<script>` GET) never reaches the upstream.
 */
export const FORWARD_AUTH_STRATEGY = defineStrategy({
  name: NAME,
  description:
    "your app's session endpoint names the user from the caller's cookies",
  settings: FORWARD_AUTH_SCHEMA,
  validate: (vars, boot) => {
    const problems: string[] = [];
    buildForwardAuthSettings(vars, boot, problems);
    return problems;
  },
  setup: (vars, context) =>
    new ForwardAuthenticator(
      buildForwardAuthSettings(vars, context, [])!,
      context.logger,
    ),
  authenticate: (request, authenticator) => authenticator.identify(request),
});

class ForwardAuthenticator {
  private readonly csrf: CsrfPolicy;
  private readonly provider: string;

  constructor(
    private readonly settings: ForwardAuthSettings,
    private readonly logger: PluginLogger,
  ) {
    this.csrf = new CsrfPolicy(settings);
    this.provider = describeEndpoint(NAME, settings.url);
  }

  identify(request: AuthRequest): Identification | Promise<Identification> {
    if (request.jsonp) return null;
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

  private async ask(request: AuthRequest): Promise<Identification> {
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
    return { id, claims: body ?? {} };
  }
}

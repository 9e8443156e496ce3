import {
  describeEndpoint,
  IdentityProviderUnavailableError,
} from '../identity-provider-unavailable.error';
import { parseJsonObject, requestProvider } from '../provider-request';
/** Names this strategy's provider in log lines. */
const JWT_STRATEGY = 'jwt';
import type { RemoteJwtKeys } from './remote-keys.settings';

/**
 * Where the JWKS comes from: `JWT_JWKS_URI`, or the `jwks_uri` of the OpenID configuration
 * published under `OIDC_ISSUER` (discovered on first use, then kept).
 */
export class JwksSource {
  private jwksUri?: string;

  private readonly issuer: string;

  constructor(private readonly remote: RemoteJwtKeys) {
    this.jwksUri = remote.jwksUri;
    this.issuer = remote.issuer;
  }

  /** Names the provider in log lines. */
  get provider(): string {
    return describeEndpoint(
      JWT_STRATEGY,
      this.jwksUri ?? discoveryUrl(this.issuer),
    );
  }

  /** The `keys` array as published; each entry is checked by the caller. */
  async fetchKeys(): Promise<unknown[]> {
    const uri = this.jwksUri ?? (await this.discover());
    const provider = describeEndpoint(JWT_STRATEGY, uri);
    const answer = await requestProvider({
      provider,
      url: uri,
      timeoutMs: this.remote.timeoutMs,
      headers: { accept: 'application/json' },
    });
    const document =
      answer.status === 200 ? parseJsonObject(answer.body) : undefined;
    if (!document || !Array.isArray(document.keys)) {
      throw new IdentityProviderUnavailableError(
        provider,
        answer.status === 200
          ? 'the JWKS is not a JSON key set'
          : `the JWKS answered ${answer.status}`,
      );
    }
    return document.keys as unknown[];
  }

  private async discover(): Promise<string> {
    const url = discoveryUrl(this.issuer);
    const provider = describeEndpoint(JWT_STRATEGY, url);
    const answer = await requestProvider({
      provider,
      url,
      timeoutMs: this.remote.timeoutMs,
      headers: { accept: 'application/json' },
    });
    const fail = (reason: string) =>
      new IdentityProviderUnavailableError(provider, reason);
    if (answer.status !== 200)
      throw fail(`discovery answered ${answer.status}`);
    const document = parseJsonObject(answer.body);
    if (!document) throw fail('the OpenID configuration is not JSON');
    // OpenID Connect Discovery §4.3: the document must name exactly the issuer it was asked for.
    if (document.issuer !== this.issuer) {
      throw fail(
        'the OpenID configuration names another issuer than OIDC_ISSUER',
      );
    }
    const jwksUri = document.jwks_uri;
    if (typeof jwksUri !== 'string' || !isHttpUrl(jwksUri)) {
      throw fail('the OpenID configuration has no usable jwks_uri');
    }
    // Keys from elsewhere are trusted only when named in configuration (JWT_JWKS_URI), never
    // because a document fetched at run time says so.
    if (new URL(jwksUri).origin !== new URL(this.issuer).origin) {
      throw fail(
        'the OpenID configuration names a jwks_uri on another origin than OIDC_ISSUER; to trust it, set JWT_JWKS_URI and JWT_ISSUER instead of OIDC_ISSUER',
      );
    }
    this.jwksUri = jwksUri;
    return jwksUri;
  }
}

/** OpenID Connect Discovery §4: the issuer without its trailing slash, then the well-known path. */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      !url.username &&
      !url.password
    );
  } catch {
    return false;
  }
}

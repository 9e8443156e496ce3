import { IdentityProviderUnavailable } from '../plugin/identity-provider-unavailable';

/**
 * The plugin API's IdentityProviderUnavailable, naming the provider: what the shipped
 * strategies throw, and what a plugin's own is wrapped in. The message names the provider and the
 * reason, never the token; the answer is 503 with `Retry-After`.
 */
export class IdentityProviderUnavailableError extends IdentityProviderUnavailable {
  constructor(
    /** The strategy and endpoint, e.g. `introspection (https://idp.example.com/introspect)`. */
    readonly provider: string,
    /** What went wrong, in words safe for a log line. */
    readonly reason: string,
    retryAfterS?: number,
  ) {
    super(`identity provider ${provider} unavailable: ${reason}`, {
      retryAfterS,
    });
    this.name = 'IdentityProviderUnavailableError';
  }
}

/** Names an endpoint in log lines without its query string (which could carry credentials). */
export function describeEndpoint(strategy: string, url: string | URL): string {
  const parsed = new URL(url);
  return `${strategy} (${parsed.origin}${parsed.pathname})`;
}

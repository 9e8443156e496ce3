/** How long a caller should wait when an identity provider could not answer. */
export const DEFAULT_PROVIDER_RETRY_AFTER_S = 5;

/**
 * A strategy could not tell who the caller is because its identity provider failed (unreachable,
 * slower than its timeout, a 5xx, an unusable answer). Never thrown for bad credentials: those are
 * declined. Answered as 503 with `Retry-After`; the message names the provider, never the token.
 */
export class IdentityProviderUnavailableError extends Error {
  constructor(
    /** The strategy and endpoint, e.g. `introspection (https://idp.example.com/introspect)`. */
    readonly provider: string,
    /** What went wrong, in words safe for a log line. */
    readonly reason: string,
    readonly retryAfterS: number = DEFAULT_PROVIDER_RETRY_AFTER_S,
  ) {
    super(`identity provider ${provider} unavailable: ${reason}`);
    this.name = 'IdentityProviderUnavailableError';
  }
}

/** Names an endpoint in log lines without its query string (which could carry credentials). */
export function describeEndpoint(strategy: string, url: string | URL): string {
  const parsed = new URL(url);
  return `${strategy} (${parsed.origin}${parsed.pathname})`;
}

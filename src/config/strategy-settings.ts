import type { z } from 'zod';
import type { BootContext } from '../plugin/plugin-context';

export type RawEnv = Record<string, string | undefined>;

/**
 * Parses a section's variables with its zod schema, turning every issue into a
 * `VARIABLE: message` problem. Undefined when any variable is invalid.
 */
export function parseEnvSection<S extends z.ZodType>(
  schema: S,
  env: RawEnv,
  problems: string[],
): z.output<S> | undefined {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    problems.push(`${issue.path.join('.')}: ${issue.message}`);
  }
  return undefined;
}

/**
 * In production an identity provider's answer decides who the caller is: over plain HTTP, anyone
 * on the network path could answer instead. Loopback (a sidecar) is exempt, and
 * `IDENTITY_PROVIDERS_ALLOW_HTTP=true` opts a private network in. `value` is a valid URL already.
 */
export function checkProviderUrl(
  name: string,
  value: string | undefined,
  boot: BootContext,
  problems: string[],
): void {
  if (!value || !boot.production || boot.allowHttpProviders) return;
  const url = new URL(value);
  if (url.protocol === 'https:' || isLoopback(url.hostname)) return;
  problems.push(
    `${name} must be an https:// URL in production: a provider's answer decides who the caller is (set IDENTITY_PROVIDERS_ALLOW_HTTP=true only inside a network you trust)`,
  );
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/** Exact origins (`https://app.example.com`), as `CORS_ORIGINS` requires them. */
export function isExactOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    // WHATWG URLs accept `*` in a host name; as an origin it would silently match nothing.
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.origin === origin &&
      !url.hostname.includes('*')
    );
  } catch {
    return false;
  }
}

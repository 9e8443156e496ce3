import { Logger } from '@nestjs/common';
import { IdentityProviderUnavailableError } from '../identity-provider-unavailable.error';
import type { JwksSource } from './jwks-source';
import type { JwtSettings } from './jwt.settings';
import { RemoteKey, remoteKeyFromJwk } from './remote-key';
import type { RemoteJwtKeys } from './remote-keys.settings';

/** While no key set was ever loaded, a failed fetch is retried at most this often. */
const UNLOADED_RETRY_MS = 1_000;
/** More keys than any IdP publishes; the rest are ignored so a huge set cannot cost much. */
const MAX_KEYS = 100;

/**
 * The identity provider's signing keys, cached by (issuer, kid).
 *
 * - A known `kid` is verified synchronously from the cache.
 * - The set is refreshed once older than `JWT_JWKS_CACHE_TTL_MS`: keys that left it stop
 *   verifying, and while the IdP is down the cached keys keep verifying.
 * - An unknown `kid` (a rotation, or a forged token) triggers at most one fetch per
 *   `JWT_JWKS_COOLDOWN_MS`; concurrent callers share one fetch.
 * - When a key is needed and the IdP cannot supply it, IdentityProviderUnavailableError (503).
 */
export class RemoteKeySet {
  private readonly logger = new Logger('JwtStrategy');
  private keys = new Map<string, RemoteKey>();
  private soleKey?: RemoteKey;
  private loadedAt?: number;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private lastFailure?: IdentityProviderUnavailableError;
  private loading?: Promise<void>;

  constructor(
    private readonly source: JwksSource,
    private readonly jwt: JwtSettings,
    private readonly remote: RemoteJwtKeys,
    private readonly now: () => number = Date.now,
  ) {}

  /** The key a token names; synchronous while it is cached. Undefined: no such key. */
  find(
    kid: string | undefined,
  ): RemoteKey | undefined | Promise<RemoteKey | undefined> {
    const now = this.now();
    if (this.loadedAt === undefined) {
      if (this.loading) return this.loading.then(() => this.lookup(kid));
      if (now - this.lastAttemptAt < UNLOADED_RETRY_MS && this.lastFailure) {
        throw this.lastFailure;
      }
      return this.load().then(() => this.lookup(kid));
    }
    const sinceAttempt = now - this.lastAttemptAt;
    const { cacheTtlMs, cooldownMs } = this.remote;
    const fetchAllowed = sinceAttempt >= cooldownMs;
    const stale = now - this.loadedAt >= cacheTtlMs;
    if (stale && sinceAttempt >= Math.min(cooldownMs, cacheTtlMs)) {
      // Refreshed in line, so a key the IdP withdrew stops verifying right away; while the
      // IdP is down the cached keys keep working.
      return this.load().then(
        () => this.lookup(kid),
        (error: unknown) => {
          const cached = this.lookup(kid);
          if (cached) return cached;
          throw error;
        },
      );
    }
    const key = this.lookup(kid);
    if (key) return key;
    if (this.loading) return this.loading.then(() => this.lookup(kid));
    if (fetchAllowed) return this.load().then(() => this.lookup(kid));
    // Within the cooldown: no fetch. If the last one failed, the key may well exist.
    if (this.lastFailure) throw this.lastFailure;
    return undefined;
  }

  private lookup(kid: string | undefined): RemoteKey | undefined {
    if (kid === undefined) return this.soleKey;
    return this.keys.get(cacheKey(this.remote.issuer, kid));
  }

  /** One fetch at a time; every caller waiting for keys shares it. */
  private load(): Promise<void> {
    if (this.loading) return this.loading;
    this.lastAttemptAt = this.now();
    this.loading = this.source
      .fetchKeys()
      .then(
        (jwks) => {
          this.replaceKeys(jwks);
          this.lastFailure = undefined;
        },
        (error: unknown) => {
          if (error instanceof IdentityProviderUnavailableError) {
            this.lastFailure = error;
            if (this.loadedAt !== undefined) {
              this.logger.warn(`${error.message}; keeping the cached keys`);
            }
          }
          throw error;
        },
      )
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  private replaceKeys(jwks: unknown[]): void {
    const keys = new Map<string, RemoteKey>();
    const usable: RemoteKey[] = [];
    jwks.slice(0, MAX_KEYS).forEach((jwk, index) => {
      const key = remoteKeyFromJwk(jwk, this.jwt, this.remote.algorithms);
      if ('skipped' in key) {
        this.logger.warn(
          `${this.source.provider}: key #${index} skipped: ${key.skipped}`,
        );
        return;
      }
      usable.push(key);
      if (key.kid !== undefined) {
        keys.set(cacheKey(this.remote.issuer, key.kid), key);
      }
    });
    if (usable.length === 0) {
      this.logger.warn(
        `${this.source.provider}: no usable key in the JWKS; every token is refused`,
      );
    }
    this.keys = keys;
    // A token without kid is tried only when the set leaves no choice.
    this.soleKey = usable.length === 1 ? usable[0] : undefined;
    this.loadedAt = this.now();
    this.logger.debug(
      `${this.source.provider}: ${usable.length} key(s) loaded (kid ${usable.map((key) => key.kid ?? '-').join(', ')})`,
    );
  }
}

/** Keys are looked up by issuer and kid: one issuer's key never verifies another's token. */
function cacheKey(issuer: string, kid: string): string {
  return `${issuer}\u0000${kid}`;
}

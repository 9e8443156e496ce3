import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { CallerIdentity } from './caller-identity';

/** Bounded so a flood of distinct (even garbage) credentials cannot grow memory without limit. */
const MAX_ENTRIES = 50_000;

/** A provider's verdict on a credential, and how long it may be reused (0: not at all). */
export interface Verdict {
  identity: CallerIdentity | null;
  ttlMs: number;
}

/**
 * Answers of a remote identity provider, keyed by a SHA-256 of the credential so the cache never
 * holds a usable token. Concurrent look-ups of one credential share a single provider call.
 * Failures (IdentityProviderUnavailableError) are never cached.
 */
export class CredentialCache {
  private readonly answers = new LRUCache<
    string,
    { value: CallerIdentity | null }
  >({
    max: MAX_ENTRIES,
  });
  private readonly pending = new Map<string, Promise<CallerIdentity | null>>();

  async getOrAsk(
    credential: string,
    ask: () => Promise<Verdict>,
  ): Promise<CallerIdentity | null> {
    const key = createHash('sha256').update(credential).digest('base64url');
    const cached = this.answers.get(key);
    if (cached) return cached.value;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const asking = ask().then(({ identity, ttlMs }) => {
      if (ttlMs > 0) this.answers.set(key, { value: identity }, { ttl: ttlMs });
      return identity;
    });
    this.pending.set(key, asking);
    try {
      return await asking;
    } finally {
      this.pending.delete(key);
    }
  }
}

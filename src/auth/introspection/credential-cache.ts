import { createHash } from 'node:crypto';
import { LoadingCache } from '../../cache/loading-cache';
import type { Caller } from '../../plugin/strategy-definition';

/** Bounded so a flood of distinct (even garbage) credentials cannot grow memory without limit. */
export const MAX_CACHED_CREDENTIALS = 50_000;

/** A provider's verdict on a credential, and how long it may be reused (0: not at all). */
export interface Verdict {
  identity: Caller | null;
  ttlMs: number;
}

/**
 * Answers of a remote identity provider, keyed by a SHA-256 of the credential so the cache never
 * holds a usable token. Concurrent look-ups of one credential share a single provider call.
 * Failures (IdentityProviderUnavailableError) are never cached.
 */
export class CredentialCache {
  private readonly answers: LoadingCache<Verdict>;

  constructor(onEvict?: () => void) {
    this.answers = new LoadingCache({
      max: MAX_CACHED_CREDENTIALS,
      ttlMs: (verdict) => verdict.ttlMs,
      onEvict,
    });
  }

  async getOrAsk(
    credential: string,
    ask: () => Promise<Verdict>,
  ): Promise<Caller | null> {
    const key = createHash('sha256').update(credential).digest('base64url');
    return (await this.answers.get(key, ask)).identity;
  }
}

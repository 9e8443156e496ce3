import { CredentialCache } from './credential-cache';

const alice = { id: 'alice', claims: {}, strategy: 'test' };

describe('CredentialCache', () => {
  it('asks once for concurrent look-ups of one credential and reuses the answer', async () => {
    const cache = new CredentialCache();
    let asked = 0;
    const ask = async () => {
      asked++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { identity: alice, ttlMs: 60_000 };
    };
    const answers = await Promise.all([
      cache.getOrAsk('token-1', ask),
      cache.getOrAsk('token-1', ask),
      cache.getOrAsk('token-1', ask),
    ]);
    expect(answers).toEqual([alice, alice, alice]);
    expect(await cache.getOrAsk('token-1', ask)).toEqual(alice);
    expect(asked).toBe(1);
  });

  it('keeps no answer whose ttl is 0, and no failure', async () => {
    const cache = new CredentialCache();
    let asked = 0;
    await cache.getOrAsk('t', () => {
      asked++;
      return Promise.resolve({ identity: null, ttlMs: 0 });
    });
    await expect(
      cache.getOrAsk('t', () => {
        asked++;
        return Promise.reject(new Error('down'));
      }),
    ).rejects.toThrow('down');
    await cache.getOrAsk('t', () => {
      asked++;
      return Promise.resolve({ identity: alice, ttlMs: 1000 });
    });
    expect(asked).toBe(3);
  });

  it('holds hashes of credentials, never the credentials themselves', async () => {
    const cache = new CredentialCache();
    const token = 'a-secret-opaque-token';
    await cache.getOrAsk(token, () =>
      Promise.resolve({ identity: alice, ttlMs: 60_000 }),
    );
    const keys = [...(cache as any).answers.values.keys()] as string[];
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(token);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{43}$/); // SHA-256, base64url
  });
});

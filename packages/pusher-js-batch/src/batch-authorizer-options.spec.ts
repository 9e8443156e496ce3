import { resolveOptions } from './batch-authorizer-options.js';

describe('batch authorizer options', () => {
  it('defaults to the service path, a 5 ms window, 100 channels and 10 s', () => {
    const resolved = resolveOptions({});

    expect(resolved).toMatchObject({
      endpoint: '/pusher/auth',
      headers: {},
      params: {},
      windowMs: 5,
      maxChannelsPerRequest: 100,
      timeoutMs: 10_000,
    });
    expect(resolved.fetch).toBeTypeOf('function');
  });

  it('names every bad option in one TypeError', () => {
    expect(() =>
      resolveOptions({
        endpoint: '',
        windowMs: -1,
        maxChannelsPerRequest: 101,
        timeoutMs: 0.5,
      }),
    ).toThrow(
      new TypeError(
        'batchChannelAuthorization: endpoint must be a non-empty string; windowMs must be a whole number of milliseconds, 0 or more; maxChannelsPerRequest must be a whole number from 1 to 100; timeoutMs must be a whole number of milliseconds, 1 or more',
      ),
    );
  });

  it('refuses to start without a fetch', () => {
    const fetch = globalThis.fetch;
    vi.stubGlobal('fetch', undefined);
    try {
      expect(() => resolveOptions({})).toThrow(/fetch is missing/);
    } finally {
      vi.stubGlobal('fetch', fetch);
    }
  });

  it('uses a given fetch', () => {
    const fetch = vi.fn();

    expect(resolveOptions({ fetch }).fetch).toBe(fetch);
  });
});

import { backoffDelayMs } from './backoff';

describe('backoffDelayMs', () => {
  it.each([
    [0, 500, 1_000],
    [1, 1_000, 2_000],
    [3, 4_000, 8_000],
    [10, 30_000, 60_000],
    [1_000, 30_000, 60_000],
  ])(
    'waits between half and all of the step on attempt %i (%i-%i ms)',
    (attempt, low, high) => {
      for (let i = 0; i < 200; i++) {
        const delay = backoffDelayMs(attempt, 1_000, 60_000);
        expect(delay).toBeGreaterThanOrEqual(low);
        expect(delay).toBeLessThanOrEqual(high);
      }
    },
  );

  it('spreads replicas out instead of retrying in lockstep', () => {
    const delays = new Set(
      Array.from({ length: 50 }, () => backoffDelayMs(5, 1_000, 60_000)),
    );
    expect(delays.size).toBeGreaterThan(1);
  });
});

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so replicas that
 * lost the same dependency at the same moment do not all come back in lockstep.
 *
 * @param attempt 0 for the first retry
 */
export function backoffDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + (Math.random() * step) / 2);
}

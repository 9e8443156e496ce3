/**
 * Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`
 * naming what it waited for. For effects that arrive asynchronously (a NOTIFY, a log line).
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves once a captured log line matches. */
export function waitForLog(
  lines: readonly string[],
  pattern: RegExp,
  timeoutMs?: number,
): Promise<string> {
  return waitFor(
    `a log line matching ${pattern}`,
    () => lines.find((line) => pattern.test(line)),
    timeoutMs,
  );
}

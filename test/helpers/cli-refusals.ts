import type { CliResult } from './cli-process';

/**
 * Asserts an import refused `file` whole: exit code 1, on stderr each bad line's problem in
 * order (`line N: …`), then the count and that nothing was imported.
 */
export function expectImportRefused(
  result: CliResult,
  file: string,
  problems: string[],
): void {
  expect(result.code).toBe(1);
  expect(result.stderr.split('\n')).toEqual([
    ...problems,
    `pusher-auth: ${problems.length} bad lines in ${file}: nothing was imported`,
    '',
  ]);
}

/** Asserts the CLI refused with exit code 1, its stderr naming `problem`. */
export function expectCliRefused(result: CliResult, problem: string): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(problem);
}

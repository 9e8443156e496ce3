/** The directory CLI's exit codes (documented in docs/cli.md and in `--help`). */
export const EXIT = {
  ok: 0,
  /** The data was refused or not found: bad records, bad import lines, an unknown id. */
  refused: 1,
  /** Wrong usage or configuration: unknown command or option, invalid settings. */
  usage: 2,
  /** The directory could not be reached or failed. */
  unavailable: 3,
} as const;

/** A failure the CLI reports as one line on stderr, then exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

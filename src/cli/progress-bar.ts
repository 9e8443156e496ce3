const WIDTH = 30;
const REDRAW_MS = 100;

/**
 * A one-line progress bar redrawn with `\r`, on a terminal only: piped or logged output gets
 * no control characters, just the summary line the command prints at the end.
 */
export class ProgressBar {
  private readonly enabled: boolean;
  private drawnAt = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = stream.isTTY === true && total > 0;
  }

  update(done: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.drawnAt < REDRAW_MS && done < this.total) return;
    this.drawnAt = now;
    const ratio = Math.min(1, done / this.total);
    const filled = Math.round(ratio * WIDTH);
    this.stream.write(
      `\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${Math.floor(ratio * 100)}% ${done}/${this.total}`,
    );
  }

  /** Ends the bar's line so the next output starts on a fresh one. */
  finish(): void {
    if (this.enabled && this.drawnAt > 0) this.stream.write('\n');
  }
}

import type { DestinationStream } from 'pino';

/** What a batch is handed to: pino's SonicBoom destination. */
export interface LineSink {
  write(text: string): unknown;
  flushSync(): void;
}

/**
 * Log lines kept in an array and handed to the sink as one string per batch (at `maxChars`, or
 * when `flush` is called). SonicBoom batches too (`minLength`), but it appends each line to one
 * pending string and measures that string's UTF-8 length on every write, which copies the whole
 * batch again each time: 8.8 KB allocated for a 381-character request line with 8 KiB batches,
 * 14% of all the bytes a sign-in allocated (docs/performance.md, "Round five"). Here a line costs
 * an array slot, and a batch one join. Lines keep their order: every line of the process goes
 * through one batch.
 */
export class LineBatch implements DestinationStream {
  private lines: string[] = [];
  private chars = 0;
  /** While true, lines are kept and not written (see `hold`). */
  private held = false;

  constructor(
    private readonly sink: LineSink,
    private readonly maxChars: number,
  ) {}

  write(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= this.maxChars) this.flush();
  }

  /**
   * Keeps every line until `release` (or the process's exit): what is printed before them (the
   * demo banner) comes first. Only `flush` looks at it, so a write costs nothing more.
   */
  hold(): void {
    this.held = true;
  }

  /** Ends `hold`: what was kept is handed to the sink now. */
  release(): void {
    this.held = false;
    this.flush();
  }

  /** Hands what is pending to the sink, which writes it asynchronously. */
  flush(): void {
    if (this.held || this.lines.length === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    this.chars = 0;
    this.sink.write(text);
  }

  /** Everything pending written before returning: for the process's exit. */
  flushSync(): void {
    this.held = false;
    this.flush();
    this.sink.flushSync();
  }
}

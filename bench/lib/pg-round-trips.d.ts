/** Types for the benchmark's relay (plain JavaScript, see pg-round-trips.js), for its test. */
export interface CountingRelay {
  /** The loopback port the relay listens on. */
  port: number;
  /** ReadyForQuery messages PostgreSQL has sent through the relay so far. */
  count(): number;
  close(): Promise<void>;
}

export function countingRelay(target: {
  host: string;
  port: number;
}): Promise<CountingRelay>;

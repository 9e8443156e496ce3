import type { DestinationStream, Logger } from 'pino';
import type { RootLog } from './root-logger';

/** The levels a request line is written at (see request-observer.ts). */
export type RequestLineLevel = 'debug' | 'info' | 'error';

/** What one request line says; strings a caller chose are made safe by the writer. */
export interface RequestLineFields {
  requestId: string;
  method: string;
  /** The route pattern (or "unmatched"): ours, never a caller's text. */
  endpoint: string;
  /** Already passed through `safeUrl`: no query value but the safe ones. */
  url: string;
  statusCode: number;
  outcome: string;
  /** A configured app's name. */
  app?: string;
  userId?: string;
  /** A configured strategy's name. */
  strategy?: string;
  /** Why channels were allowed or refused, in short (`rule 3: relation returned no row`). */
  reason?: string;
  durationMs: number;
  clientIp?: string;
  userAgent?: string;
}

/** The quoted strings kept (see `quote`): how many, how long each may be, and for how long. */
const MEMO_ENTRIES = 1_000;
const MEMO_MAX_CHARS = 256;
const MEMO_MS = 60_000;

/**
 * Writes the one line per request as pino would (same destination, level label, time, base
 * fields, request id, `msg`), without pino's per-call work (merging the fields object, the
 * `redact` pass, the formatters' copy of every field, the log-method hook): that work is a fifth
 * of a sign-in's CPU on Node 24 (docs/performance.md). The destination and base fields are the
 * ones the root logger was built with (RootLog). The fields here are a fixed set: the ones a
 * caller chooses go through `safeText` (the root logger's scrub and cut, the same every other
 * string field gets) and are JSON-quoted, so no redaction path could match anything else.
 */
export class RequestLogLine {
  private readonly logger: Logger;
  private readonly stream: DestinationStream;
  /** `,"service":…,"pid":…,"hostname":…`: the root logger's base fields, serialised once. */
  private readonly bindings: string;
  private timeMs = Number.NaN;
  private timeText = '';
  private readonly memo = new Map<string, string>();
  private memoSince = 0;

  constructor(
    root: RootLog,
    private readonly safeText: (text: string) => string,
  ) {
    this.logger = root.logger;
    this.stream = root.destination;
    this.bindings = `,${JSON.stringify(root.base).slice(1, -1)}`;
  }

  write(level: RequestLineLevel, fields: RequestLineFields): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const time = this.time();
    if (this.timeMs - this.memoSince >= MEMO_MS) {
      this.memo.clear();
      this.memoSince = this.timeMs;
    }
    let line = `{"level":"${level}","time":"${time}"${this.bindings},"requestId":${JSON.stringify(fields.requestId)},"method":${this.quote(fields.method)},"endpoint":${JSON.stringify(fields.endpoint)},"url":${this.quote(fields.url)},"statusCode":${fields.statusCode},"outcome":${JSON.stringify(fields.outcome)}`;
    if (fields.app !== undefined)
      line += `,"app":${JSON.stringify(fields.app)}`;
    if (fields.userId !== undefined)
      line += `,"userId":${this.quote(fields.userId)}`;
    if (fields.strategy !== undefined)
      line += `,"strategy":${JSON.stringify(fields.strategy)}`;
    if (fields.reason !== undefined)
      line += `,"reason":${this.quote(fields.reason)}`;
    line += `,"durationMs":${fields.durationMs}`;
    if (fields.clientIp !== undefined)
      line += `,"clientIp":${this.quote(fields.clientIp)}`;
    if (fields.userAgent !== undefined)
      line += `,"userAgent":${this.quote(fields.userAgent)}`;
    this.stream.write(`${line},"msg":"request completed"}\n`);
  }

  /** pino's ISO time, formatted once per millisecond: several lines share one under load. */
  private time(): string {
    const now = Date.now();
    if (now !== this.timeMs) {
      this.timeMs = now;
      this.timeText = new Date(now).toISOString();
    }
    return this.timeText;
  }

  /**
   * A caller's string, made safe and JSON-quoted. The short ones repeat from request to request
   * (the path, the client's address and user agent, the user id), so their answers are kept: a
   * look-up instead of the scrubber's search and the quoting. Only strings the scrubber left
   * unchanged are kept (no secret or token is held), at most MEMO_ENTRIES of them, for at most
   * MEMO_MS.
   */
  private quote(text: string): string {
    if (text.length > MEMO_MAX_CHARS)
      return JSON.stringify(this.safeText(text));
    let quoted = this.memo.get(text);
    if (quoted === undefined) {
      const safe = this.safeText(text);
      quoted = JSON.stringify(safe);
      if (safe === text) {
        if (this.memo.size >= MEMO_ENTRIES) this.memo.clear();
        this.memo.set(text, quoted);
      }
    }
    return quoted;
  }
}

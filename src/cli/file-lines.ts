import { createReadStream } from 'node:fs';

/** One line of a file, without its line break. */
export interface FileLine {
  /** 1-based, counting empty lines. */
  number: number;
  bytes: Buffer;
}

/** A line longer than the reader's bound: the file is not what it should be. */
export class LineTooLongError extends Error {
  constructor(
    readonly line: number,
    readonly maxBytes: number,
  ) {
    super(`line ${line} is longer than ${maxBytes} bytes`);
    this.name = 'LineTooLongError';
  }
}

/**
 * The lines of a file as bytes, split at `\n` (a `\r` before it is dropped). Lines are kept as
 * bytes so the caller decodes them strictly, and each is bounded: readline would gather a line
 * with no break in it whole, and a 600 MB one ends in a string too long for V8 (a crash, after
 * holding it all). Here at most `maxBytes` (plus one chunk) are held before LineTooLongError.
 */
export async function* fileLines(
  path: string,
  maxBytes: number,
): AsyncGenerator<FileLine> {
  const stream = createReadStream(path);
  let parts: Buffer[] = [];
  let held = 0;
  let number = 0;
  const take = (): FileLine => {
    const joined = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    const end = joined.at(-1) === 0x0d ? joined.length - 1 : joined.length;
    parts = [];
    held = 0;
    return { number, bytes: joined.subarray(0, end) };
  };
  const hold = (part: Buffer): void => {
    held += part.length;
    if (held > maxBytes) throw new LineTooLongError(number + 1, maxBytes);
    parts.push(part);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (
        let end = chunk.indexOf(0x0a);
        end !== -1;
        end = chunk.indexOf(0x0a, start)
      ) {
        hold(chunk.subarray(start, end));
        number++;
        yield take();
        start = end + 1;
      }
      if (start < chunk.length) hold(chunk.subarray(start));
    }
    if (held > 0) {
      number++;
      yield take();
    }
  } finally {
    stream.destroy();
  }
}

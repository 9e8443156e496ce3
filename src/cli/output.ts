/** Progress and results go to stderr, so stdout carries only data. */
export function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Writes with backpressure: a slow reader (a pipe into less) is waited for, not buffered. */
export async function write(
  stream: NodeJS.WritableStream,
  text: string,
): Promise<void> {
  if (text === '' || stream.write(text)) return;
  await new Promise<void>((resolve) => stream.once('drain', resolve));
}

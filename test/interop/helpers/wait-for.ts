/**
 * Resolves with the first value `listen` reports, or rejects after `timeoutMs` naming what never
 * came (with `context()`, e.g. the processes' recent output). A guard against hanging, never an
 * assertion about speed.
 */
export function waitFor<T>(
  what: string,
  listen: (report: (value: T) => void) => () => void,
  context: () => string = () => '',
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let stopListening: () => void = () => undefined;
    const timer = setTimeout(() => {
      stopListening();
      reject(new Error(`timed out waiting for ${what}${context()}`));
    }, timeoutMs);
    let done = false;
    stopListening = listen((value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // `listen` may report synchronously, before it has returned its cleanup.
      queueMicrotask(() => stopListening());
      resolve(value);
    });
  });
}

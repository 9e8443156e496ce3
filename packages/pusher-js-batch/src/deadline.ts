/**
 * One request's time limit, over everything it waits for: the headers and params functions (a
 * token refresh that hangs), the connection, and the body. Whatever it is waiting on when the time
 * runs out rejects, and the fetch is aborted.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly expired: Promise<never>;

  constructor(readonly ms: number) {
    this.expired = new Promise<never>((_resolve, reject) => {
      this.controller.signal.addEventListener('abort', () =>
        reject(new Error(`no answer within ${ms} ms`)),
      );
    });
    // A rejection nobody awaits yet (the deadline expired between two awaits) is not unhandled.
    this.expired.catch(() => undefined);
    this.timer = setTimeout(() => this.controller.abort(), ms);
  }

  /** Given to fetch, which aborts the request and its body when the time runs out. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get hasExpired(): boolean {
    return this.controller.signal.aborted;
  }

  /** `work`'s result, or a rejection if the time runs out first. */
  race<T>(work: T | Promise<T>): Promise<T> {
    return Promise.race([Promise.resolve(work), this.expired]);
  }

  /** Stops the timer once the answer is in. */
  clear(): void {
    clearTimeout(this.timer);
  }
}

/**
 * Whether this instance still wants traffic. It flips once, when shutdown begins: readiness
 * answers 503 from then on and every response asks its client to close the connection.
 */
export class LifecycleState {
  private draining = false;

  get shuttingDown(): boolean {
    return this.draining;
  }

  beginShutdown(): void {
    this.draining = true;
  }
}

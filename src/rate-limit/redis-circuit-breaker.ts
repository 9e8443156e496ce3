export type BreakerState = 'closed' | 'open' | 'probing';

export interface RedisCircuitBreakerOptions {
  /** `REDIS_BREAKER_COOLDOWN_MS`: how long Redis is left alone after a failure. */
  cooldownMs: number;
  /** Called once per outage, when the breaker opens from closed. */
  onOpen?: (reason: string) => void;
  /** Called when Redis answers again. */
  onClose?: () => void;
  now?: () => number;
}

/**
 * Whether rate limits may ask Redis. A Redis that accepts connections but answers nothing costs
 * each command its full timeout; asked twice per request (address and user budgets), that was
 * about a second per request. So after one failure the breaker opens: no command is sent for
 * `cooldownMs` (the local budgets answer), then one probe is let through; its success closes the
 * breaker, its failure opens it for another `cooldownMs`.
 *
 * - closed: every check asks Redis.
 * - open: nobody asks Redis until the cooldown has passed.
 * - probing: one probe is out; everybody else still uses the local budget.
 */
export class RedisCircuitBreaker {
  private current: BreakerState = 'closed';
  private openedAt = 0;
  private readonly now: () => number;

  constructor(private readonly options: RedisCircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    return this.current;
  }

  /** True when a check may be sent to Redis: the breaker is closed. */
  get allowsCommands(): boolean {
    return this.current === 'closed';
  }

  /**
   * True once per cooldown while open: the caller sends one probe and reports its result with
   * `succeeded` or `failed`. Until then the breaker stays in `probing`.
   */
  takeProbe(): boolean {
    if (this.current !== 'open') return false;
    if (this.now() - this.openedAt < this.options.cooldownMs) return false;
    this.current = 'probing';
    return true;
  }

  succeeded(): void {
    if (this.current === 'closed') return;
    this.current = 'closed';
    this.options.onClose?.();
  }

  /** A command, a probe or the connection failed: (re)open for a full cooldown. */
  failed(reason: string): void {
    const wasClosed = this.current === 'closed';
    this.current = 'open';
    this.openedAt = this.now();
    if (wasClosed) this.options.onOpen?.(reason);
  }
}

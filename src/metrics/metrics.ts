import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
} from 'prom-client';
import type { CacheLookup } from '../cache/loading-cache';

/** Seconds; sign-ins are milliseconds when cached and tens of milliseconds on a storage read. */
const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** The in-process caches, as the `cache` label names them. */
const CACHE_NAMES = [
  'users',
  'channel_access',
  'introspection',
  'rate_limit',
] as const;
export type CacheName = (typeof CACHE_NAMES)[number];
export type IdentityOutcome = 'identified' | 'declined' | 'error';

/** One answered request's series: its counter and its latency histogram, bound together. */
export interface RequestSeries {
  inc(): void;
  observe(seconds: number): void;
}

/**
 * Bound series per label set: prom-client hashes a label object on every `inc`/`observe`
 * (sorting its keys, joining its values); a child bound once skips that. The label values are
 * few (routes, methods, outcomes, strategies), but a map keyed by values a request chooses
 * still gets a bound: past it, series are bound per call, as before.
 */
const MAX_BOUND_SERIES = 256;

/**
 * Every metric the service exposes at `/metrics`. Each application owns its own Registry (not
 * prom-client's global one), so several apps in one process never collide.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'pusher_auth_http_requests_total',
    help: 'HTTP requests answered, by route, method and outcome',
    labelNames: ['endpoint', 'method', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'pusher_auth_http_request_duration_seconds',
    help: 'Time from receiving a request to the end of its response',
    labelNames: ['endpoint', 'method', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /**
   * The signing routes' requests again, by the app they were for: how an operator sees that no
   * client uses an app entry any more before removing it (key rotation). Only requests whose app
   * was resolved are counted; an unknown name is `http_requests_total`'s not_found.
   */
  readonly appRequests = new Counter({
    name: 'pusher_auth_app_requests_total',
    help: 'Sign-in and channel requests answered, by app (PUSHER_APPS_FILE name, or default), route and outcome',
    labelNames: ['app', 'endpoint', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly directoryCache = new Counter({
    name: 'pusher_auth_directory_cache_lookups_total',
    help: 'User look-ups by cache result: hit, miss (a storage read), shared (joined a read in flight)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly cacheEvictions = new Counter({
    name: 'pusher_auth_cache_evictions_total',
    help: 'Entries dropped from a full in-process cache to make room for another, by cache',
    labelNames: ['cache'] as const,
    registers: [this.registry],
  });

  readonly identityChecks = new Counter({
    name: 'pusher_auth_identity_checks_total',
    help: 'Caller identifications, by the strategy that identified the caller ("none" otherwise) and outcome',
    labelNames: ['strategy', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly identityDuration = new Histogram({
    name: 'pusher_auth_identity_check_duration_seconds',
    help: 'Time spent identifying the caller through the AUTH_STRATEGIES chain',
    labelNames: ['strategy', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly rateLimitStoreErrors = new Counter({
    name: 'pusher_auth_rate_limit_store_errors_total',
    help: 'Rate-limit checks answered from the local budget: Redis failed, or its circuit breaker was open',
    registers: [this.registry],
  });

  readonly rateLimitRedisOutages = new Counter({
    name: 'pusher_auth_rate_limit_redis_outages_total',
    help: 'Times the Redis circuit breaker opened: Redis failed and rate limits switched to local budgets',
    registers: [this.registry],
  });

  readonly rateLimitBreakerOpen = new Gauge({
    name: 'pusher_auth_rate_limit_redis_breaker_open',
    help: '1 while rate limits leave Redis alone after a failure (the circuit breaker is open), 0 otherwise',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Every cache's series exists from the start, so a rate over it is defined before its first eviction.
    for (const cache of CACHE_NAMES) this.cacheEvictions.inc({ cache }, 0);
  }

  private readonly requestSeries = new Map<string, RequestSeries>();
  private readonly identitySeries = new Map<string, RequestSeries>();
  private readonly appSeries = new Map<string, { inc(): void }>();
  private readonly cacheLookups = new Map<
    CacheLookup,
    { inc(value?: number): void }
  >();

  /** The series of requests answered on `endpoint` with `method` and `outcome`. */
  requestSeriesFor(
    endpoint: string,
    method: string,
    outcome: string,
  ): RequestSeries {
    const key = `${endpoint} ${method} ${outcome}`;
    return bound(this.requestSeries, key, () =>
      pair(
        this.httpRequests.labels(endpoint, method, outcome),
        this.httpDuration.labels(endpoint, method, outcome),
      ),
    );
  }

  /** A signing route's answer, counted again by the app it was for. */
  recordAppRequest(app: string, endpoint: string, outcome: string): void {
    bound(this.appSeries, `${app} ${endpoint} ${outcome}`, () =>
      this.appRequests.labels(app, endpoint, outcome),
    ).inc();
  }

  recordCacheLookup(result: CacheLookup): void {
    bound(this.cacheLookups, result, () =>
      this.directoryCache.labels(result),
    ).inc();
  }

  recordCacheEviction(cache: CacheName): void {
    this.cacheEvictions.inc({ cache });
  }

  recordIdentityCheck(
    strategy: string,
    outcome: IdentityOutcome,
    seconds: number,
  ): void {
    const series = bound(this.identitySeries, `${strategy} ${outcome}`, () =>
      pair(
        this.identityChecks.labels(strategy, outcome),
        this.identityDuration.labels(strategy, outcome),
      ),
    );
    series.inc();
    series.observe(seconds);
  }
}

function pair(
  counter: { inc(value?: number): void },
  histogram: { observe(value: number): void },
): RequestSeries {
  return {
    inc: () => counter.inc(),
    observe: (seconds) => histogram.observe(seconds),
  };
}

function bound<K, V>(children: Map<K, V>, key: K, bind: () => V): V {
  let child = children.get(key);
  if (child === undefined) {
    child = bind();
    if (children.size < MAX_BOUND_SERIES) children.set(key, child);
  }
  return child;
}

import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  LabelValues,
  Registry,
} from 'prom-client';
import type { CacheLookup } from '../cache/loading-cache';
import { BoundCounter, boundCounter, boundHistogram } from './bound-metrics';

/** Seconds; sign-ins are milliseconds when cached and tens of milliseconds on a storage read. */
const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * The service's own in-process caches, as the `cache` label names them. An extension's cache is
 * labelled with the extension's name (declared when it is set up: set-up-extension.ts).
 */
const CACHE_NAMES = ['users', 'channel_access', 'rate_limit'] as const;
export type CacheName = (typeof CACHE_NAMES)[number];
export type IdentityOutcome = 'identified' | 'declined' | 'error';

/** One answered request's series: its counter and its latency histogram, bound together. */
export interface RequestSeries {
  inc(): void;
  observe(seconds: number): void;
}

/**
 * prom-client's children per label set, bound once (bound-metrics.ts). The label values
 * are few (routes, methods, outcomes, strategies, apps), but a map keyed by values a request
 * chooses still gets a bound: past it, a series is counted through prom-client's own per-call
 * path, which keeps nothing here.
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

  readonly connectionsDropped = new Counter({
    name: 'pusher_auth_connections_dropped_total',
    help: 'Connections closed as they arrived because HTTP_MAX_CONNECTIONS were already open',
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
    for (const cache of CACHE_NAMES) this.declareCache(cache);
  }

  /** The cache's eviction series, at 0: a rate over it is defined before its first eviction. */
  declareCache(cache: string): void {
    this.cacheEvictions.inc({ cache }, 0);
  }

  private readonly requestSeries = new BoundSeries<RequestSeries>();
  private readonly identitySeries = new BoundSeries<RequestSeries>();
  private readonly appSeries = new BoundSeries<BoundCounter>();
  private readonly cacheLookups = new BoundSeries<BoundCounter>();
  private readonly evictionSeries = new BoundSeries<BoundCounter>();

  /** The series of requests answered on `endpoint` with `method` and `outcome`. */
  requestSeriesFor(
    endpoint: string,
    method: string,
    outcome: string,
  ): RequestSeries {
    return (
      this.requestSeries.get(endpoint, method, outcome) ??
      this.requestSeries.bind(
        endpoint,
        method,
        outcome,
        (labels) => pair(this.httpRequests, this.httpDuration, labels),
        (labels) => unboundPair(this.httpRequests, this.httpDuration, labels),
        { endpoint, method, outcome },
      )
    );
  }

  /** A signing route's answer, counted again by the app it was for. */
  recordAppRequest(app: string, endpoint: string, outcome: string): void {
    (
      this.appSeries.get(app, endpoint, outcome) ??
      bindCounter(this.appSeries, this.appRequests, [app, endpoint, outcome], {
        app,
        endpoint,
        outcome,
      })
    ).inc();
  }

  recordCacheLookup(result: CacheLookup): void {
    (
      this.cacheLookups.get(result, '', '') ??
      bindCounter(this.cacheLookups, this.directoryCache, [result, '', ''], {
        result,
      })
    ).inc();
  }

  /**
   * `cache`: one of CACHE_NAMES, or the name of the extension whose cache it is. Called once per
   * new key in a flood of addresses (the rate-limit store), so bound like the rest.
   */
  recordCacheEviction(cache: CacheName | (string & {})): void {
    (
      this.evictionSeries.get(cache, '', '') ??
      bindCounter(this.evictionSeries, this.cacheEvictions, [cache, '', ''], {
        cache,
      })
    ).inc();
  }

  recordIdentityCheck(
    strategy: string,
    outcome: IdentityOutcome,
    seconds: number,
  ): void {
    const series =
      this.identitySeries.get(strategy, outcome, '') ??
      this.identitySeries.bind(
        strategy,
        outcome,
        '',
        (labels) => pair(this.identityChecks, this.identityDuration, labels),
        (labels) =>
          unboundPair(this.identityChecks, this.identityDuration, labels),
        { strategy, outcome },
      );
    series.inc();
    series.observe(seconds);
  }
}

function pair<L extends string>(
  counter: Counter<L>,
  histogram: Histogram<L>,
  labels: LabelValues<L>,
): RequestSeries {
  const count = boundCounter(counter, labels);
  const latency = boundHistogram(histogram, labels);
  return {
    inc: () => count.inc(),
    observe: (seconds) => latency.observe(seconds),
  };
}

/** The child of `counter` for `labels`, bound in `series` under `values` (the labels' values). */
function bindCounter<L extends string>(
  series: BoundSeries<BoundCounter>,
  counter: Counter<L>,
  [first, second, third]: [string, string, string],
  labels: LabelValues<L>,
): BoundCounter {
  return series.bind(
    first,
    second,
    third,
    (bound) => boundCounter(counter, bound),
    (bound) => ({ inc: () => counter.inc(bound) }),
    labels,
  );
}

/** Past MAX_BOUND_SERIES: prom-client's own per-call path, which keeps nothing of ours. */
function unboundPair<L extends string>(
  counter: Counter<L>,
  histogram: Histogram<L>,
  labels: LabelValues<L>,
): RequestSeries {
  return {
    inc: () => counter.inc(labels),
    observe: (seconds) => histogram.observe(labels, seconds),
  };
}

/**
 * Bound series by up to three label values, in nested maps: a look-up builds no key string (and
 * no closure) per request. At most MAX_BOUND_SERIES are kept.
 */
class BoundSeries<V> {
  private readonly byFirst = new Map<string, Map<string, Map<string, V>>>();
  private size = 0;

  get(first: string, second: string, third: string): V | undefined {
    return this.byFirst.get(first)?.get(second)?.get(third);
  }

  /** Binds a new series (`bind`), or past the bound one for this call only (`unbound`). */
  bind<L extends LabelValues<string>>(
    first: string,
    second: string,
    third: string,
    bind: (labels: L) => V,
    unbound: (labels: L) => V,
    labels: L,
  ): V {
    if (this.size >= MAX_BOUND_SERIES) return unbound(labels);
    const child = bind(labels);
    let bySecond = this.byFirst.get(first);
    if (!bySecond)
      this.byFirst.set(first, (bySecond = new Map<string, Map<string, V>>()));
    let byThird = bySecond.get(second);
    if (!byThird) bySecond.set(second, (byThird = new Map<string, V>()));
    byThird.set(third, child);
    this.size++;
    return child;
  }
}

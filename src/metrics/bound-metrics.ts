import {
  Counter,
  CounterConfiguration,
  Histogram,
  HistogramConfiguration,
  LabelValues,
} from 'prom-client';

/** One label set of a TalliedCounter, bound once by whoever counts it. */
export interface CounterTally {
  inc(): void;
}

/** One label set of a TalliedHistogram, bound once by whoever observes it. */
export interface HistogramTally {
  observe(value: number): void;
}

/*
 * prom-client's children bound with `labels()` still build a label object, check it and hash
 * it into a string on every `inc` and `observe`: the four to six such calls of a sign-in were
 * about 3% of its CPU (main bench row, Node 24). The metrics below count in plain numbers on the
 * request path, per label set bound once, and prom-client renders them when `/metrics` is read:
 * the counter through its public `collect` hook, the histogram through the series it renders.
 */

/** A prom-client Counter whose bound label sets are counted in plain numbers until scraped. */
export class TalliedCounter<L extends string> extends Counter<L> {
  private readonly tallies: { labels: LabelValues<L>; pending: number }[] = [];

  constructor(configuration: CounterConfiguration<L>) {
    super({
      ...configuration,
      collect() {
        (this as TalliedCounter<L>).handOver();
      },
    });
  }

  override reset(): void {
    super.reset();
    // prom-client's constructor resets too, before this class's fields exist.
    for (const tally of this.tallies ?? []) tally.pending = 0;
  }

  /** The label set's tally; call once per label set and keep it (each call adds one). */
  tally(labels: LabelValues<L>): CounterTally {
    const tally = { labels, pending: 0 };
    this.tallies.push(tally);
    // The series exists from its binding on, as prom-client's own `labels()` child does not.
    this.inc(labels, 0);
    return {
      inc: () => {
        tally.pending++;
      },
    };
  }

  /** Adds what was counted since the last scrape to prom-client's series. */
  private handOver(): void {
    for (const tally of this.tallies) {
      if (tally.pending === 0) continue;
      this.inc(tally.labels, tally.pending);
      tally.pending = 0;
    }
  }
}

/** One label set's observations: how many, their sum, and how many fell in each bucket. */
interface Series<L extends string> {
  labels: LabelValues<L>;
  count: number;
  sum: number;
  /** Per bucket, not cumulative; the last slot is above every bound (+Inf only). */
  buckets: Float64Array;
}

/** A value prom-client's registry renders: `metricName{sharedLabels,labels} value`. */
interface RenderedValue<L extends string> {
  labels: Record<string, string | number>;
  sharedLabels: LabelValues<L>;
  value: number;
  metricName: string;
}

/**
 * A prom-client Histogram whose label sets are bound once and observed in plain numbers. It
 * renders what prom-client's Histogram renders (cumulative `_bucket` lines with `le`, then
 * `+Inf`, `_sum` and `_count`, per label set); `labels()` and `observe()` with labels keep
 * working through the library's own series, rendered after these.
 */
export class TalliedHistogram<L extends string> extends Histogram<L> {
  private readonly series: Series<L>[] = [];
  private readonly bounds: readonly number[];
  private readonly metricName: string;

  constructor(
    configuration: HistogramConfiguration<L> & { buckets: number[] },
  ) {
    super(configuration);
    this.metricName = configuration.name;
    this.bounds = [...configuration.buckets].sort((a, b) => a - b);
  }

  /** The label set's tally; call once per label set and keep it. */
  tally(labels: LabelValues<L>): HistogramTally {
    const series: Series<L> = {
      labels,
      count: 0,
      sum: 0,
      buckets: new Float64Array(this.bounds.length + 1),
    };
    this.series.push(series);
    const bounds = this.bounds;
    return {
      observe: (value) => {
        // prom-client refuses these by throwing; a request's metrics must never fail it.
        if (!Number.isFinite(value)) return;
        let bucket = 0;
        while (bucket < bounds.length && value > bounds[bucket]) bucket++;
        series.buckets[bucket]++;
        series.count++;
        series.sum += value;
      },
    };
  }

  /** Read by prom-client's registry for the text format. */
  async getForPromString() {
    const own = await (
      Histogram.prototype as unknown as {
        getForPromString(this: Histogram<L>): Promise<{
          values: RenderedValue<L>[];
        }>;
      }
    ).getForPromString.call(this);
    return { ...own, values: [...this.rendered(), ...own.values] };
  }

  /** Read by the JSON API: the same values with each line's labels in one object. */
  override async get() {
    const data = await this.getForPromString();
    const values = data.values.map(({ labels, sharedLabels, ...rest }) => ({
      ...rest,
      labels: { ...labels, ...sharedLabels },
    }));
    return { ...data, values } as unknown as Awaited<
      ReturnType<Histogram<L>['get']>
    >;
  }

  override reset(): void {
    super.reset();
    // prom-client's constructor resets too, before this class's fields exist.
    for (const series of this.series ?? []) {
      series.count = 0;
      series.sum = 0;
      series.buckets.fill(0);
    }
  }

  private rendered(): RenderedValue<L>[] {
    const values: RenderedValue<L>[] = [];
    const name = this.metricName;
    for (const series of this.series) {
      const line = (
        metricName: string,
        value: number,
        labels: Record<string, string | number> = {},
      ) =>
        values.push({ labels, sharedLabels: series.labels, value, metricName });
      let cumulative = 0;
      this.bounds.forEach((bound, index) => {
        cumulative += series.buckets[index];
        line(`${name}_bucket`, cumulative, { le: bound });
      });
      line(`${name}_bucket`, series.count, { le: '+Inf' });
      line(`${name}_sum`, series.sum);
      line(`${name}_count`, series.count);
    }
    return values;
  }
}

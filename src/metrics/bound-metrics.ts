import { Counter, Histogram, LabelValues } from 'prom-client';

/** One label set of a counter, bound once by whoever counts it. */
export interface BoundCounter {
  inc(): void;
}

/** One label set of a histogram, bound once by whoever observes it. */
export interface BoundHistogram {
  observe(value: number): void;
}

/** prom-client's child of `counter` for `labels`, rendered (at 0) from its binding on. */
export function boundCounter<L extends string>(
  counter: Counter<L>,
  labels: LabelValues<L>,
): BoundCounter {
  counter.inc(labels, 0);
  return counter.labels(labels);
}

/**
 * prom-client's child of `histogram` for `labels`, rendered (empty) from its binding on. A value
 * that is not a finite number is left out: prom-client refuses it by throwing, and a request's
 * metrics must never fail the request.
 */
export function boundHistogram<L extends string>(
  histogram: Histogram<L>,
  labels: LabelValues<L>,
): BoundHistogram {
  histogram.zero(labels);
  const child = histogram.labels(labels);
  return {
    observe: (value) => {
      if (Number.isFinite(value)) child.observe(value);
    },
  };
}

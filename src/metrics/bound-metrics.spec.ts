import { Counter, Histogram, Registry } from 'prom-client';
import { TalliedCounter, TalliedHistogram } from './tallied-metrics';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVED = [0.0005, 0.001, 0.003, 0.05, 0.05, 0.7, 1, 3, 12];

/** The same metric twice: prom-client's own, and ours fed the same way. */
function both() {
  const library = new Registry();
  const ours = new Registry();
  const config = {
    name: 'answers_seconds',
    help: 'answers',
    labelNames: ['route', 'outcome'] as const,
    buckets: BUCKETS,
  };
  return {
    library,
    ours,
    libraryHistogram: new Histogram({ ...config, registers: [library] }),
    ourHistogram: new TalliedHistogram({ ...config, registers: [ours] }),
    libraryCounter: new Counter({
      name: 'answers_total',
      help: 'answers',
      labelNames: ['route'] as const,
      registers: [library],
    }),
    ourCounter: new TalliedCounter({
      name: 'answers_total',
      help: 'answers',
      labelNames: ['route'] as const,
      registers: [ours],
    }),
  };
}

describe('tallied metrics', () => {
  it('render exactly what prom-client renders for the same observations', async () => {
    const m = both();
    const signed = { route: '/sign', outcome: 'signed' };
    const refused = { route: '/sign', outcome: 'for"bidden\\' };
    const ourSigned = m.ourHistogram.tally(signed);
    const ourRefused = m.ourHistogram.tally(refused);
    for (const value of OBSERVED) {
      m.libraryHistogram.observe(signed, value);
      ourSigned.observe(value);
    }
    m.libraryHistogram.observe(refused, 0.02);
    ourRefused.observe(0.02);
    const sign = m.ourCounter.tally({ route: '/sign' });
    for (let n = 0; n < 5; n++) {
      m.libraryCounter.inc({ route: '/sign' });
      sign.inc();
    }
    expect(await m.ours.metrics()).toBe(await m.library.metrics());
    // The JSON API: the same lines (prom-client adds an empty exemplar to each of its own).
    const lines = async (registry: Registry) =>
      (await registry.getMetricsAsJSON()).map(({ name, type, values }) => ({
        name,
        type,
        values: values.map((line) => ({
          labels: line.labels,
          value: line.value,
          metricName: (line as { metricName?: string }).metricName,
        })),
      }));
    expect(await lines(m.ours)).toEqual(await lines(m.library));
  });

  it('keep counting across scrapes without counting anything twice', async () => {
    const m = both();
    const sign = m.ourCounter.tally({ route: '/sign' });
    sign.inc();
    m.libraryCounter.inc({ route: '/sign' });
    await m.ours.metrics();
    sign.inc();
    sign.inc();
    m.libraryCounter.inc({ route: '/sign' }, 2);
    expect(await m.ours.metrics()).toBe(await m.library.metrics());
    expect(await m.ours.metrics()).toContain('answers_total{route="/sign"} 3');
  });

  it('render a label set from its binding on, and after a reset start again from zero', async () => {
    const m = both();
    const latency = m.ourHistogram.tally({ route: '/a', outcome: 'ok' });
    expect(await m.ours.metrics()).toContain(
      'answers_seconds_count{route="/a",outcome="ok"} 0',
    );
    latency.observe(0.5);
    m.ours.resetMetrics();
    latency.observe(0.002);
    expect(await m.ours.metrics()).toContain(
      'answers_seconds_count{route="/a",outcome="ok"} 1',
    );
    expect(await m.ours.metrics()).toContain(
      'answers_seconds_sum{route="/a",outcome="ok"} 0.002',
    );
  });

  it('ignore a value that is not a finite number instead of failing the request', async () => {
    const m = both();
    const latency = m.ourHistogram.tally({ route: '/a', outcome: 'ok' });
    latency.observe(Number.NaN);
    latency.observe(Number.POSITIVE_INFINITY);
    expect(await m.ours.metrics()).toContain(
      'answers_seconds_count{route="/a",outcome="ok"} 0',
    );
  });

  it("render prom-client's own series, observed with labels, beside the tallies", async () => {
    const m = both();
    m.ourHistogram.tally({ route: '/a', outcome: 'ok' }).observe(0.005);
    m.ourHistogram.observe({ route: '/b', outcome: 'ok' }, 0.5);
    const text = await m.ours.metrics();
    expect(text).toContain('answers_seconds_count{route="/a",outcome="ok"} 1');
    expect(text).toContain('answers_seconds_count{route="/b",outcome="ok"} 1');
  });
});

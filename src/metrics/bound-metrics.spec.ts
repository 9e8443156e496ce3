import { Counter, Histogram, Registry } from 'prom-client';
import { boundCounter, boundHistogram } from './bound-metrics';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVED = [0.0005, 0.001, 0.003, 0.05, 0.05, 0.7, 1, 3, 12];

/** The same metrics twice: one fed with labels on every call, one through bound children. */
function both() {
  const metrics = (registry: Registry) => ({
    histogram: new Histogram({
      name: 'answers_seconds',
      help: 'answers',
      labelNames: ['route', 'outcome'] as const,
      buckets: BUCKETS,
      registers: [registry],
    }),
    counter: new Counter({
      name: 'answers_total',
      help: 'answers',
      labelNames: ['route'] as const,
      registers: [registry],
    }),
  });
  const library = new Registry();
  const ours = new Registry();
  return { library, ours, perCall: metrics(library), bound: metrics(ours) };
}

describe('bound metrics', () => {
  it('render exactly what prom-client renders for the same observations made with labels', async () => {
    const m = both();
    const signed = { route: '/sign', outcome: 'signed' };
    const refused = { route: '/sign', outcome: 'for"bidden\\' };
    const ourSigned = boundHistogram(m.bound.histogram, signed);
    const ourRefused = boundHistogram(m.bound.histogram, refused);
    for (const value of OBSERVED) {
      m.perCall.histogram.observe(signed, value);
      ourSigned.observe(value);
    }
    m.perCall.histogram.observe(refused, 0.02);
    ourRefused.observe(0.02);
    const sign = boundCounter(m.bound.counter, { route: '/sign' });
    for (let n = 0; n < 5; n++) {
      m.perCall.counter.inc({ route: '/sign' });
      sign.inc();
    }
    expect(await m.ours.metrics()).toBe(await m.library.metrics());
  });

  it('render a label set from its binding on, and after a reset start again from zero', async () => {
    const m = both();
    const latency = boundHistogram(m.bound.histogram, {
      route: '/a',
      outcome: 'ok',
    });
    boundCounter(m.bound.counter, { route: '/a' });
    expect(await m.ours.metrics()).toContain(
      'answers_seconds_count{route="/a",outcome="ok"} 0',
    );
    expect(await m.ours.metrics()).toContain('answers_total{route="/a"} 0');
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
    const latency = boundHistogram(m.bound.histogram, {
      route: '/a',
      outcome: 'ok',
    });
    latency.observe(Number.NaN);
    latency.observe(Number.POSITIVE_INFINITY);
    expect(await m.ours.metrics()).toContain(
      'answers_seconds_count{route="/a",outcome="ok"} 0',
    );
  });
});

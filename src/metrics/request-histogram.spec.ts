import fc from 'fast-check';
import { Histogram, Registry } from 'prom-client';
import { RequestHistogram } from './request-histogram';

const BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
const NAME = 'http_request_duration_seconds';
const HELP = 'HTTP request duration in seconds.';

/** prom-client's own Histogram and ours, each in a registry of its own, fed the same observations. */
function pair() {
  const theirsRegistry = new Registry();
  const oursRegistry = new Registry();
  const theirs = new Histogram({
    name: NAME,
    help: HELP,
    labelNames: ['method', 'route', 'status'],
    buckets: BUCKETS,
    registers: [theirsRegistry],
  });
  const ours = new RequestHistogram(NAME, HELP, BUCKETS, oursRegistry);
  return { theirs, ours, theirsRegistry, oursRegistry };
}

const observation = fc.record({
  method: fc.constantFrom('GET', 'POST', 'DELETE'),
  route: fc.constantFrom(
    '/api/benchmarks/compare',
    '/api/benchmarks/industries/:industry',
    'unmatched',
    'a "quoted" \\ route',
  ),
  status: fc.constantFrom(200, 400, 404, 503),
  seconds: fc.oneof(
    fc.constantFrom(...BUCKETS, 0, 10.5, 1e-9),
    fc.double({ min: 0, max: 20, noNaN: true }),
  ),
});

describe('RequestHistogram', () => {
  it("should write exactly what prom-client's Histogram writes for the same observations, as text and as JSON", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(observation, { maxLength: 60 }),
        async (observations) => {
          const { theirs, ours, theirsRegistry, oursRegistry } = pair();
          for (const o of observations) {
            theirs.observe(
              { method: o.method, route: o.route, status: String(o.status) },
              o.seconds,
            );
            ours.observe(o.method, o.route, o.status, o.seconds);
          }
          expect(await oursRegistry.metrics()).toBe(
            await theirsRegistry.metrics(),
          );
          expect(await oursRegistry.getMetricsAsJSON()).toEqual(
            await theirsRegistry.getMetricsAsJSON(),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('should count an observation above the last bound only in +Inf, sum and count, and start again after reset', async () => {
    const { ours, oursRegistry } = pair();
    ours.observe('GET', '/x', 200, 0.003);
    ours.observe('GET', '/x', 200, 12);
    const text = await oursRegistry.metrics();
    expect(text).toContain(
      `${NAME}_bucket{le="10",method="GET",route="/x",status="200"} 1`,
    );
    expect(text).toContain(
      `${NAME}_bucket{le="+Inf",method="GET",route="/x",status="200"} 2`,
    );
    expect(text).toContain(
      `${NAME}_sum{method="GET",route="/x",status="200"} 12.003`,
    );
    ours.reset();
    expect(await oursRegistry.metrics()).not.toContain('_bucket');
  });
});

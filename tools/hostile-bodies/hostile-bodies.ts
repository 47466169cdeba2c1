/**
 * Request bodies built to cost the service as much as a body of their size can: many keys, wide and deep objects,
 * long arrays and strings, every value wrong. Shared by the e2e test of bounded work (test/hostile-bodies.e2e-spec.ts)
 * and the chaos run's "hostile bodies" phase (chaos/run.js, through dist-tools).
 */

/** One hostile request: where it goes, and its JSON body. */
export interface HostileBody {
  readonly shape: string;
  readonly path: string;
  readonly body: string;
}

const B = '/api/benchmarks';
const PEERS = { industry: 'retail', company_size: 'small', region: 'midwest' };

/** Short distinct keys: 0, 1, ..., z, 10, ... (base 36), the most keys a body of a given size can hold. */
const key = (i: number): string => i.toString(36);

/** The largest n (by doubling, then bisection) whose `build(n)` stays within `bytes`, and that body. */
function fill(bytes: number, build: (n: number) => unknown): string {
  let low = 0;
  let high = 1;
  while (JSON.stringify(build(high)).length <= bytes && high < 1 << 24)
    high *= 2;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (JSON.stringify(build(mid)).length <= bytes) low = mid;
    else high = mid;
  }
  return JSON.stringify(build(low));
}

/** An object of `n` keys whose values are made by `value(i)`. */
function objectOf(n: number, value: (i: number) => unknown): object {
  const object: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) object[key(i)] = value(i);
  return object;
}

/** The widest object the body parser takes (its limit of keys per object). */
const WIDE = 64;

/**
 * Hostile bodies of at most `bytes` bytes each (JSON text length; ASCII only, so bytes), one per shape:
 * - `unknown keys`: the review's body: a valid comparison plus as many unknown top-level keys as fit;
 * - `metrics`: `user_values` with as many metrics as fit;
 * - `wide objects`: an unknown field holding objects of 64 keys (each under the per-object limit) as many as fit;
 * - `wide nested`: `user_values` whose values are objects of 64 keys of objects of 64 keys...;
 * - `long array`: `metrics` of /data with as many names as fit;
 * - `long string`: an industry name as long as fits;
 * - `bad points`: a trajectory whose every point is wrong, as many as fit;
 * - `weights`: a scorecard with as many weights as fit, each naming no metric;
 * - `deep`: nested arrays as deep as fit.
 */
export function hostileBodies(bytes: number): HostileBody[] {
  const comparison = {
    ...PEERS,
    user_values: { profit_margin: 0.05 },
  };
  return [
    {
      shape: 'unknown keys',
      path: `${B}/compare`,
      body: fill(bytes, (n) => ({
        ...comparison,
        ...objectOf(n, () => 0),
      })),
    },
    {
      shape: 'metrics',
      path: `${B}/compare`,
      body: fill(bytes, (n) => ({
        ...PEERS,
        user_values: objectOf(n, () => 0),
      })),
    },
    {
      shape: 'wide objects',
      path: `${B}/compare`,
      body: fill(bytes, (n) => ({
        ...comparison,
        extra: Array.from({ length: Math.min(n, 1000) }, () =>
          objectOf(WIDE, () => 0),
        ),
      })),
    },
    {
      shape: 'wide nested',
      path: `${B}/compare`,
      body: fill(bytes, (n) => ({
        ...PEERS,
        user_values: objectOf(Math.min(n, WIDE), (i) =>
          objectOf(WIDE, (j) =>
            (i * WIDE + j) * WIDE < n ? objectOf(WIDE, () => 'x') : 0,
          ),
        ),
      })),
    },
    {
      shape: 'long array',
      path: `${B}/data`,
      body: fill(bytes, (n) => ({
        ...PEERS,
        metrics: Array.from({ length: n }, (_, i) => key(i)),
      })),
    },
    {
      shape: 'long string',
      path: `${B}/compare`,
      body: fill(bytes, (n) => ({
        ...comparison,
        industry: 'r'.repeat(n),
      })),
    },
    {
      shape: 'bad points',
      path: `${B}/compare/trajectory`,
      body: fill(bytes, (n) => ({
        ...PEERS,
        user_series: objectOf(Math.min(10, Math.ceil(n / 120)), (m) =>
          Array.from({ length: Math.min(120, n - m * 120) }, () => ({
            period: '2024-02-30',
            value: 'x',
          })),
        ),
      })),
    },
    {
      shape: 'weights',
      path: `${B}/scorecard`,
      body: fill(bytes, (n) => ({
        ...comparison,
        weights: objectOf(n, () => -1),
      })),
    },
    {
      shape: 'deep',
      path: `${B}/compare`,
      // Written out: JSON.stringify itself recurses, and overflows the stack long before 64 KiB of brackets.
      body: (() => {
        const head = JSON.stringify(comparison).slice(0, -1) + ',"extra":';
        const depth = Math.floor((bytes - head.length - 2) / 2);
        return `${head}${'['.repeat(depth)}0${']'.repeat(depth)}}`;
      })(),
    },
  ];
}

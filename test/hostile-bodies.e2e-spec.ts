import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JSON_BODY_LIMITS } from '../src/http/json-shape';
import { MAX_LISTED_PROBLEMS } from '../src/common/listed-problems';
import { hostileBodies } from '../tools/hostile-bodies/hostile-bodies';
import { createTestApp } from './utils/create-test-app';
import { expectErrorAnswer, postJson, type ErrorBody } from './utils/http';

/** The default body limit (BODY_LIMIT_BYTES): the largest body any of these routes takes. */
const FULL = 64 * 1024;
/** An ordinary comparison, as another client sends it. */
const ORDINARY = JSON.stringify({
  industry: 'retail',
  region: 'west',
  period: '2024-12-01',
  user_values: { profit_margin: 0.08, revenue_per_employee: 180000 },
});

/** CPU microseconds (user + system) of this process while `work` runs. */
async function cpuOf(work: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

describe('Hostile request bodies (e2e)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  describe('bounded work', () => {
    // CPU time, not wall time: a busy machine stretches every request alike. Three sizes of the body, 4, 16 and
    // 64 KiB, and an ordinary comparison, measured in turn.
    // - Linear: the cost added from 4 to 64 KiB is at most twice what the cost added from 4 to 16 KiB predicts
    //   linearly (5 times it), give or take 2 ms of noise (a quadratic step adds 17 times as much instead).
    // - Bounded: a refused body at the limit costs at most 25 ordinary comparisons (before the limits, 7 of these 9
    //   shapes cost 35 to 170 of them here; 8,000 unknown keys the most).
    it.each(hostileBodies(FULL).map((b) => [b.shape]))(
      'should spend at most linearly more CPU on a larger refused body, at most 25 ordinary requests at the limit (%s)',
      async (shape) => {
        const sizes = [FULL / 16, FULL / 4, FULL];
        const bodies = [
          ...sizes.map((size) =>
            hostileBodies(size).find((b) => b.shape === shape)!,
          ),
          {
            shape: 'ordinary',
            path: '/api/benchmarks/compare',
            body: ORDINARY,
          },
        ];
        expect(bodies[2].body.length).toBeLessThanOrEqual(FULL);
        const send = (b: (typeof bodies)[number]) =>
          postJson(app, b.path, b.body);
        // Warm-up (compiled code, compiled checks, metadata caches), and every hostile one refused.
        for (let i = 0; i < 5; i++)
          for (const [n, b] of bodies.entries())
            expect((await send(b)).statusCode).toBe(n < 3 ? 400 : 200);
        const cpu: number[][] = bodies.map(() => []);
        for (let round = 0; round < 7; round++)
          for (const [i, b] of bodies.entries())
            cpu[i].push(
              (await cpuOf(async () => {
                for (let n = 0; n < 4; n++) await send(b);
              })) / 4,
            );
        const [small, middle, full, ordinary] = cpu.map(median);
        const length = bodies.map((b) => b.body.length);
        const predicted =
          (Math.max(0, middle - small) * (length[2] - length[0])) /
          (length[1] - length[0]);
        expect(full - small).toBeLessThanOrEqual(2 * predicted + 2000);
        expect(full).toBeLessThanOrEqual(25 * ordinary);
      },
      120_000,
    );

    it.each(hostileBodies(FULL).map((b) => [b.shape, b]))(
      'should answer a 400 of bounded size naming what is wrong (%s)',
      async (_shape, hostile) => {
        const res = await postJson(app, hostile.path, hostile.body);
        const body = expectErrorAnswer(res, 400, '');
        const messages = Array.isArray(body.message)
          ? body.message
          : [body.message];
        expect(messages.length).toBeLessThanOrEqual(MAX_LISTED_PROBLEMS + 1);
        expect(res.body.length).toBeLessThan(8 * 1024);
      },
    );
  });

  describe('the body limits', () => {
    const compare = (extra: Record<string, unknown>) => ({
      industry: 'retail',
      user_values: { profit_margin: 0.05 },
      ...extra,
    });
    const keys = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`m${i}`, 1]));

    it('should refuse an object of more keys than the limit, naming it, before looking at the keys', async () => {
      const res = await postJson(
        app,
        '/api/benchmarks/compare',
        compare({ user_values: keys(JSON_BODY_LIMITS.maxKeys + 1) }),
      );
      expectErrorAnswer(
        res,
        400,
        `user_values has more than ${JSON_BODY_LIMITS.maxKeys} keys: an object in a request body may have at most ${JSON_BODY_LIMITS.maxKeys}`,
      );
    });

    it('should pass an object at the limit on to validation', async () => {
      const res = await postJson(
        app,
        '/api/benchmarks/compare',
        compare({ user_values: keys(JSON_BODY_LIMITS.maxKeys) }),
      );
      expectErrorAnswer(res, 400, 'user_values may contain at most 50 metrics');
    });

    it('should refuse a body of too many keys at its top level as "The request body"', async () => {
      const res = await postJson(
        app,
        '/api/benchmarks/compare',
        compare(keys(JSON_BODY_LIMITS.maxKeys)),
      );
      expectErrorAnswer(
        res,
        400,
        `The request body has more than ${JSON_BODY_LIMITS.maxKeys} keys`,
      );
    });

    it('should refuse a long array, naming it', async () => {
      const res = await postJson(app, '/api/benchmarks/data', {
        industry: 'retail',
        metrics: Array.from(
          { length: JSON_BODY_LIMITS.maxItems + 1 },
          () => 'profit_margin',
        ),
      });
      expectErrorAnswer(
        res,
        400,
        `metrics has more than ${JSON_BODY_LIMITS.maxItems} items: an array in a request body may have at most ${JSON_BODY_LIMITS.maxItems}`,
      );
    });

    it('should refuse a long string, naming where it is', async () => {
      const res = await postJson(app, '/api/benchmarks/compare/trajectory', {
        industry: 'retail',
        user_series: {
          profit_margin: [
            { period: '2024-01-01', value: 1 },
            { period: 'x'.repeat(JSON_BODY_LIMITS.maxStringLength + 1) },
          ],
        },
      });
      expectErrorAnswer(
        res,
        400,
        `user_series.profit_margin[1].period is ${JSON_BODY_LIMITS.maxStringLength + 1} characters long: a string in a request body may have at most ${JSON_BODY_LIMITS.maxStringLength}`,
      );
    });

    it('should refuse a long key, naming the object it is in', async () => {
      const res = await postJson(
        app,
        '/api/benchmarks/compare',
        compare({
          user_values: { ['k'.repeat(JSON_BODY_LIMITS.maxKeyLength + 1)]: 1 },
        }),
      );
      expectErrorAnswer(
        res,
        400,
        `user_values has a key of ${JSON_BODY_LIMITS.maxKeyLength + 1} characters ("${'k'.repeat(40)}"...): a key in a request body may have at most ${JSON_BODY_LIMITS.maxKeyLength}`,
      );
    });

    it('should list the first problems and say how many more there were', async () => {
      const res = await postJson(
        app,
        '/api/benchmarks/compare',
        compare(keys(40)),
      );
      const body = res.json<ErrorBody>();
      expect(res.statusCode).toBe(400);
      expect(body.message).toHaveLength(MAX_LISTED_PROBLEMS + 1);
      expect(body.message[0]).toBe('property m0 should not exist');
      expect(body.message[MAX_LISTED_PROBLEMS]).toBe(
        `... and ${40 - MAX_LISTED_PROBLEMS} more problems`,
      );
    });

    it('should cap the problems of a map as well (a trajectory of 600 wrong points)', async () => {
      const series = Object.fromEntries(
        Array.from({ length: 5 }, (_, m) => [
          `metric_${m}`,
          Array.from({ length: 120 }, () => ({ period: 'x', value: 'y' })),
        ]),
      );
      const res = await postJson(app, '/api/benchmarks/compare/trajectory', {
        industry: 'retail',
        user_series: series,
      });
      const body = expectErrorAnswer(
        res,
        400,
        `... and ${5 * 120 * 2 - MAX_LISTED_PROBLEMS} more problems`,
      );
      expect(JSON.stringify(body).length).toBeLessThan(8 * 1024);
    });
  });
});

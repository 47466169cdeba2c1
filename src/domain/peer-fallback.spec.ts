import type { BenchmarkPoint, Percentiles } from './benchmark';
import { percentileRank } from './percentile-rank';
import {
  chooseLevel,
  fallbackChain,
  isUndersampled,
  pooledPoint,
} from './peer-fallback';

const point = (
  percentiles: Percentiles | null,
  sampleSize: number | null,
  source: BenchmarkPoint['source'] = 'synthetic',
): BenchmarkPoint => ({
  month: 24299,
  value: percentiles?.p50 ?? 1,
  percentiles,
  sampleSize,
  source,
});

const P: Percentiles = { p10: 10, p25: 20, p50: 40, p75: 60, p90: 100 };

describe('fallbackChain', () => {
  it('should go from the region to the nation to every size, for a regional request', () => {
    expect(
      fallbackChain({
        industry: 'retail',
        companySize: 'large',
        region: 'southwest',
      }),
    ).toEqual([
      { companySize: 'large', region: 'southwest', fallback: false },
      { companySize: 'large', region: 'national', fallback: true },
      { companySize: 'all', region: 'national', fallback: true },
    ]);
  });

  it('should start at the national cell for a national request', () => {
    expect(
      fallbackChain({
        industry: 'retail',
        companySize: 'small',
        region: 'national',
      }),
    ).toEqual([
      { companySize: 'small', region: 'national', fallback: false },
      { companySize: 'all', region: 'national', fallback: true },
    ]);
  });
});

describe('isUndersampled', () => {
  it('should compare a known sample with the minimum and never flag a population', () => {
    expect(isUndersampled({ sampleSize: 29 }, 30)).toBe(true);
    expect(isUndersampled({ sampleSize: 30 }, 30)).toBe(false);
    expect(isUndersampled({ sampleSize: null }, 30)).toBe(false);
  });
});

describe('chooseLevel', () => {
  const own = { name: 'own', point: point(P, 24) };
  const nation = { name: 'nation', point: point(P, 41) };
  const all = { name: 'all', point: point(P, 300) };

  it('should keep the own cell when its sample is large enough', () => {
    expect(chooseLevel([own, nation, all], 20)?.name).toBe('own');
  });

  it('should take the first level in the chain with a large enough sample', () => {
    expect(chooseLevel([own, nation, all], 30)?.name).toBe('nation');
    expect(chooseLevel([own, nation, all], 50)?.name).toBe('all');
  });

  it('should end at the broadest level when no sample is large enough', () => {
    expect(chooseLevel([own, nation, all], 1000)?.name).toBe('all');
  });

  it('should skip levels that are not available', () => {
    expect(chooseLevel([own, undefined, all], 30)?.name).toBe('all');
    expect(chooseLevel([own, nation, undefined], 1000)?.name).toBe('nation');
  });
});

describe('pooledPoint', () => {
  it('should give back the distribution when every group has the same one, with the summed sample', () => {
    const pooled = pooledPoint(
      [point(P, 50), point(P, 80), point(P, 20)],
      'usd',
    );
    expect(pooled?.percentiles).toEqual(P);
    expect(pooled?.value).toBe(P.p50);
    expect(pooled?.sampleSize).toBe(150);
    expect(pooled?.source).toBe('synthetic');
  });

  it('should place each pooled percentile where the sample-weighted share of businesses below it is that rank', () => {
    const low: Percentiles = { p10: 50, p25: 70, p50: 100, p75: 140, p90: 190 };
    const high: Percentiles = {
      p10: 90,
      p25: 120,
      p50: 160,
      p75: 220,
      p90: 300,
    };
    const pooled = pooledPoint([point(low, 300), point(high, 100)], 'usd')!;
    const p = pooled.percentiles!;
    const ranks = [p.p10, p.p25, p.p50, p.p75, p.p90].map(
      (x) =>
        (300 * percentileRank(x, low) + 100 * percentileRank(x, high)) / 400,
    );
    ranks.forEach((rank, i) =>
      expect(rank).toBeCloseTo([10, 25, 50, 75, 90][i], 1),
    );
    // Weighted towards the larger group: its median lies between the two, nearer the low one.
    expect(p.p50).toBeGreaterThan(100);
    expect(p.p50).toBeLessThan(130);
  });

  it('should round to the unit and keep the percentiles strictly increasing', () => {
    const tight: Percentiles = {
      p10: 0.1,
      p25: 0.10001,
      p50: 0.10002,
      p75: 0.10003,
      p90: 0.10004,
    };
    const p = pooledPoint(
      [point(tight, 40), point(tight, 40)],
      'fraction',
    )!.percentiles!;
    const xs = [p.p10, p.p25, p.p50, p.p75, p.p90];
    xs.forEach((x) => expect(Math.round(x * 1e4) / 1e4).toBe(x));
    for (let i = 1; i < xs.length; i++)
      expect(xs[i]).toBeGreaterThan(xs[i - 1]);
  });

  it('should refuse groups without percentiles, without a sample or from different sources', () => {
    expect(pooledPoint([point(P, 50), point(null, 50)], 'usd')).toBeUndefined();
    expect(pooledPoint([point(P, 50), point(P, null)], 'usd')).toBeUndefined();
    expect(
      pooledPoint([point(P, 50), point(P, 50, 'bls')], 'usd'),
    ).toBeUndefined();
    expect(pooledPoint([], 'usd')).toBeUndefined();
  });
});

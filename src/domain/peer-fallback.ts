import type { BenchmarkPoint, PeerGroup, Percentiles } from './benchmark';
import {
  COMPANY_SIZES,
  type CompanySize,
  type Region,
  type Unit,
} from './enums';
import { roundToUnit, strictlyIncreasing, UNIT_DECIMALS } from './format';
import { exactPercentileRank, valueAtRank } from './percentile-rank';

/** A company-size class, or `all`: the three classes pooled. */
export const PEER_SIZES = [...COMPANY_SIZES, 'all'] as const;
export type PeerSize = CompanySize | 'all';

/** The peer group a benchmark point really describes, and whether it is a fallback from the one asked for. */
export interface PeerLevel {
  readonly companySize: PeerSize;
  readonly region: Region;
  readonly fallback: boolean;
}

/**
 * The peer groups to try, most specific first: industry + size + region, then industry + size nationally, then the
 * industry nationally with every size pooled. A national request starts at the second.
 */
export function fallbackChain(peers: PeerGroup): PeerLevel[] {
  const chain: PeerLevel[] = [
    { companySize: peers.companySize, region: peers.region, fallback: false },
  ];
  if (peers.region !== 'national') {
    chain.push({
      companySize: peers.companySize,
      region: 'national',
      fallback: true,
    });
  }
  chain.push({ companySize: 'all', region: 'national', fallback: true });
  return chain;
}

/**
 * Whether a point's sample is too small to stand alone: a known sample under `minSampleSize`. Points without a
 * sample size (BLS counts whole populations) never are.
 */
export function isUndersampled(
  point: Pick<BenchmarkPoint, 'sampleSize' | 'population'>,
  minSampleSize: number,
): boolean {
  return (
    point.population !== true &&
    point.sampleSize !== null &&
    point.sampleSize < minSampleSize
  );
}

/**
 * The first candidate, in chain order, whose sample is large enough; when none is, the last one (the broadest group
 * there is, however small). Candidates that are undefined (not available) are skipped.
 */
export function chooseLevel<T extends { point: BenchmarkPoint }>(
  candidates: ReadonlyArray<T | undefined>,
  minSampleSize: number,
): T | undefined {
  const present = candidates.filter((c): c is T => c !== undefined);
  return (
    present.find((c) => !isUndersampled(c.point, minSampleSize)) ??
    present[present.length - 1]
  );
}

const POOLED_RANKS = [10, 25, 50, 75, 90] as const;

/**
 * The distribution of several peer groups taken together (the size classes of one industry and month): the mixture
 * whose share of businesses below x is the sample-weighted mean of each group's (each group interpolated as
 * {@link exactPercentileRank} does), its 10th-90th percentiles found by bisection and rounded to the unit's
 * precision (nudged to stay strictly increasing). The sample is the sum. Undefined when a group has no
 * percentiles or no sample size, or when the groups come from different sources: those cannot be pooled honestly.
 */
export function pooledPoint(
  points: readonly BenchmarkPoint[],
  unit: Unit,
): BenchmarkPoint | undefined {
  if (points.length === 0) return undefined;
  const parts = points.map((p) => ({
    percentiles: p.percentiles,
    n: p.sampleSize,
  }));
  if (parts.some((p) => p.percentiles === null || p.n === null || p.n <= 0))
    return undefined;
  if (points.some((p) => p.source !== points[0].source)) return undefined;
  const groups = parts as Array<{ percentiles: Percentiles; n: number }>;
  const total = groups.reduce((sum, g) => sum + g.n, 0);
  const share = (x: number) =>
    groups.reduce(
      (sum, g) => sum + g.n * exactPercentileRank(x, g.percentiles),
      0,
    ) / total;
  const lowest = Math.min(...groups.map((g) => valueAtRank(0, g.percentiles)));
  const highest = Math.max(
    ...groups.map((g) => valueAtRank(100, g.percentiles)),
  );
  const decimals = UNIT_DECIMALS[unit];
  const step = 10 ** -decimals;
  const values = POOLED_RANKS.map((rank) => {
    let lo = lowest;
    let hi = highest;
    for (let i = 0; i < 200 && hi - lo > step / 100; i++) {
      const mid = (lo + hi) / 2;
      if (share(mid) < rank) lo = mid;
      else hi = mid;
    }
    return roundToUnit((lo + hi) / 2, unit);
  });
  const [p10, p25, p50, p75, p90] = strictlyIncreasing(values, unit);
  return {
    month: points[0].month,
    value: p50,
    percentiles: { p10, p25, p50, p75, p90 },
    sampleSize: total,
    source: points[0].source,
  };
}

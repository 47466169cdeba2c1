import { monthOf, type Month } from '../../domain/months';

/**
 * The shocks a real series has where no published monthly series carries them (level-indices.ts does where one
 * exists): a factor per month for the metrics of an industry, on top of its level index (1 before the first anchor,
 * the last anchor's after it). Each history is anchored on published figures (metrics-and-magnitudes.md section 4,
 * with their sources) and interpolated linearly between its anchors; the anchors not published are marked
 * `modelled` and say what they stand for. Pure data and one lookup.
 */
export interface History {
  /** The metrics of the industry the factor applies to. */
  readonly metrics: readonly string[];
  /** What the history follows, for the series metadata. */
  readonly basis: string;
  /** [year, month, factor, published | modelled]: factors relative to the level without the shock. */
  readonly anchors: ReadonlyArray<
    readonly [number, number, number, 'published' | 'modelled']
  >;
}

/**
 * April 2020 on April 2019 as a factor on a trend that grew `growth` in the year: the published year-on-year change
 * `change` is `factor * (1 + growth) - 1`.
 */
const fallOnYear = (change: number, growth: number) =>
  (1 + change) / (1 + growth);

export const HISTORIES: Readonly<Record<string, readonly History[]>> = {
  restaurant: [
    {
      metrics: ['revenue_per_employee'],
      basis:
        'Census advance retail report: restaurants lost more than half of their sales in April 2020 (read as -55%); recovery through 2021 (modelled)',
      anchors: [
        [2020, 2, 1, 'modelled'],
        [2020, 3, 0.75, 'modelled'],
        [2020, 4, fallOnYear(-0.55, 0.045), 'published'],
        [2020, 6, 0.8, 'modelled'],
        [2020, 12, 0.85, 'modelled'],
        [2021, 6, 1, 'modelled'],
      ],
    },
  ],
  hospitality: [
    {
      metrics: [
        'occupancy_rate',
        'revenue_per_employee',
        'revenue_per_available_room',
      ],
      basis:
        'STR: hotel occupancy 24.5% in April 2020 and -33.3% for the year 2020 on 2019; the other months of 2020 and the recovery to 2023 modelled (STR annual occupancy: 2021 about 58%, 2022 about 63%)',
      anchors: [
        [2020, 2, 1, 'modelled'],
        [2020, 3, 0.62, 'modelled'],
        // 24.5% against the generator's April level of about 65.5%.
        [2020, 4, 0.374, 'published'],
        [2020, 5, 0.49, 'modelled'],
        [2020, 6, 0.6, 'modelled'],
        [2020, 7, 0.7, 'modelled'],
        [2020, 8, 0.72, 'modelled'],
        [2020, 10, 0.7, 'modelled'],
        [2020, 12, 0.58, 'modelled'],
        [2021, 6, 0.88, 'modelled'],
        [2021, 12, 0.9, 'modelled'],
        [2022, 12, 0.98, 'modelled'],
        [2023, 12, 1, 'modelled'],
      ],
    },
    {
      // Hotel revenue fell with occupancy and with room rates: STR's 2020 RevPAR -47.5% on 2019 against occupancy's
      // -33.3% leaves the average daily rate about -21% for the year (1 - 0.525 / 0.667). On top of the above.
      metrics: ['revenue_per_employee', 'revenue_per_available_room'],
      basis:
        'STR: RevPAR -47.5% for 2020 on 2019, occupancy -33.3%: room rates about -21% for the year; the months and the recovery to 2022 modelled',
      anchors: [
        [2020, 2, 1, 'modelled'],
        [2020, 4, 0.62, 'modelled'],
        [2020, 6, 0.68, 'modelled'],
        [2020, 12, 0.72, 'modelled'],
        [2021, 12, 0.9, 'modelled'],
        [2022, 12, 1, 'modelled'],
      ],
    },
  ],
  real_estate: [
    {
      metrics: ['occupancy_rate'],
      basis:
        'RealPage: apartment occupancy peaked at 97.5% in November 2021, 94.3% in 2024; the rise and fall around the peak modelled',
      anchors: [
        [2020, 6, 1, 'modelled'],
        [2021, 11, 0.975 / 0.943, 'published'],
        [2022, 12, 1.005, 'modelled'],
        [2023, 12, 1, 'modelled'],
      ],
    },
  ],
};

/** The histories of a metric of an industry (their factors multiply), empty when it has none. */
export function historiesOf(
  industry: string,
  metric: string,
): readonly History[] {
  return (HISTORIES[industry] ?? []).filter((h) => h.metrics.includes(metric));
}

/** The history's factor for a month: 1 before its first anchor, the last one's after it, linear between. */
export function historyFactor(history: History, month: Month): number {
  const points = history.anchors.map(
    ([year, m, factor]) => [monthOf(year, m), factor] as const,
  );
  const [first, last] = [points[0], points[points.length - 1]];
  if (month < first[0]) return 1;
  if (month === first[0]) return first[1];
  if (month >= last[0]) return last[1];
  let i = 0;
  while (points[i + 1][0] < month) i++;
  const [m0, f0] = points[i];
  const [m1, f1] = points[i + 1];
  return f0 + ((f1 - f0) * (month - m0)) / (m1 - m0);
}

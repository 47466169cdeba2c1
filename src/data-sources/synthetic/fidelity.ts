import type { PeerGroup } from '../../domain/benchmark';
import { findMetric, INDUSTRY_KEYS } from '../../domain/catalog';
import { COMPANY_SIZES, type CompanySize } from '../../domain/enums';
import { monthOf } from '../../domain/months';
import { exactPercentileRank } from '../../domain/percentile-rank';
import type { SyntheticGenerator } from './synthetic-generator';

/**
 * The published figures the synthetic generator is held against (../shared/reference/metrics-and-magnitudes.md §4),
 * each with the range it must serve within and a measure of what it serves. Pure: the measures read the generator's
 * points (medium firms, national, unless a figure says otherwise).
 *
 * Where the reference gives a point figure without a range, the range is this project's reading of "about", written
 * next to it (`basis`), so that it can be argued with.
 */
export interface FidelityFigure {
  readonly id: string;
  /** What is measured, as the report prints it. */
  readonly what: string;
  /** The published figure and its source. */
  readonly published: string;
  /** How the range was read from the reference. */
  readonly basis: string;
  readonly range: readonly [number, number];
  /** How the served value is printed. */
  readonly format: 'usd' | 'percent' | 'ratio' | 'points';
  readonly measure: (generator: SyntheticGenerator) => number;
}

/** One line of the report. */
export interface FidelityResult {
  readonly figure: FidelityFigure;
  readonly served: number;
  readonly inRange: boolean;
}

const national = (
  industry: string,
  companySize: CompanySize = 'medium',
): PeerGroup => ({ industry, companySize, region: 'national' });

function pointOf(
  generator: SyntheticGenerator,
  peers: PeerGroup,
  metric: string,
  year: number,
  month: number,
  seasonallyAdjusted = false,
) {
  return generator.point(
    peers,
    findMetric(metric)!,
    monthOf(year, month),
    seasonallyAdjusted,
  );
}

/** The median served for each month of a year, January first. */
function monthly(
  generator: SyntheticGenerator,
  peers: PeerGroup,
  metric: string,
  year: number,
): number[] {
  return Array.from(
    { length: 12 },
    (_x, i) => pointOf(generator, peers, metric, year, i + 1).value,
  );
}

const mean = (xs: readonly number[]) =>
  xs.reduce((s, x) => s + x, 0) / xs.length;

/** The mean of a year's monthly medians. */
const annualMean = (
  generator: SyntheticGenerator,
  peers: PeerGroup,
  metric: string,
  year: number,
) => mean(monthly(generator, peers, metric, year));

/** A month's seasonal factor as served: the point over the same draw seasonally adjusted. */
function seasonalFactor(
  generator: SyntheticGenerator,
  industry: string,
  metric: string,
  month: number,
): number {
  const peers = national(industry);
  return (
    pointOf(generator, peers, metric, 2024, month).value /
    pointOf(generator, peers, metric, 2024, month, true).value
  );
}

/** The share of firms below zero in a margin distribution (0..1), from its published percentiles. */
function lossShare(
  generator: SyntheticGenerator,
  peers: PeerGroup,
  year: number,
  month: number,
): number {
  const point = pointOf(generator, peers, 'profit_margin', year, month);
  return exactPercentileRank(0, point.percentiles!) / 100;
}

/** Year-over-year change of a month's median. */
function yearOnYear(
  generator: SyntheticGenerator,
  industry: string,
  metric: string,
  year: number,
  month: number,
): number {
  const peers = national(industry);
  return (
    pointOf(generator, peers, metric, year, month).value /
      pointOf(generator, peers, metric, year - 1, month).value -
    1
  );
}

/** The largest move of a median from one month to the next over 2023-2024, in percentage points. */
function largestMonthlyMove(
  generator: SyntheticGenerator,
  industry: string,
  metric: string,
): number {
  const peers = national(industry);
  const values = [2023, 2024].flatMap((y) =>
    monthly(generator, peers, metric, y),
  );
  let largest = 0;
  for (let i = 1; i < values.length; i++)
    largest = Math.max(largest, Math.abs(values[i] - values[i - 1]) * 100);
  return largest;
}

const SMALL_FIRM_INDUSTRIES = INDUSTRY_KEYS;

export const FIDELITY_FIGURES: readonly FidelityFigure[] = [
  {
    id: 'retail-revenue-per-employee',
    what: 'retail revenue per employee, 2024 median (mean of the months)',
    published:
      'about $250-320k: Economic Census 2002 $208,663 grown at nominal rates (store retail $142.5k in 1997)',
    basis: 'the reference range',
    range: [250_000, 320_000],
    format: 'usd',
    measure: (g) =>
      annualMean(g, national('retail'), 'revenue_per_employee', 2024),
  },
  {
    id: 'manufacturing-revenue-per-employee',
    what: 'manufacturing revenue per employee, 2024 median',
    published:
      '$350-400k for a small or medium median (ASM 2018: $6.0T shipments / 11.7M employees = $513k mean)',
    basis: 'the reference range',
    range: [350_000, 400_000],
    format: 'usd',
    measure: (g) =>
      annualMean(g, national('manufacturing'), 'revenue_per_employee', 2024),
  },
  ...(['retail', 'manufacturing'] as const).map((industry): FidelityFigure => ({
    id: `${industry}-revenue-spread`,
    what: `${industry} revenue per employee, p75 / p25, June 2024`,
    published:
      'about 2.5: the 75th-percentile plant has about 150% more revenue per hour than the 25th (Census/BLS Dispersion Statistics on Productivity)',
    basis: 'about 2.4-2.5 (issue 17), read as 2.2 to 2.8',
    range: [2.2, 2.8],
    format: 'ratio',
    measure: (g) => {
      const p = pointOf(
        g,
        national(industry),
        'revenue_per_employee',
        2024,
        6,
      ).percentiles!;
      return p.p75 / p.p25;
    },
  })),
  {
    id: 'loss-share-small',
    what: 'small firms at a loss (profit margin below 0), mean over industries, June 2024',
    published:
      '35% of employer firms at a loss (Fed Small Business Credit Survey 2024)',
    basis: 'about a third (issue 17), read as 28% to 40%',
    range: [0.28, 0.4],
    format: 'percent',
    measure: (g) =>
      mean(
        SMALL_FIRM_INDUSTRIES.map((i) =>
          lossShare(g, national(i, 'small'), 2024, 6),
        ),
      ),
  },
  {
    id: 'loss-share-medium',
    what: 'medium firms at a loss, mean over industries, June 2024',
    published: 'fewer than small firms (issue 17: about a quarter)',
    basis: 'about a quarter, read as 18% to 32%',
    range: [0.18, 0.32],
    format: 'percent',
    measure: (g) =>
      mean(
        SMALL_FIRM_INDUSTRIES.map((i) =>
          lossShare(g, national(i, 'medium'), 2024, 6),
        ),
      ),
  },
  ...(['professional_services', 'real_estate', 'technology'] as const).map(
    (industry): FidelityFigure => ({
      id: `${industry}-margin-p10`,
      what: `${industry.replace('_', ' ')} profit margin p10, small firms, June 2024`,
      published:
        'below zero: a third of small firms lose money (Fed SBCS 2024); technology "deep below zero" (issue 17)',
      basis:
        industry === 'technology'
          ? 'deep below zero, read as -60% to -15%'
          : 'below zero, read as -60% to 0%',
      range: industry === 'technology' ? [-0.6, -0.15] : [-0.6, 0],
      format: 'percent',
      measure: (g) =>
        pointOf(g, national(industry, 'small'), 'profit_margin', 2024, 6)
          .percentiles!.p10,
    }),
  ),
  ...(
    [
      ['retail', 12, 1.113, 'December'],
      ['retail', 1, 0.917, 'January'],
      ['retail', 2, 0.878, 'February'],
      ['construction', 2, 0.84, 'February'],
      ['construction', 8, 1.11, 'August'],
    ] as const
  ).map(([industry, month, factor, name]): FidelityFigure => ({
    id: `${industry}-season-${name.toLowerCase()}`,
    what: `${industry} revenue seasonal factor, ${name}`,
    published:
      industry === 'retail'
        ? `${factor} (Census MRTS combined seasonal factors, 2024-25)`
        : `about ${factor} (construction spending, unadjusted against seasonally adjusted)`,
    basis: 'within 0.03 of the published factor',
    range: [factor - 0.03, factor + 0.03],
    format: 'ratio',
    measure: (g) => seasonalFactor(g, industry, 'revenue_per_employee', month),
  })),
  ...(
    [
      ['restaurant', 'prime_cost_ratio'],
      ['education', 'payroll_cost_ratio'],
    ] as const
  ).map(([industry, metric]): FidelityFigure => ({
    id: `${industry}-${metric}-busy-month`,
    what: `${metric.replace(/_/g, ' ')} (${industry}) in the industry's busiest month, over the same draw without the season`,
    published:
      'cost ratios fall in busy months, where fixed costs spread over more revenue (issue 17)',
    basis: 'below 1, by at most a tenth',
    range: [0.9, 0.995],
    format: 'ratio',
    measure: (g) => {
      // The busiest month: the one where revenue per employee's seasonal factor is highest.
      const busiest = Array.from({ length: 12 }, (_x, i) => i + 1).reduce(
        (best, m) =>
          seasonalFactor(g, industry, 'revenue_per_employee', m) >
          seasonalFactor(g, industry, 'revenue_per_employee', best)
            ? m
            : best,
        1,
      );
      return seasonalFactor(g, industry, metric, busiest);
    },
  })),
  ...(
    [
      [1, 0.519, 'January'],
      [6, 0.696, 'June'],
      [12, 0.532, 'December'],
    ] as const
  ).map(([month, occupancy, name]): FidelityFigure => ({
    id: `hotel-occupancy-${name.toLowerCase()}`,
    what: `hotel occupancy, ${name} 2024, medium, national`,
    published: `${(occupancy * 100).toFixed(1)}% (CoStar/STR 2024)`,
    basis: 'within 2 points',
    range: [occupancy - 0.02, occupancy + 0.02],
    format: 'percent',
    measure: (g) =>
      pointOf(g, national('hospitality'), 'occupancy_rate', 2024, month).value,
  })),
  {
    id: 'hotel-occupancy-peak-month',
    what: 'month of the highest hotel occupancy in 2024 (1 = January)',
    published: 'June (CoStar/STR 2024: 69.6%)',
    basis: 'June',
    range: [6, 6],
    format: 'ratio',
    measure: (g) => {
      const xs = monthly(g, national('hospitality'), 'occupancy_rate', 2024);
      return xs.indexOf(Math.max(...xs)) + 1;
    },
  },
  {
    id: 'hotel-occupancy-april-2020',
    what: 'hotel occupancy, April 2020',
    published: '24.5% (STR)',
    basis: 'within 4 points',
    range: [0.205, 0.285],
    format: 'percent',
    measure: (g) =>
      pointOf(g, national('hospitality'), 'occupancy_rate', 2020, 4).value,
  },
  {
    id: 'hotel-occupancy-2020',
    what: 'hotel occupancy, 2020 on 2019 (means of the months)',
    published: '-33.3% (STR)',
    basis: 'within 5 points',
    range: [-0.383, -0.283],
    format: 'percent',
    measure: (g) =>
      annualMean(g, national('hospitality'), 'occupancy_rate', 2020) /
        annualMean(g, national('hospitality'), 'occupancy_rate', 2019) -
      1,
  },
  {
    id: 'hotel-revpar-2020',
    what: 'hotel revenue per available room, 2020 on 2019 (means of the months)',
    published: '-47.5% (STR)',
    basis: 'within 5 points',
    range: [-0.525, -0.425],
    format: 'percent',
    measure: (g) =>
      annualMean(
        g,
        national('hospitality'),
        'revenue_per_available_room',
        2020,
      ) /
        annualMean(
          g,
          national('hospitality'),
          'revenue_per_available_room',
          2019,
        ) -
      1,
  },
  {
    id: 'retail-april-2020',
    what: 'retail revenue per employee, April 2020 on April 2019',
    published: 'retail and food services sales -21.6% (Census advance report)',
    basis: 'within 5 points',
    range: [-0.266, -0.166],
    format: 'percent',
    measure: (g) => yearOnYear(g, 'retail', 'revenue_per_employee', 2020, 4),
  },
  {
    id: 'restaurant-april-2020',
    what: 'restaurant revenue per employee, April 2020 on April 2019',
    published:
      'restaurants lost more than half of their sales (Census advance report)',
    basis: 'a fall of 45% to 75%',
    range: [-0.75, -0.45],
    format: 'percent',
    measure: (g) =>
      yearOnYear(g, 'restaurant', 'revenue_per_employee', 2020, 4),
  },
  {
    id: 'restaurant-inflation-2022',
    what: 'restaurant revenue per employee, the fourth quarter of 2022 on that of 2021 (means of the months; mean of the three sizes, national)',
    published: 'food away from home +8.3% in 2022 (BLS CPI); all items +6.5%',
    basis:
      'within 2 points of food away from home; a national change of prices, so the mean over the size bands, whose monthly noise (1% a cell) is drawn apart',
    range: [0.063, 0.103],
    format: 'percent',
    measure: (g) => {
      const q4 = (size: CompanySize, year: number) =>
        mean(
          monthly(
            g,
            national('restaurant', size),
            'revenue_per_employee',
            year,
          ).slice(9),
        );
      return mean(
        COMPANY_SIZES.map((size) => q4(size, 2022) / q4(size, 2021) - 1),
      );
    },
  },
  {
    id: 'apartment-occupancy-2024',
    what: 'apartment occupancy, 2024 mean of the months',
    published: '94.3% (RealPage 2024)',
    basis: 'within 1 point',
    range: [0.933, 0.953],
    format: 'percent',
    measure: (g) =>
      annualMean(g, national('real_estate'), 'occupancy_rate', 2024),
  },
  {
    id: 'apartment-occupancy-november-2021',
    what: 'apartment occupancy, November 2021',
    published: '97.5%, the peak (RealPage)',
    basis: 'within 1 point',
    range: [0.965, 0.985],
    format: 'percent',
    measure: (g) =>
      pointOf(g, national('real_estate'), 'occupancy_rate', 2021, 11).value,
  },
  {
    id: 'student-retention',
    what: 'student retention, 2024 median',
    published: '68.2% overall (National Student Clearinghouse)',
    basis: 'within 3 points',
    range: [0.652, 0.712],
    format: 'percent',
    measure: (g) =>
      annualMean(g, national('education'), 'student_retention_rate', 2024),
  },
  {
    id: 'no-show-p90',
    what: 'healthcare no-show rate p90, June 2024',
    published:
      'about 23% on average over 105 studies (Dantas et al. 2018): p90 well above 20%',
    basis: 'above 20%, at most 45%',
    range: [0.2, 0.45],
    format: 'percent',
    measure: (g) =>
      pointOf(g, national('healthcare'), 'no_show_rate', 2024, 6).percentiles!
        .p90,
  },
  ...(
    [
      ['education', 'student_retention_rate'],
      ['real_estate', 'occupancy_rate'],
    ] as const
  ).map(([industry, metric]): FidelityFigure => ({
    id: `${industry}-${metric}-smooth`,
    what: `${metric.replace(/_/g, ' ')} (${industry.replace('_', ' ')}): largest move from one month to the next, 2023-2024`,
    published:
      'annual measures do not jump month to month (apartment occupancy swings under a point in a year, RealPage)',
    basis: 'at most half a point a month',
    range: [0, 0.5],
    format: 'points',
    measure: (g) => largestMonthlyMove(g, industry, metric),
  })),
  {
    id: 'manufacturing-size-gap',
    what: 'manufacturing revenue per employee, large over small, 2024',
    published:
      'SUSB 2002: receipts per employee rise with size, the gap strong in manufacturing (OECD)',
    basis: 'large at least 20% above small',
    range: [1.2, 2.5],
    format: 'ratio',
    measure: (g) =>
      annualMean(
        g,
        national('manufacturing', 'large'),
        'revenue_per_employee',
        2024,
      ) /
      annualMean(
        g,
        national('manufacturing', 'small'),
        'revenue_per_employee',
        2024,
      ),
  },
  {
    id: 'professional-services-size-gap',
    what: 'professional services revenue per employee, large over small, 2024',
    published:
      'SUSB 2002: the size gap is weak or reversed in many services (OECD)',
    basis: 'within 15% either way',
    range: [0.85, 1.15],
    format: 'ratio',
    measure: (g) =>
      annualMean(
        g,
        national('professional_services', 'large'),
        'revenue_per_employee',
        2024,
      ) /
      annualMean(
        g,
        national('professional_services', 'small'),
        'revenue_per_employee',
        2024,
      ),
  },
];

/** Every figure measured on the generator. */
export function measureFidelity(
  generator: SyntheticGenerator,
): FidelityResult[] {
  return FIDELITY_FIGURES.map((figure) => {
    const served = figure.measure(generator);
    return {
      figure,
      served,
      inRange:
        served >= figure.range[0] - 1e-9 && served <= figure.range[1] + 1e-9,
    };
  });
}

/** A served or range value as the report prints it. */
export function formatFidelity(
  value: number,
  format: FidelityFigure['format'],
): string {
  switch (format) {
    case 'usd':
      return `$${Math.round(value).toLocaleString('en-US')}`;
    case 'percent':
      return `${(value * 100).toFixed(1)}%`;
    case 'points':
      return `${value.toFixed(2)} pts`;
    case 'ratio':
      return value.toFixed(3);
  }
}

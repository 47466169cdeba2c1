import type { CompanySize, Region } from '../../domain/enums';
import { monthOf, type Month } from '../../domain/months';

/**
 * Calibration of the synthetic generator. Medians are for a medium-sized firm, national, in the base month, and
 * follow ../shared/reference/metrics-and-magnitudes.md (published p50-ish figures, 2023-2024 dollars).
 */

/** The month whose level the medians below describe; monetary metrics grow from here at the industry's rate. */
export const BASE_MONTH: Month = monthOf(2024, 1);

/**
 * How the percentiles spread around the median:
 * - `lognormal`: positive quantities (dollars, turns, days): p = p50 * exp(z * spread).
 * - `logit`: shares bounded by 0 and 1 (rates, cost ratios): logit(p) = logit(p50) + z * spread.
 * - `margin`: margins that may be negative at the bottom: p = p50 + k * spread * |base p50|, with the skew of
 *   published quartiles (p25 about half the median, p75 about 1.6 times it).
 */
export type SpreadShape = 'lognormal' | 'logit' | 'margin';

/** How company size and region move a metric, by the kind of quantity it is. */
export type EffectKind =
  | 'productivity'
  | 'margin'
  | 'acquisition_cost'
  | 'rate'
  | 'retention'
  | 'cost_ratio'
  | 'collection_days'
  | 'turnover'
  | 'no_show';

export interface MetricProfile {
  readonly median: number;
  readonly shape: SpreadShape;
  readonly spread: number;
  /** 0 = no seasonality, 1 = the industry's full seasonal swing; negative for a ratio that falls in busy months. */
  readonly seasonality: number;
  /** Whether the metric is in nominal dollars and so grows with the industry's annual growth rate. */
  readonly grows: boolean;
  readonly effects: EffectKind;
  /** Annual growth of this metric when it differs from the industry's (wages grow slower than revenue). */
  readonly annualGrowth?: number;
  /**
   * A price (a wage, an acquisition cost) rather than a volume of business: it follows consumer prices, not the
   * industry's sales index. Acquisition costs are prices whatever this says.
   */
  readonly prices?: true;
  /** Size multipliers of this metric where they differ from its effect kind's (the size gap differs by industry). */
  readonly size?: Readonly<Record<CompanySize, number>>;
  /**
   * An annual measure (a retention or renewal rate, apartment occupancy): its noise is one draw a year, walked
   * smoothly from month to month, never a fresh draw each month.
   */
  readonly annual?: true;
}

export interface IndustryProfile {
  /**
   * Nominal annual growth of dollar metrics: after the level index's last published month, and (prices indices) the
   * modelled real growth on top of prices.
   */
  readonly annualGrowth: number;
  /** The published series (level-index-data.ts) the industry's dollar metrics follow from 2000. */
  readonly levelIndex: string;
  readonly seasonalityName: string;
  /** Monthly factors, January first; normalised to a mean of 1 when used. */
  readonly seasonalFactors: readonly number[];
  /** Firms behind a national, medium-size cell. */
  readonly sampleBase: number;
  readonly metrics: Readonly<Record<string, MetricProfile>>;
}

const m = (
  median: number,
  shape: SpreadShape,
  spread: number,
  effects: EffectKind,
  seasonality = 0,
  grows = shape === 'lognormal' &&
    (effects === 'productivity' || effects === 'acquisition_cost'),
): MetricProfile => ({ median, shape, spread, seasonality, grows, effects });

/** Size multipliers of revenue per employee in services, where SUSB and the OECD find the gap weak. */
const SERVICE_SIZE: Readonly<Record<CompanySize, number>> = {
  small: 0.95,
  medium: 1,
  large: 1.05,
};

/** {@link m} for an annual measure (see {@link MetricProfile.annual}). */
const annual = (profile: MetricProfile): MetricProfile => ({
  ...profile,
  annual: true,
});

/** Per-industry calibration; every metric in the domain catalog has a profile here (checked by a test). */
export const INDUSTRY_PROFILES: Readonly<Record<string, IndustryProfile>> = {
  retail: {
    annualGrowth: 0.035,
    levelIndex: 'RSAFS',
    seasonalityName: 'retail_q4_peak',
    // Census MRTS combined seasonal factors for total retail: December 2024 1.113, January 2025 0.917, February 0.878.
    seasonalFactors: [
      0.917, 0.878, 1.04, 0.99, 1.05, 0.99, 1.01, 1.03, 0.96, 0.99, 1.03, 1.113,
    ],
    sampleBase: 320,
    metrics: {
      // Economic Census 2002 $208,663 grown at nominal rates: a 2024 median of about $250-320k.
      revenue_per_employee: m(280_000, 'lognormal', 0.65, 'productivity', 1),
      profit_margin: m(0.04, 'margin', 0.18, 'margin', 0.5),
      gross_margin: m(0.35, 'logit', 0.35, 'margin'),
      inventory_turnover: m(7.5, 'lognormal', 0.45, 'turnover', 0.6),
      customer_acquisition_cost: m(
        130,
        'lognormal',
        0.6,
        'acquisition_cost',
        0.3,
      ),
      customer_retention_rate: annual(m(0.63, 'logit', 0.45, 'retention')),
    },
  },
  restaurant: {
    // Menu prices (CPI food away from home, 3.3% a year over 2000-2024) and a small real growth (0.2% a year): sales
    // per employee in food service have grown little beyond prices.
    annualGrowth: 0.035,
    levelIndex: 'CUSR0000SEFV',
    seasonalityName: 'restaurant_summer_and_december',
    seasonalFactors: [
      0.93, 0.93, 1.0, 1.0, 1.04, 1.04, 1.05, 1.04, 0.99, 1.0, 0.97, 1.01,
    ],
    sampleBase: 300,
    metrics: {
      revenue_per_employee: m(65_000, 'lognormal', 0.65, 'productivity', 1),
      profit_margin: m(0.05, 'margin', 0.18, 'margin', 0.5),
      // Costs are partly fixed: the ratio falls in busy months and rises in slow ones (a negative seasonal strength).
      prime_cost_ratio: m(0.62, 'logit', 0.22, 'cost_ratio', -0.3),
      inventory_turnover: m(52, 'lognormal', 0.35, 'turnover', 0.4),
      customer_acquisition_cost: m(
        80,
        'lognormal',
        0.5,
        'acquisition_cost',
        0.2,
      ),
      customer_retention_rate: annual(m(0.55, 'logit', 0.4, 'retention')),
    },
  },
  professional_services: {
    annualGrowth: 0.05,
    levelIndex: 'CPIAUCSL',
    seasonalityName: 'spring_tax_season',
    seasonalFactors: [
      1.02, 1.03, 1.08, 1.07, 0.99, 0.98, 0.95, 0.96, 0.98, 1.0, 0.97, 0.97,
    ],
    sampleBase: 260,
    metrics: {
      revenue_per_employee: {
        ...m(190_000, 'lognormal', 0.65, 'productivity', 0.8),
        // SUSB/OECD: in services receipts per employee barely rise with size.
        size: SERVICE_SIZE,
      },
      profit_margin: m(0.17, 'margin', 0.18, 'margin', 0.3),
      billable_utilization: m(0.69, 'logit', 0.3, 'retention', 0.5),
      days_sales_outstanding: m(48, 'lognormal', 0.3, 'collection_days', 0.3),
      customer_acquisition_cost: m(900, 'lognormal', 0.6, 'acquisition_cost'),
      customer_retention_rate: annual(m(0.84, 'logit', 0.5, 'retention')),
    },
  },
  manufacturing: {
    annualGrowth: 0.03,
    levelIndex: 'AMTMVS',
    seasonalityName: 'mild_summer_shutdown',
    seasonalFactors: [
      0.97, 0.99, 1.03, 1.01, 1.01, 1.01, 0.95, 1.0, 1.02, 1.03, 1.0, 0.98,
    ],
    sampleBase: 220,
    metrics: {
      // ASM 2018: $513k shipments per employee on average, skewed by large plants; a medium median of $350-400k.
      revenue_per_employee: {
        ...m(370_000, 'lognormal', 0.65, 'productivity', 0.6),
        // SUSB: receipts per employee rise with size, strongly in manufacturing.
        size: { small: 0.8, medium: 1, large: 1.2 },
      },
      profit_margin: m(0.06, 'margin', 0.18, 'margin', 0.3),
      inventory_turnover: m(6, 'lognormal', 0.45, 'turnover', 0.3),
      // Fed G.17: total industry 78.3% in Q4 2023.
      capacity_utilization: m(0.78, 'logit', 0.35, 'retention', 0.5),
      days_sales_outstanding: m(45, 'lognormal', 0.3, 'collection_days'),
      customer_retention_rate: annual(m(0.67, 'logit', 0.45, 'retention')),
    },
  },
  healthcare: {
    annualGrowth: 0.05,
    levelIndex: 'CPIAUCSL',
    seasonalityName: 'winter_visits_peak',
    seasonalFactors: [
      1.03, 1.02, 1.03, 1.0, 0.99, 0.97, 0.95, 0.99, 1.0, 1.02, 1.0, 1.0,
    ],
    sampleBase: 240,
    metrics: {
      revenue_per_employee: {
        ...m(150_000, 'lognormal', 0.65, 'productivity', 0.6),
        // SUSB/OECD: in services receipts per employee barely rise with size.
        size: SERVICE_SIZE,
      },
      profit_margin: m(0.1, 'margin', 0.18, 'margin', 0.3),
      days_in_accounts_receivable: m(
        38,
        'lognormal',
        0.25,
        'collection_days',
        0.2,
      ),
      no_show_rate: m(0.12, 'logit', 0.7, 'no_show', 0.4),
      customer_acquisition_cost: m(450, 'lognormal', 0.5, 'acquisition_cost'),
      customer_retention_rate: annual(m(0.77, 'logit', 0.45, 'retention')),
    },
  },
  technology: {
    annualGrowth: 0.08,
    levelIndex: 'CPIAUCSL',
    seasonalityName: 'q1_strong_q4_weak',
    // ChartMogul: Q1 strongest, Q4 weakest; July and December slow.
    seasonalFactors: [
      1.04, 1.03, 1.06, 1.01, 1.0, 1.0, 0.96, 0.99, 1.0, 0.99, 0.98, 0.94,
    ],
    sampleBase: 180,
    metrics: {
      revenue_per_employee: m(280_000, 'lognormal', 0.65, 'productivity', 0.5),
      // Software firms spread widest: many small ones burn cash (a 10th percentile deep below zero).
      profit_margin: m(0.05, 'margin', 0.25, 'margin', 0.3),
      gross_margin: m(0.72, 'logit', 0.4, 'margin'),
      customer_acquisition_cost: m(
        900,
        'lognormal',
        0.6,
        'acquisition_cost',
        0.3,
      ),
      customer_retention_rate: annual(m(0.79, 'logit', 0.45, 'retention')),
    },
  },
  hospitality: {
    annualGrowth: 0.06,
    levelIndex: 'CPIAUCSL',
    seasonalityName: 'summer_peak',
    // CoStar/STR 2024 occupancy over the year's 63.0%: January 51.9%, May 65.7%, June 69.6% (the peak), July 68.8%,
    // August 66.9%, September 64.6%, December 53.2%; the months not published (February-April, October, November)
    // modelled so that the factors average 1.
    seasonalFactors: [
      0.824, 0.935, 1.03, 1.04, 1.043, 1.105, 1.092, 1.062, 1.035, 1.06, 0.93,
      0.844,
    ],
    sampleBase: 150,
    metrics: {
      revenue_per_employee: m(95_000, 'lognormal', 0.65, 'productivity', 1),
      profit_margin: m(0.08, 'margin', 0.18, 'margin', 0.6),
      // Across hotels occupancy is widely spread: a 10th percentile near 40% in an average month.
      occupancy_rate: m(0.63, 'logit', 0.65, 'rate', 1),
      revenue_per_available_room: m(98, 'lognormal', 0.35, 'productivity', 1),
      customer_acquisition_cost: m(
        110,
        'lognormal',
        0.5,
        'acquisition_cost',
        0.3,
      ),
      customer_retention_rate: annual(m(0.55, 'logit', 0.4, 'retention')),
    },
  },
  construction: {
    annualGrowth: 0.05,
    levelIndex: 'TTLCONS',
    seasonalityName: 'winter_slowdown',
    // Construction spending, unadjusted over seasonally adjusted: February about 0.84, August about 1.11.
    seasonalFactors: [
      0.86, 0.84, 0.92, 0.97, 1.03, 1.08, 1.09, 1.11, 1.08, 1.07, 1.02, 0.93,
    ],
    sampleBase: 280,
    metrics: {
      revenue_per_employee: m(260_000, 'lognormal', 0.65, 'productivity', 1),
      profit_margin: m(0.055, 'margin', 0.18, 'margin', 0.5),
      gross_margin: m(0.27, 'logit', 0.3, 'margin'),
      days_sales_outstanding: m(55, 'lognormal', 0.3, 'collection_days', 0.2),
      customer_acquisition_cost: m(
        130,
        'lognormal',
        0.5,
        'acquisition_cost',
        0.3,
      ),
      customer_retention_rate: annual(m(0.8, 'logit', 0.45, 'retention')),
    },
  },
  education: {
    annualGrowth: 0.03,
    levelIndex: 'CPIAUCSL',
    seasonalityName: 'academic_year',
    // Terms start in September and January; summer is the trough.
    seasonalFactors: [
      1.06, 1.03, 1.03, 1.02, 0.98, 0.86, 0.82, 0.95, 1.1, 1.06, 1.04, 0.95,
    ],
    sampleBase: 120,
    metrics: {
      revenue_per_employee: {
        ...m(90_000, 'lognormal', 0.65, 'productivity', 1),
        // SUSB/OECD: in services receipts per employee barely rise with size.
        size: SERVICE_SIZE,
      },
      profit_margin: m(0.07, 'margin', 0.18, 'margin', 0.5),
      // Salaries run all year while tuition comes in terms: the ratio falls in the busy months.
      payroll_cost_ratio: m(0.55, 'logit', 0.25, 'cost_ratio', -0.3),
      // National Student Clearinghouse: first-year retention 68.2% (fall 2022 cohort).
      student_retention_rate: annual(m(0.68, 'logit', 0.4, 'retention')),
      customer_acquisition_cost: m(
        350,
        'lognormal',
        0.6,
        'acquisition_cost',
        0.5,
      ),
    },
  },
  real_estate: {
    annualGrowth: 0.04,
    levelIndex: 'CPIAUCSL',
    seasonalityName: 'spring_summer_leasing',
    seasonalFactors: [
      0.94, 0.95, 0.99, 1.01, 1.04, 1.06, 1.06, 1.05, 1.01, 0.99, 0.96, 0.94,
    ],
    sampleBase: 200,
    metrics: {
      revenue_per_employee: m(240_000, 'lognormal', 0.65, 'productivity', 0.3),
      profit_margin: m(0.16, 'margin', 0.18, 'margin'),
      // RealPage: apartment occupancy 94.3% in 2024, swinging under a point within a year; renewals 55%.
      occupancy_rate: annual(m(0.943, 'logit', 0.45, 'rate', 0.05)),
      lease_renewal_rate: annual(m(0.55, 'logit', 0.35, 'retention', 0.3)),
      customer_acquisition_cost: m(
        2_200,
        'lognormal',
        0.5,
        'acquisition_cost',
        0.4,
      ),
    },
  },
};

export interface Effect {
  readonly size: Readonly<Record<CompanySize, number>>;
  readonly region: Readonly<Record<Region, number>>;
}

/**
 * Size and regional multipliers on the median. Revenue per employee rises with firm size and is higher where prices
 * and wages are (northeast, west) than in the midwest and south; cost-of-living moves dollar costs the same way.
 */
export const EFFECTS: Readonly<Record<EffectKind, Effect>> = {
  productivity: {
    size: { small: 0.85, medium: 1, large: 1.15 },
    region: {
      national: 1,
      northeast: 1.12,
      west: 1.08,
      southwest: 0.97,
      southeast: 0.95,
      midwest: 0.95,
    },
  },
  margin: {
    size: { small: 0.9, medium: 1, large: 1.08 },
    region: {
      national: 1,
      northeast: 1.02,
      west: 1.01,
      southwest: 0.99,
      southeast: 0.99,
      midwest: 1,
    },
  },
  acquisition_cost: {
    size: { small: 0.85, medium: 1, large: 1.25 },
    region: {
      national: 1,
      northeast: 1.12,
      west: 1.08,
      southwest: 0.96,
      southeast: 0.94,
      midwest: 0.93,
    },
  },
  rate: {
    size: { small: 0.97, medium: 1, large: 1.02 },
    // Census HVS: rental vacancy 5.0% in the Northeast against 9.1% in the South.
    region: {
      national: 1,
      northeast: 1.012,
      west: 1,
      southwest: 0.98,
      southeast: 0.978,
      midwest: 0.995,
    },
  },
  // Retention, renewal and utilisation rates: the size effect of rates, and no regional factor (no source gives
  // one; the rental-vacancy gradient above is about occupancy).
  retention: {
    size: { small: 0.97, medium: 1, large: 1.02 },
    region: {
      national: 1,
      northeast: 1,
      west: 1,
      southwest: 1,
      southeast: 1,
      midwest: 1,
    },
  },
  cost_ratio: {
    size: { small: 1.04, medium: 1, large: 0.97 },
    region: {
      national: 1,
      northeast: 1.03,
      west: 1.02,
      southwest: 0.98,
      southeast: 0.98,
      midwest: 0.99,
    },
  },
  collection_days: {
    size: { small: 0.95, medium: 1, large: 1.08 },
    region: {
      national: 1,
      northeast: 1.03,
      west: 1.02,
      southwest: 0.99,
      southeast: 0.98,
      midwest: 0.98,
    },
  },
  turnover: {
    size: { small: 0.9, medium: 1, large: 1.1 },
    region: {
      national: 1,
      northeast: 1,
      west: 1.01,
      southwest: 1,
      southeast: 0.99,
      midwest: 1,
    },
  },
  no_show: {
    size: { small: 1.05, medium: 1, large: 0.95 },
    region: {
      national: 1,
      northeast: 0.95,
      west: 0.98,
      southwest: 1.05,
      southeast: 1.05,
      midwest: 0.97,
    },
  },
};

/** Smaller firms are more dispersed than larger ones. */
export const SIZE_SPREAD: Readonly<Record<CompanySize, number>> = {
  small: 1.15,
  medium: 1,
  large: 0.9,
};

/**
 * The same for profit margins (spreads in percentage points), narrowing faster with size: with a spread of 18
 * points, about a third of small employer firms lose money over the industries (Fed Small Business Credit Survey
 * 2024: 35%) and a quarter of medium ones (issue 17); fewer in high-margin industries, more in low-margin ones.
 */
export const MARGIN_SIZE_SPREAD: Readonly<Record<CompanySize, number>> = {
  small: 1.15,
  medium: 0.85,
  large: 0.75,
};

/** Firms behind a cell relative to the national one: regional cells are narrower, so smaller samples. */
export const REGION_SAMPLE_SHARE: Readonly<Record<Region, number>> = {
  national: 1,
  northeast: 0.19,
  southeast: 0.24,
  midwest: 0.21,
  west: 0.23,
  southwest: 0.13,
};
export const SIZE_SAMPLE_SHARE: Readonly<Record<CompanySize, number>> = {
  small: 1.25,
  medium: 1,
  large: 0.45,
};
export const MIN_SAMPLE_SIZE = 20;
export const MAX_SAMPLE_SIZE = 500;

/** Nominal wage growth for the stand-ins of BLS wage metrics. */
const WAGE_GROWTH = 0.035;

/** OEWS-like all-occupation median annual wage, 2024, by industry: the base of the BLS stand-ins. */
const MEDIAN_ANNUAL_WAGE: Readonly<Record<string, number>> = {
  retail: 35_000,
  restaurant: 31_000,
  professional_services: 85_000,
  manufacturing: 54_000,
  healthcare: 52_000,
  technology: 108_000,
  hospitality: 37_000,
  construction: 58_000,
  education: 52_000,
  real_estate: 52_000,
};

/**
 * Calibration of the synthetic stand-ins for BLS and Census metrics: used only when the source cannot answer (down,
 * out of quota, no answer kept) or has not published a period (in blended mode), and always labelled `synthetic`.
 * Mean-only metrics use the median as their mean. QCEW's mean annual pay runs about a quarter above the OEWS median
 * wage; Census payroll per employee is QCEW-like pay, receipts per employee the generator's own revenue per employee,
 * and payroll to receipts their ratio.
 */
export const STAND_IN_PROFILES: Readonly<
  Record<string, Readonly<Record<string, MetricProfile>>>
> = Object.fromEntries(
  Object.entries(MEDIAN_ANNUAL_WAGE).map(([industry, wage]) => {
    const revenue = INDUSTRY_PROFILES[industry].metrics.revenue_per_employee;
    const pay = wage * 1.25;
    return [
      industry,
      {
        annual_wage_per_employee: {
          ...m(wage, 'lognormal', 0.45, 'productivity', 0, true),
          annualGrowth: WAGE_GROWTH,
          prices: true,
        },
        average_annual_pay: {
          ...m(pay, 'lognormal', 0.3, 'productivity', 0, true),
          annualGrowth: WAGE_GROWTH,
          prices: true,
        },
        average_weekly_wage: {
          ...m(pay / 52, 'lognormal', 0.3, 'productivity', 0, true),
          annualGrowth: WAGE_GROWTH,
          prices: true,
        },
        employment_growth_yoy: m(0.015, 'margin', 0.02, 'margin', 0, false),
        receipts_per_employee: {
          ...m(
            revenue.median,
            'lognormal',
            revenue.spread,
            'productivity',
            0,
            true,
          ),
          ...(revenue.size ? { size: revenue.size } : {}),
        },
        payroll_per_employee: {
          ...m(pay, 'lognormal', 0.3, 'productivity', 0, true),
          annualGrowth: WAGE_GROWTH,
          prices: true,
        },
        payroll_to_receipts: m(
          Math.min(0.9, pay / revenue.median),
          'logit',
          0.35,
          'cost_ratio',
          0,
          false,
        ),
      },
    ];
  }),
);

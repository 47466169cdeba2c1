import type {
  Direction,
  Frequency,
  MetricSourceName,
  Statistic,
  Unit,
} from './enums';

/** Why customer acquisition cost and retention are illustrative (metrics-and-magnitudes.md section 4). */
const ILLUSTRATIVE =
  'No primary source publishes it for small businesses: its magnitudes come from marketing surveys and blogs only, so its benchmarks are illustrative, not measured.';

/** What a metric is: the part of the catalog every source and every client shares. */
export interface MetricDefinition {
  readonly name: string;
  readonly label: string;
  readonly unit: Unit;
  readonly direction: Direction;
  readonly description: string;
  readonly formula: string;
  /** Values a business can have; anything outside is a mistake (often a percent sent as a whole number). */
  readonly validRange: { readonly min: number; readonly max: number };
  /** Who publishes the benchmark: the synthetic generator, BLS or Census (with synthetic stand-ins when they fail). */
  readonly source: MetricSourceName;
  readonly frequency: Frequency;
  readonly statistic: Statistic;
  /** The statistical program a real metric comes from, as sentences name it ("Census Annual Business Survey"). */
  readonly program?: string;
  /** What a point's sample size counts, for a real metric that has one ("firms", "establishments"). */
  readonly sampleUnit?: string;
  /** Why the metric's magnitudes are illustrative: set where no primary source publishes them. */
  readonly illustrative?: string;
}

type MetricFacts = Omit<MetricDefinition, 'source' | 'frequency' | 'statistic'>;

export interface IndustryDefinition {
  readonly key: string;
  readonly name: string;
  /** 2017/2022 NAICS sector or subsector code(s) the industry stands for. */
  readonly naicsCode: string;
  readonly description: string;
  /** Metric names, in the order the API lists them. */
  readonly metrics: readonly string[];
}

/**
 * Metric definitions, following the conventions of financial-ratio benchmark publishers (RMA, Sageworks, BizMiner).
 * Fractions are decimals: 0.10 means 10%.
 */
const SYNTHETIC_METRICS: Readonly<Record<string, MetricFacts>> = {
  revenue_per_employee: {
    name: 'revenue_per_employee',
    label: 'Revenue per employee',
    unit: 'usd',
    direction: 'higher_is_better',
    description:
      "Revenue per full-time-equivalent employee, annualised from the month's revenue, in US dollars a year, so it moves with the industry's season: compare the same month. Count part-timers as FTE; outsourcing inflates it.",
    formula:
      "the month's revenue x 12 / average full-time-equivalent employees",
    validRange: { min: 0, max: 100_000_000 },
  },
  profit_margin: {
    name: 'profit_margin',
    label: 'Net profit margin',
    unit: 'fraction',
    direction: 'higher_is_better',
    description:
      'Pre-tax net income as a share of revenue, owner pay normalised as private-company benchmarks do. Can be negative.',
    formula: 'pre-tax net income / revenue',
    validRange: { min: -10, max: 1 },
  },
  gross_margin: {
    name: 'gross_margin',
    label: 'Gross margin',
    unit: 'fraction',
    direction: 'higher_is_better',
    description:
      'Revenue left after the direct cost of what was sold, as a share of revenue.',
    formula: '(revenue - cost of goods sold) / revenue',
    validRange: { min: -10, max: 1 },
  },
  inventory_turnover: {
    name: 'inventory_turnover',
    label: 'Inventory turnover',
    unit: 'turns_per_year',
    direction: 'higher_is_better',
    description:
      "How many times a year the average inventory is sold and replaced, annualised from the month's cost of goods sold. Higher is better within a band: very high turnover can mean stock-outs. Days of inventory = 365 / turns.",
    formula: "the month's cost of goods sold x 12 / average inventory",
    validRange: { min: 0, max: 1000 },
  },
  customer_acquisition_cost: {
    name: 'customer_acquisition_cost',
    label: 'Customer acquisition cost',
    unit: 'usd',
    direction: 'lower_is_better',
    description:
      'All sales and marketing spend (ads, staff, tools) per new customer won in the same period, in US dollars. Read it next to customer lifetime value.',
    formula: 'sales and marketing spend / new customers acquired',
    validRange: { min: 0, max: 10_000_000 },
    illustrative: ILLUSTRATIVE,
  },
  customer_retention_rate: {
    name: 'customer_retention_rate',
    label: 'Customer retention rate',
    unit: 'fraction',
    direction: 'higher_is_better',
    description:
      'Share of the customers at the start of a year who are still customers at its end (annual). Churn = 1 - retention.',
    formula:
      '(customers at end of year - new customers in the year) / customers at start of year',
    validRange: { min: 0, max: 1 },
    illustrative: ILLUSTRATIVE,
  },
  occupancy_rate: {
    name: 'occupancy_rate',
    label: 'Occupancy rate',
    unit: 'fraction',
    direction: 'higher_is_better',
    description:
      'Hotels: rooms sold as a share of rooms available. Real estate: occupied units (or square feet) as a share of the total.',
    formula: 'occupied units / available units',
    validRange: { min: 0, max: 1 },
  },
  revenue_per_available_room: {
    name: 'revenue_per_available_room',
    label: 'Revenue per available room (RevPAR)',
    unit: 'usd',
    direction: 'higher_is_better',
    description:
      'Room revenue per available room-night, in US dollars: occupancy times average daily rate.',
    formula: 'room revenue / available room-nights',
    validRange: { min: 0, max: 100_000 },
  },
  prime_cost_ratio: {
    name: 'prime_cost_ratio',
    label: 'Prime cost ratio',
    unit: 'fraction',
    direction: 'lower_is_better',
    description:
      'Food and beverage cost plus total labour cost as a share of sales. Operators aim to keep it at or below 0.60-0.65.',
    formula: '(cost of food and beverage + total labour cost) / sales',
    validRange: { min: 0, max: 10 },
  },
  billable_utilization: {
    name: 'billable_utilization',
    label: 'Billable utilization',
    unit: 'fraction',
    direction: 'higher_is_better',
    description:
      'Billable hours as a share of available hours. Higher is better within a band: above about 0.85 firm-wide signals burnout risk.',
    formula: 'billable hours / available hours',
    validRange: { min: 0, max: 1.5 },
  },
  days_sales_outstanding: {
    name: 'days_sales_outstanding',
    label: 'Days sales outstanding',
    unit: 'days',
    direction: 'lower_is_better',
    description:
      'Average number of days it takes to collect payment after a sale ("debtor days").',
    formula: 'accounts receivable / annual revenue * 365',
    validRange: { min: 0, max: 3650 },
  },
  capacity_utilization: {
    name: 'capacity_utilization',
    label: 'Capacity utilization',
    unit: 'fraction',
    direction: 'higher_is_better',
    description:
      'Actual output as a share of sustainable maximum output (Federal Reserve G.17 definition). Higher is better within a band.',
    formula: 'actual output / sustainable capacity',
    validRange: { min: 0, max: 1.5 },
  },
  days_in_accounts_receivable: {
    name: 'days_in_accounts_receivable',
    label: 'Days in accounts receivable',
    unit: 'days',
    direction: 'lower_is_better',
    description:
      'Days of charges outstanding: how long a practice waits, on average, to be paid. Varies by specialty.',
    formula: 'accounts receivable / average daily charges (trailing 90 days)',
    validRange: { min: 0, max: 3650 },
  },
  no_show_rate: {
    name: 'no_show_rate',
    label: 'No-show rate',
    unit: 'fraction',
    direction: 'lower_is_better',
    description:
      'Share of scheduled appointments the patient missed without cancelling.',
    formula: 'missed appointments / scheduled appointments',
    validRange: { min: 0, max: 1 },
  },
  student_retention_rate: {
    name: 'student_retention_rate',
    label: 'Student retention rate',
    unit: 'fraction',
    direction: 'higher_is_better',
    description:
      'Share of a cohort of students who return for the next term or year at the same institution (transfers count as lost).',
    formula: 'returning students / students in the prior cohort',
    validRange: { min: 0, max: 1 },
  },
  payroll_cost_ratio: {
    name: 'payroll_cost_ratio',
    label: 'Payroll cost ratio',
    unit: 'fraction',
    direction: 'lower_is_better',
    description: 'Wages, salaries and benefits as a share of revenue.',
    formula: 'total payroll cost / revenue',
    validRange: { min: 0, max: 10 },
  },
  lease_renewal_rate: {
    name: 'lease_renewal_rate',
    label: 'Lease renewal rate',
    unit: 'fraction',
    direction: 'higher_is_better',
    description: 'Share of expiring leases that the tenant renews.',
    formula: 'leases renewed / leases expiring',
    validRange: { min: 0, max: 1 },
  },
};

/**
 * Metrics with real BLS benchmarks (series IDs and NAICS mapping in data-sources/bls/bls-series-ids.ts). They join
 * every industry's catalog when DATA_SOURCE is `bls` or `blended`.
 */
export const BLS_METRICS: Readonly<Record<string, MetricDefinition>> = {
  annual_wage_per_employee: {
    name: 'annual_wage_per_employee',
    label: 'Annual wage per employee',
    unit: 'usd',
    direction: 'higher_is_better',
    description:
      "Annual wage of the industry's employees across all occupations, from the BLS Occupational Employment and Wage Statistics (OEWS): real 10th-90th percentiles of its latest May estimates (the BLS API holds that one year), national only (regional cells get the national figures). Higher means more competitive pay, and a higher labour cost.",
    formula:
      'total annual wages / employees (your average annual wage per employee)',
    validRange: { min: 0, max: 10_000_000 },
    source: 'bls',
    frequency: 'annual',
    statistic: 'percentiles',
    program: 'BLS Occupational Employment and Wage Statistics',
  },
  average_annual_pay: {
    name: 'average_annual_pay',
    label: 'Average annual pay',
    unit: 'usd',
    direction: 'higher_is_better',
    description:
      "Average annual pay per employee in the industry's private sector, from the BLS Quarterly Census of Employment and Wages (QCEW). A mean, not a distribution: regions sum their states' wages and employment where BLS publishes the industry by state (metadata.region_note says when a region gets its sector's state figures or the national ones).",
    formula: 'total annual wages / average monthly employment',
    validRange: { min: 0, max: 10_000_000 },
    source: 'bls',
    frequency: 'annual',
    statistic: 'mean',
    program: 'BLS Quarterly Census of Employment and Wages',
  },
  average_weekly_wage: {
    name: 'average_weekly_wage',
    label: 'Average weekly wage',
    unit: 'usd',
    direction: 'higher_is_better',
    description:
      "Average weekly wage per employee in the industry's private sector, by quarter, from the BLS QCEW. A mean: regions sum their states' wages and employment where BLS publishes the industry by state (see metadata.region_note).",
    formula:
      "the quarter's total wages / the quarter's average monthly employment / 13",
    validRange: { min: 0, max: 200_000 },
    source: 'bls',
    frequency: 'quarterly',
    statistic: 'mean',
    program: 'BLS Quarterly Census of Employment and Wages',
  },
  employment_growth_yoy: {
    name: 'employment_growth_yoy',
    label: 'Employment growth (year over year)',
    unit: 'fraction',
    direction: 'higher_is_better',
    description:
      "Change in the industry's average private employment from the year before, from the BLS QCEW (0.02 means 2% more jobs). For your business: your headcount change.",
    formula: "average monthly employment this year / last year's - 1",
    validRange: { min: -1, max: 10 },
    source: 'bls',
    frequency: 'annual',
    statistic: 'mean',
    program: 'BLS Quarterly Census of Employment and Wages',
  },
};

export const BLS_METRIC_NAMES: readonly string[] = Object.keys(BLS_METRICS);

const ABS = 'Census Annual Business Survey';
const CBP = 'Census County Business Patterns';

/**
 * Metrics with real Census benchmarks: means by company size (in employees) and region, annual (datasets, size codes
 * and sums in data-sources/census/). They join every industry's catalog when DATA_SOURCE is `census`, or `blended`
 * with a Census key.
 */
export const CENSUS_METRICS: Readonly<Record<string, MetricDefinition>> = {
  receipts_per_employee: {
    name: 'receipts_per_employee',
    label: 'Receipts per employee',
    unit: 'usd',
    direction: 'higher_is_better',
    description:
      "Sales, shipments or revenue of the industry's employer firms per employee, from the Census Annual Business Survey (ABS): the mean over the firms of the company size's employee range in the region (their receipts summed, then divided by their employees). Employees are the mid-March count, not full-time equivalents.",
    formula: 'annual receipts / employees',
    validRange: { min: 0, max: 100_000_000 },
    source: 'census',
    frequency: 'annual',
    statistic: 'mean',
    program: ABS,
    sampleUnit: 'firms',
  },
  payroll_per_employee: {
    name: 'payroll_per_employee',
    label: 'Payroll per employee',
    unit: 'usd',
    direction: 'higher_is_better',
    description:
      "Annual payroll per employee of the industry's establishments, from Census County Business Patterns (CBP): the mean over the establishments of the company size's employee range in the region (CBP counts employees per establishment, not per firm). Higher means more competitive pay, and a higher labour cost.",
    formula: 'annual payroll / employees',
    validRange: { min: 0, max: 10_000_000 },
    source: 'census',
    frequency: 'annual',
    statistic: 'mean',
    program: CBP,
    sampleUnit: 'establishments',
  },
  payroll_to_receipts: {
    name: 'payroll_to_receipts',
    label: 'Payroll to receipts',
    unit: 'fraction',
    direction: 'lower_is_better',
    description:
      "Annual payroll as a share of receipts of the industry's employer firms, from the Census Annual Business Survey (ABS), for the company size's employee range in the region. Lower leaves more of each dollar of sales for other costs and profit.",
    formula: 'annual payroll / annual receipts',
    validRange: { min: 0, max: 10 },
    source: 'census',
    frequency: 'annual',
    statistic: 'mean',
    program: ABS,
    sampleUnit: 'firms',
  },
};

export const CENSUS_METRIC_NAMES: readonly string[] =
  Object.keys(CENSUS_METRICS);

/** Every metric definition, synthetic and BLS, by name. */
export const METRICS: Readonly<Record<string, MetricDefinition>> = {
  ...Object.fromEntries(
    Object.entries(SYNTHETIC_METRICS).map(([name, facts]) => [
      name,
      {
        ...facts,
        source: 'synthetic',
        frequency: 'monthly',
        statistic: 'percentiles',
      },
    ]),
  ),
  ...BLS_METRICS,
  ...CENSUS_METRICS,
};

const industry = (
  key: string,
  name: string,
  naicsCode: string,
  description: string,
  metrics: string[],
): IndustryDefinition => ({ key, name, naicsCode, description, metrics });

/** The ten industries, in the order the API lists them. */
export const INDUSTRIES: readonly IndustryDefinition[] = [
  industry(
    'retail',
    'Retail Trade',
    '44-45',
    'Stores and online sellers of goods to consumers.',
    [
      'revenue_per_employee',
      'profit_margin',
      'gross_margin',
      'inventory_turnover',
      'customer_acquisition_cost',
      'customer_retention_rate',
    ],
  ),
  industry(
    'restaurant',
    'Restaurants and Food Services',
    '722',
    'Full-service and limited-service restaurants, cafes, caterers and bars.',
    [
      'revenue_per_employee',
      'profit_margin',
      'prime_cost_ratio',
      'inventory_turnover',
      'customer_acquisition_cost',
      'customer_retention_rate',
    ],
  ),
  industry(
    'professional_services',
    'Professional, Scientific and Technical Services',
    '541',
    'Accounting, legal, consulting, design, engineering and similar firms.',
    [
      'revenue_per_employee',
      'profit_margin',
      'billable_utilization',
      'days_sales_outstanding',
      'customer_acquisition_cost',
      'customer_retention_rate',
    ],
  ),
  industry(
    'manufacturing',
    'Manufacturing',
    '31-33',
    'Establishments that make goods.',
    [
      'revenue_per_employee',
      'profit_margin',
      'inventory_turnover',
      'capacity_utilization',
      'days_sales_outstanding',
      'customer_retention_rate',
    ],
  ),
  industry(
    'healthcare',
    'Health Care (Ambulatory)',
    '62',
    'Physician and dental practices, outpatient clinics and other ambulatory care.',
    [
      'revenue_per_employee',
      'profit_margin',
      'days_in_accounts_receivable',
      'no_show_rate',
      'customer_acquisition_cost',
      'customer_retention_rate',
    ],
  ),
  industry(
    'technology',
    'Technology (Software and IT Services)',
    '5415',
    'Software publishers, SaaS companies and computer systems design and IT services firms.',
    [
      'revenue_per_employee',
      'profit_margin',
      'gross_margin',
      'customer_acquisition_cost',
      'customer_retention_rate',
    ],
  ),
  industry(
    'hospitality',
    'Accommodation',
    '721',
    'Hotels, motels, inns and other lodging.',
    [
      'revenue_per_employee',
      'profit_margin',
      'occupancy_rate',
      'revenue_per_available_room',
      'customer_acquisition_cost',
      'customer_retention_rate',
    ],
  ),
  industry(
    'construction',
    'Construction',
    '23',
    'General contractors, specialty trade contractors and builders.',
    [
      'revenue_per_employee',
      'profit_margin',
      'gross_margin',
      'days_sales_outstanding',
      'customer_acquisition_cost',
      'customer_retention_rate',
    ],
  ),
  industry(
    'education',
    'Educational Services',
    '61',
    'Private schools, colleges, training centres and tutoring businesses.',
    [
      'revenue_per_employee',
      'profit_margin',
      'payroll_cost_ratio',
      'student_retention_rate',
      'customer_acquisition_cost',
    ],
  ),
  industry(
    'real_estate',
    'Real Estate (Lessors and Property Managers)',
    '531',
    'Lessors of residential and commercial property and property managers.',
    [
      'revenue_per_employee',
      'profit_margin',
      'occupancy_rate',
      'lease_renewal_rate',
      'customer_acquisition_cost',
    ],
  ),
];

const INDUSTRY_BY_KEY = new Map(INDUSTRIES.map((i) => [i.key, i]));
const METRIC_BY_NAME = new Map(Object.values(METRICS).map((m) => [m.name, m]));

export const INDUSTRY_KEYS: readonly string[] = INDUSTRIES.map((i) => i.key);

/** Every metric name in the catalog. */
export const METRIC_NAMES: readonly string[] = Object.keys(METRICS);

/** The industry, or undefined when the key is not in the catalog. */
export function findIndustry(key: string): IndustryDefinition | undefined {
  return INDUSTRY_BY_KEY.get(key);
}

/**
 * The metric definition, or undefined. Lookups go through a Map, never through `METRICS[name]`, so names such as
 * `constructor` or `__proto__` find nothing.
 */
export function findMetric(name: string): MetricDefinition | undefined {
  return METRIC_BY_NAME.get(name);
}

/** The metric definitions of an industry, in catalog order. */
export function industryMetrics(
  industryDef: IndustryDefinition,
): MetricDefinition[] {
  return industryDef.metrics.map((name) => METRIC_BY_NAME.get(name)!);
}

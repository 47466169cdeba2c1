/** Company size classes. Each is a separate peer group; there is no "all sizes" cell. */
export const COMPANY_SIZES = ['small', 'medium', 'large'] as const;
export type CompanySize = (typeof COMPANY_SIZES)[number];

/**
 * What each company size means, in employees (a firm's, where the source counts firms): all three are small
 * businesses by the SBA's usual cut-off of 500.
 */
export const COMPANY_SIZE_EMPLOYEES: Readonly<
  Record<CompanySize, { readonly min: number; readonly max: number }>
> = {
  small: { min: 1, max: 19 },
  medium: { min: 20, max: 99 },
  large: { min: 100, max: 499 },
};

/** US regions. `national` is the whole country; the five others partition it. */
export const REGIONS = [
  'national',
  'northeast',
  'southeast',
  'midwest',
  'west',
  'southwest',
] as const;
export type Region = (typeof REGIONS)[number];

export const DIRECTIONS = ['higher_is_better', 'lower_is_better'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/**
 * Units of metric values. `fraction` is a share written as a decimal (0.10 means 10%) and may be negative for
 * margins; `usd` is US dollars; `turns_per_year` and `days` are what they say.
 */
export const UNITS = ['usd', 'fraction', 'turns_per_year', 'days'] as const;
export type Unit = (typeof UNITS)[number];

/**
 * Where a number came from: the synthetic generator, the US Bureau of Labor Statistics, the US Census Bureau, or
 * peers' own figures contributed by the apps that call the service (`user_contributed`, published only for cells of
 * enough businesses). Every point says it.
 */
export const SOURCES = [
  'synthetic',
  'bls',
  'census',
  'user_contributed',
] as const;
export type SourceName = (typeof SOURCES)[number];

/** The sources a metric's catalog entry names as its publisher (contributed cells stand in for modelled ones). */
export const METRIC_SOURCES = ['synthetic', 'bls', 'census'] as const;
export type MetricSourceName = (typeof METRIC_SOURCES)[number];

/** A series' source: `mixed` when its points come from more than one (stand-ins among real numbers). */
export const SERIES_SOURCES = [
  'synthetic',
  'bls',
  'census',
  'user_contributed',
  'mixed',
] as const;
export type SeriesSource = (typeof SERIES_SOURCES)[number];

/**
 * The configured data source (DATA_SOURCE): one source's metrics only; `blended`: every metric of the industry, BLS
 * and Census numbers where they have data, published contributed cells over modelled numbers, synthetic elsewhere;
 * `contributed`: published contributed cells over the synthetic numbers.
 */
export const DATA_SOURCE_NAMES = [
  'synthetic',
  'bls',
  'census',
  'blended',
  'contributed',
] as const;
export type DataSourceName = (typeof DATA_SOURCE_NAMES)[number];

/** How often a metric is published. Points are dated by the first day of their period. */
export const FREQUENCIES = ['monthly', 'quarterly', 'annual'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/**
 * What a metric's benchmark is: a distribution known by its 10th-90th percentiles (the value is the median), or
 * only a mean (the percentiles are null and no rank can be computed).
 */
export const STATISTICS = ['percentiles', 'mean'] as const;
export type Statistic = (typeof STATISTICS)[number];

/** Performance bands, always from the business's point of view: "above" means better than peers. */
export const INTERPRETATIONS = [
  'significantly_above',
  'above_average',
  'average',
  'below_average',
  'significantly_below',
] as const;
export type Interpretation = (typeof INTERPRETATIONS)[number];

export const DEFAULT_COMPANY_SIZE: CompanySize = 'medium';
export const DEFAULT_REGION: Region = 'national';

/**
 * What a business's value was compared with: the distribution of the same calendar month (which carries that month's
 * season), that month's deseasonalised distribution, or, for annual and quarterly metrics, the newest published
 * period starting at or before the month.
 */
export const COMPARISON_BASES = [
  'same_month',
  'seasonally_adjusted',
  'published_period',
] as const;
export type ComparisonBasis = (typeof COMPARISON_BASES)[number];

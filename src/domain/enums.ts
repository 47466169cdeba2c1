/** Company size classes. Each is a separate peer group; there is no "all sizes" cell. */
export const COMPANY_SIZES = ['small', 'medium', 'large'] as const;
export type CompanySize = (typeof COMPANY_SIZES)[number];

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

/** Where a number came from. Only `synthetic` exists so far; every series and point carries one. */
export const SOURCES = ['synthetic'] as const;
export type SourceName = (typeof SOURCES)[number];

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

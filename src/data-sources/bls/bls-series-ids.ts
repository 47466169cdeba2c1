import type { Region } from '../../domain/enums';

/**
 * Everything about BLS series IDs the service relies on, in one place (BLS publishes no catalogue of series IDs,
 * so they are built here and unit-tested against real IDs). Formats from https://www.bls.gov/help/hlpforma.htm:
 *
 * - QCEW (`EN`): `EN` + seasonal `U` + area(5) + datatype(1) + size(1) + ownership(1) + industry (NAICS, variable
 *   length, hyphenated sectors kept: `44-45`). Example: `ENUUS00050544-45` = U.S., average annual pay, all sizes,
 *   private, retail. Area `US000` is the nation; a state is its 2-digit FIPS code + `000`. There are no region
 *   areas: regions are summed from states. Datatypes used: 1 employment (monthly), 3 total wages in thousands
 *   (quarterly).
 * - OEWS (`OE`, 25 characters): `OE` + `U` + areatype `N` + area(7) + industry(6) + occupation(6, `000000` = all)
 *   + datatype(2); datatypes 11..15 = annual wage p10/p25/median/p75/p90. Industry-specific estimates exist for the
 *   nation only.
 */

/** Our industry keys -> the NAICS codes BLS files them under. */
export interface IndustryCodes {
  /** QCEW industry code (NAICS, hyphenated sectors as BLS writes them). */
  readonly qcew: string;
  /** OEWS 6-character industry code. Sector-level codes are not documented for every sector (see below). */
  readonly oews: string;
}

/**
 * NAICS 2022 mapping. Technology is computer systems design (5415), hospitality accommodation (721), restaurants
 * food services and drinking places (722). OEWS sector codes follow the `310000` pattern BLS uses for
 * manufacturing; the reference marks the codes for 44-45 and some others as unverified against `oe.industry`.
 */
export const BLS_INDUSTRY_CODES: Readonly<Record<string, IndustryCodes>> = {
  retail: { qcew: '44-45', oews: '440000' },
  restaurant: { qcew: '722', oews: '722000' },
  professional_services: { qcew: '54', oews: '540000' },
  manufacturing: { qcew: '31-33', oews: '310000' },
  healthcare: { qcew: '62', oews: '620000' },
  technology: { qcew: '5415', oews: '541500' },
  hospitality: { qcew: '721', oews: '721000' },
  construction: { qcew: '23', oews: '230000' },
  education: { qcew: '61', oews: '610000' },
  real_estate: { qcew: '53', oews: '531000' },
};

/** State postal code -> FIPS code, the 50 states and DC. */
export const STATE_FIPS: Readonly<Record<string, string>> = {
  AL: '01',
  AK: '02',
  AZ: '04',
  AR: '05',
  CA: '06',
  CO: '08',
  CT: '09',
  DE: '10',
  DC: '11',
  FL: '12',
  GA: '13',
  HI: '15',
  ID: '16',
  IL: '17',
  IN: '18',
  IA: '19',
  KS: '20',
  KY: '21',
  LA: '22',
  ME: '23',
  MD: '24',
  MA: '25',
  MI: '26',
  MN: '27',
  MS: '28',
  MO: '29',
  MT: '30',
  NE: '31',
  NV: '32',
  NH: '33',
  NJ: '34',
  NM: '35',
  NY: '36',
  NC: '37',
  ND: '38',
  OH: '39',
  OK: '40',
  OR: '41',
  PA: '42',
  RI: '44',
  SC: '45',
  SD: '46',
  TN: '47',
  TX: '48',
  UT: '49',
  VT: '50',
  VA: '51',
  WA: '53',
  WV: '54',
  WI: '55',
  WY: '56',
};

/**
 * The six regions as states, built on Census divisions: northeast = Census Northeast; midwest = Census Midwest;
 * southeast = South Atlantic + East South Central; southwest = West South Central + Arizona and New Mexico (the
 * BLS Southwest office plus Arizona); west = the rest of the Mountain division plus the Pacific. Every state is in
 * exactly one region (checked by a test).
 */
export const REGION_STATES: Readonly<
  Record<Exclude<Region, 'national'>, readonly string[]>
> = {
  northeast: ['CT', 'ME', 'MA', 'NH', 'RI', 'VT', 'NJ', 'NY', 'PA'],
  midwest: [
    'IL',
    'IN',
    'MI',
    'OH',
    'WI',
    'IA',
    'KS',
    'MN',
    'MO',
    'NE',
    'ND',
    'SD',
  ],
  southeast: [
    'DE',
    'DC',
    'FL',
    'GA',
    'MD',
    'NC',
    'SC',
    'VA',
    'WV',
    'AL',
    'KY',
    'MS',
    'TN',
  ],
  southwest: ['AR', 'LA', 'OK', 'TX', 'AZ', 'NM'],
  west: ['CO', 'ID', 'MT', 'NV', 'UT', 'WY', 'AK', 'CA', 'HI', 'OR', 'WA'],
};

/** QCEW area codes of a region: the nation's own code, or its states' statewide codes. */
export function qcewAreas(region: Region): string[] {
  if (region === 'national') return ['US000'];
  return REGION_STATES[region].map((state) => `${STATE_FIPS[state]}000`);
}

export const QCEW_EMPLOYMENT = '1';
export const QCEW_TOTAL_WAGES = '3';
const QCEW_ALL_SIZES = '0';
const QCEW_PRIVATE = '5';

/** A QCEW series ID: not seasonally adjusted, all establishment sizes, private ownership. */
export function qcewSeriesId(
  area: string,
  datatype: string,
  industry: string,
): string {
  return `ENU${area}${datatype}${QCEW_ALL_SIZES}${QCEW_PRIVATE}${industry}`;
}

/** OEWS annual wage percentile datatypes, in percentile order (p10, p25, median, p75, p90). */
export const OEWS_ANNUAL_WAGE_PERCENTILES = [
  '11',
  '12',
  '13',
  '14',
  '15',
] as const;

/** An OEWS national, all-occupation series ID for an industry. */
export function oewsNationalSeriesId(
  industry6: string,
  datatype: string,
): string {
  return `OEUN0000000${industry6}000000${datatype}`;
}

import type { Region } from '../../domain/enums';
import { REGION_STATES, STATE_FIPS } from '../../domain/us-states';

export { REGION_STATES, STATE_FIPS };

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
 *   nation only. The API holds one year of OEWS: the latest May estimates (each spring's release withdraws the
 *   year before), so OEWS is asked for without years and the year is read from the answer.
 */

/** An industry code as one BLS program writes it, with the industry it covers (BLS's own title). */
export interface BlsIndustryCode {
  readonly code: string;
  readonly title: string;
}

/** How one of our industries is found in the two BLS programs the service reads. */
export interface BlsIndustryMapping {
  /**
   * OEWS industry code, exactly as BLS's `oe.industry` file writes it: a two-digit sector as its first code, two
   * dashes and one past its last code (`44--46` for 44-45), never `XX0000` (which does not exist); codes of three
   * to six digits padded with zeros (`722000`). Industry estimates are national only.
   */
  readonly oews: BlsIndustryCode;
  /** QCEW industry code for the nation (NAICS; hyphenated sectors as QCEW writes them: `44-45`). */
  readonly qcew: BlsIndustryCode;
  /**
   * QCEW code of the state series summed for a region, or null when regions get the national series. Equal to
   * `qcew` for a sector. For a code below the sector it is the nearest real series: the BLS API is not known to hold
   * state series below the sector (bls-api.md §2.1, §6), so the service never asks for them.
   */
  readonly qcewStates: BlsIndustryCode | null;
  /** Why a region's QCEW figures are not the industry's own state series (shown in the series metadata). */
  readonly regionalNote?: string;
  /** What the two programs count differently for this industry (shown in the series metadata). */
  readonly scopeNote?: string;
  /** Who the OEWS figures count where that differs from QCEW's private employers (shown in the series metadata). */
  readonly oewsOwnership?: string;
}

const SECTOR_72: BlsIndustryCode = {
  code: '72',
  title: 'Accommodation and food services',
};
const NO_STATE_SERIES =
  'The BLS API is not known to hold QCEW state series below the sector (bls-api.md §6), so the service does not ask for them';
const PUBLIC_EMPLOYERS = (sector: string, who: string) =>
  `OEWS figures for ${sector} include state and local government employers (${who}); the QCEW metrics (average_annual_pay, average_weekly_wage, employment_growth_yoy) count private employers only.`;

/**
 * Each industry's BLS codes: the one place they are written. The evidence (bls-api.md):
 * - OEWS: every code is in BLS's `oe.industry` file, and live answers exist for its forms (§2.3).
 * - QCEW sectors: seen in real use nationally (`ENUUS00050544-45` and the 18 others) and by state
 *   (`ENU2600050544-45`) (§2.1).
 * - QCEW below the sector, nationally (722, 721, 5415): a 3-digit national series is seen in real use
 *   (`ENUUS000105493`); the 4-digit 5415 is not confirmed (§6). By state: never asked for (see `qcewStates`).
 * Technology is computer systems design (5415), hospitality accommodation (721), restaurants food services and
 * drinking places (722); real estate is the whole sector 53 in both programs, so that every cell describes one
 * industry (OEWS 531000 and QCEW 53 would describe two).
 */
export const BLS_INDUSTRIES: Readonly<Record<string, BlsIndustryMapping>> = {
  retail: sector(
    { code: '44--46', title: 'Retail trade' },
    { code: '44-45', title: 'Retail trade' },
  ),
  restaurant: {
    oews: { code: '722000', title: 'Food services and drinking places' },
    qcew: { code: '722', title: 'Food services and drinking places' },
    qcewStates: SECTOR_72,
    regionalNote: `${NO_STATE_SERIES}: a region sums its states' series for sector 72, accommodation and food services, of which food services and drinking places hold about 85% of the jobs. National cells use NAICS 722 itself.`,
  },
  professional_services: sector(
    {
      code: '54--55',
      title: 'Professional, scientific, and technical services',
    },
    { code: '54', title: 'Professional, scientific, and technical services' },
  ),
  manufacturing: sector(
    { code: '31--34', title: 'Manufacturing' },
    { code: '31-33', title: 'Manufacturing' },
  ),
  healthcare: sector(
    { code: '62--63', title: 'Health care and social assistance' },
    { code: '62', title: 'Health care and social assistance' },
    PUBLIC_EMPLOYERS('health care', 'public hospitals and clinics'),
    'private employers and state and local government',
  ),
  technology: {
    oews: {
      code: '541500',
      title: 'Computer systems design and related services',
    },
    qcew: {
      code: '5415',
      title: 'Computer systems design and related services',
    },
    qcewStates: null,
    regionalNote: `${NO_STATE_SERIES}: regional cells get the national figures for NAICS 5415 (the state series of sector 54 would mostly describe other professional services: 5415 holds about a quarter of its jobs).`,
  },
  hospitality: {
    oews: { code: '721000', title: 'Accommodation' },
    qcew: { code: '721', title: 'Accommodation' },
    qcewStates: null,
    regionalNote: `${NO_STATE_SERIES}: regional cells get the national figures for NAICS 721 (the state series of sector 72 would mostly describe restaurants: accommodation holds about 15% of its jobs).`,
  },
  construction: sector(
    { code: '23--24', title: 'Construction' },
    { code: '23', title: 'Construction' },
  ),
  education: sector(
    { code: '61--62', title: 'Educational services' },
    { code: '61', title: 'Educational services' },
    PUBLIC_EMPLOYERS(
      'educational services',
      'public schools, colleges and universities',
    ),
    'private employers and state and local government',
  ),
  real_estate: sector(
    { code: '53--54', title: 'Real estate and rental and leasing' },
    { code: '53', title: 'Real estate and rental and leasing' },
    "Both BLS programs describe NAICS sector 53, real estate and rental and leasing, for every cell. This industry as the service defines it is real estate (531, lessors and property managers), which holds about two thirds of the sector's jobs; rental and leasing holds the rest.",
  ),
};

/** A sector: the same code in every QCEW area. */
function sector(
  oews: BlsIndustryCode,
  qcew: BlsIndustryCode,
  scopeNote?: string,
  oewsOwnership?: string,
): BlsIndustryMapping {
  return {
    oews,
    qcew,
    qcewStates: qcew,
    ...(scopeNote ? { scopeNote } : {}),
    ...(oewsOwnership ? { oewsOwnership } : {}),
  };
}

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

/** An OEWS national, all-occupation series ID for an industry (its 6-character OEWS code). */
export function oewsNationalSeriesId(
  industry6: string,
  datatype: string,
): string {
  return `OEUN0000000${industry6}000000${datatype}`;
}

/** The five OEWS annual wage percentile series of an industry, p10 to p90. */
export function oewsWageSeriesIds(industry: string): string[] {
  const code = BLS_INDUSTRIES[industry].oews.code;
  return OEWS_ANNUAL_WAGE_PERCENTILES.map((dt) =>
    oewsNationalSeriesId(code, dt),
  );
}

/**
 * The readiness probe's series: national, cross-industry, all-occupation annual median wage. It exists in every
 * OEWS release (industry `000000` is cross-industry in `oe.industry`).
 */
export const OEWS_PROBE_SERIES = oewsNationalSeriesId('000000', '13');

/** The QCEW series behind one cell: the areas summed and the industry code written in them. */
export interface QcewCell {
  readonly areas: readonly string[];
  readonly industry: BlsIndustryCode;
  /** Why the cell's figures are not the industry's own series for its region; absent when they are. */
  readonly substituteNote?: string;
}

/**
 * The QCEW series of an industry and region that exist in the BLS API: the nation's own series, a region's states'
 * series for a sector, and for a code below the sector the nearest real series ({@link BlsIndustryMapping}).
 */
export function qcewCell(industry: string, region: Region): QcewCell {
  const mapping = BLS_INDUSTRIES[industry];
  if (region === 'national')
    return { areas: qcewAreas('national'), industry: mapping.qcew };
  const states = mapping.qcewStates;
  if (!states)
    return {
      areas: qcewAreas('national'),
      industry: mapping.qcew,
      substituteNote: mapping.regionalNote,
    };
  return {
    areas: qcewAreas(region),
    industry: states,
    ...(states.code !== mapping.qcew.code
      ? { substituteNote: mapping.regionalNote }
      : {}),
  };
}

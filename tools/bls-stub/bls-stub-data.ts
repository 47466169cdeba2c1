/**
 * Deterministic, plausible data for the local BLS Public Data API v2 stub. Pure: no I/O, no clock; every value is
 * derived from the series ID, year and period with a hash, and `now` only decides what is served.
 *
 * Recognised families, with the industry codes the real database has (bls-api.md §2.1-§2.3); anything else
 * well-formed is "Series does not exist", as the real API answers a padded OEWS sector code such as `440000`:
 * - OEWS national all-occupation wages by industry: `OEUN0000000{ind6}000000{dt}`, dt 01 employment, 04 annual
 *   mean, 11..15 annual p10/p25/median/p75/p90. Industry codes as BLS's `oe.industry` writes them: sectors as
 *   `44--46`, deeper codes padded (`722000`). Period A01 of ONE year, as in the real API: the latest May estimates,
 *   year Y from (Y+1)-04-01 UTC, when year Y-1 is withdrawn ("No Data Available" for every other year).
 * - QCEW: `ENU{area}{dt}05{industry}`, dt 1 employment (M01..M12), 3 total wages in $000 (Q01..Q04), 4 average
 *   weekly wage (Q01..Q04), 5 average annual pay (A01). Area `US000` for every industry code; a state `SS000` only
 *   for the total (`10`) and sectors (`23`, `44-45`): the API is not known to hold state series below the sector,
 *   so the stub refuses them and a service asking for them fails its tests. Years 2012..; a quarter is published 6
 *   months after it ends (its months with it), A01 once Q4 is. US000 employment and total wages are the exact sums
 *   of the 51 states' (including Wyoming 61's undisclosed values, which are served as "-").
 */

/** A footnote as the API writes it; `{}` means "no footnote". */
export interface BlsWireFootnote {
  code?: string;
  text?: string;
}

/** One observation as the API writes it: every field a string, `latest` only on a series' newest point. */
export interface BlsWirePoint {
  year: string;
  period: string;
  periodName: string;
  latest?: 'true';
  value: string;
  footnotes: BlsWireFootnote[];
}

/** First year any stub series has data for. */
export const STUB_FIRST_YEAR = 2012;

/** Series IDs the API accepts: upper-case letters, digits, `_`, `-` and `#`. */
export function isWellFormedSeriesId(id: string): boolean {
  return /^[A-Z0-9_#-]+$/.test(id);
}

/** The 50 states and DC: FIPS code, postal code, population share (sums to 1), relative pay level. */
export const STUB_STATES: ReadonlyArray<{
  readonly fips: string;
  readonly postal: string;
  readonly share: number;
  readonly wage: number;
}> = buildStates();

function buildStates() {
  // fips postal population(thousands, 2020) relative-pay
  const raw =
    '01 AL 5024 .83,02 AK 733 .98,04 AZ 7152 .92,05 AR 3012 .78,06 CA 39538 1.2,08 CO 5774 1.07,09 CT 3606 1.15,' +
    '10 DE 990 .98,11 DC 690 1.55,12 FL 21538 .88,13 GA 10712 .93,15 HI 1455 .88,16 ID 1839 .8,17 IL 12813 1.03,' +
    '18 IN 6786 .83,19 IA 3190 .82,20 KS 2938 .83,21 KY 4506 .8,22 LA 4658 .82,23 ME 1362 .84,24 MD 6177 1.03,' +
    '25 MA 7030 1.25,26 MI 10077 .9,27 MN 5706 .98,28 MS 2961 .72,29 MO 6155 .86,30 MT 1084 .79,31 NE 1962 .83,' +
    '32 NV 3105 .88,33 NH 1377 .98,34 NJ 9289 1.12,35 NM 2118 .8,36 NY 20201 1.25,37 NC 10439 .9,38 ND 779 .88,' +
    '39 OH 11799 .88,40 OK 3959 .8,41 OR 4237 .96,42 PA 13003 .95,44 RI 1097 .94,45 SC 5118 .8,46 SD 887 .76,' +
    '47 TN 6911 .87,48 TX 29146 .97,49 UT 3272 .9,50 VT 643 .84,51 VA 8631 1,53 WA 7705 1.18,54 WV 1794 .78,' +
    '55 WI 5894 .87,56 WY 577 .84';
  const rows = raw.split(',').map((r) => r.split(' '));
  const total = rows.reduce((s, r) => s + Number(r[2]), 0);
  return rows.map(([fips, postal, pop, wage]) => ({
    fips,
    postal,
    share: Number(pop) / total,
    wage: Number(wage),
  }));
}

const STATES = STUB_STATES;
const WAGE_NORM = STATES.reduce((s, st) => s + st.share * st.wage, 0);

const FLAT = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
const WAGE_Q = [1.01, 0.98, 0.99, 1.02];
const BONUS_Q = [1.07, 0.97, 0.96, 1.0];
const RESTAURANT_SEASON = [
  0.975, 0.98, 0.99, 1, 1.01, 1.02, 1.02, 1.02, 1, 0.995, 0.99, 0.995,
];
// QCEW code, OEWS code (as oe.industry writes it), 2024 private employment (millions), weekly wage, OEWS median,
// monthly employment and quarterly wage seasonality
type Row = [string, string, number, number, number, number[]?, number[]?];
// prettier-ignore
const INDUSTRIES = ([
  ['44-45', '44--46', 15.6, 800, 35000, [.985, .98, .985, .99, .995, 1, 1, 1, .995, 1.005, 1.025, 1.04]],
  ['722', '722000', 12.4, 520, 31000, RESTAURANT_SEASON],
  ['72', '72--73', 14.3, 560, 31500, RESTAURANT_SEASON],
  ['54', '54--55', 10.5, 2100, 85000, FLAT, BONUS_Q],
  ['31-33', '31--34', 12.9, 1450, 54000],
  ['62', '62--63', 21.0, 1250, 52000],
  ['6212', '621200', 1.05, 1200, 45000],
  ['5415', '541500', 2.5, 2600, 108000, FLAT, BONUS_Q],
  ['721', '721000', 1.9, 700, 37000, [.94, .95, .97, .99, 1.02, 1.06, 1.08, 1.07, 1.02, .99, .96, .96]],
  ['23', '23--24', 8.2, 1550, 58000, [.95, .955, .975, .995, 1.01, 1.025, 1.03, 1.03, 1.02, 1.015, 1.005, .985]],
  ['61', '61--62', 3.9, 1150, 52000, [1.02, 1.02, 1.02, 1.02, 1, .96, .94, .96, 1.01, 1.02, 1.02, 1.01]],
  ['53', '53--54', 2.5, 1400, 52000],
  ['531', '531000', 1.7, 1350, 50000],
  ['10', '000000', 135, 1400, 48000, [.985, .99, .995, 1, 1.005, 1.01, 1.005, 1.005, 1, 1, 1.005, 1.005]],
] as Row[]).map(([qcew, oews, millions, weekly2024, median2024, empSeason = FLAT, wageSeason = WAGE_Q]) => (
  { qcew, oews, emp2024: millions * 1e6, weekly2024, median2024, empSeason, wageSeason }));
type Industry = (typeof INDUSTRIES)[number];

/** QCEW state series exist for the all-industry total and for sectors (`23`, `44-45`), not below. */
export function hasQcewStateSeries(qcewCode: string): boolean {
  return /^(\d\d|\d\d-\d\d)$/.test(qcewCode);
}

/** FNV-1a over the joined parts with a murmur3 finaliser, mapped to [0, 1). */
function hash01(...parts: Array<string | number>): number {
  const s = parts.join('|');
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** A factor in [1 - amp, 1 + amp), fixed by the parts. */
function jitter(amp: number, ...parts: Array<string | number>): number {
  return 1 + amp * (2 * hash01(...parts) - 1);
}

type Parsed =
  | { kind: 'oews'; ind: Industry; dt: string }
  | { kind: 'qcew'; ind: Industry; dt: number; area: string };

function parse(id: string): Parsed | undefined {
  const oe = /^OEUN0000000(.{6})000000(01|04|1[1-5])$/.exec(id);
  if (oe) {
    const found = INDUSTRIES.find((i) => i.oews === oe[1]);
    return found && { kind: 'oews', ind: found, dt: oe[2] };
  }
  const en = /^ENU(US000|\d\d000)([1345])05(.+)$/.exec(id);
  if (!en) return undefined;
  const found = INDUSTRIES.find((i) => i.qcew === en[3]);
  const areaOk =
    en[1] === 'US000' ||
    (STATES.some((s) => `${s.fips}000` === en[1]) &&
      found !== undefined &&
      hasQcewStateSeries(found.qcew));
  return found && areaOk
    ? { kind: 'qcew', ind: found, dt: Number(en[2]), area: en[1] }
    : undefined;
}

/**
 * The one OEWS reference year the API serves at `now`: year Y appears on (Y+1)-04-01 UTC and replaces Y-1 (the
 * real release comes out in the spring; the API keeps only the latest May estimates).
 */
export function latestOewsYear(now: Date): number {
  const y = now.getUTCFullYear();
  return now.getTime() >= Date.UTC(y, 3, 1) ? y - 1 : y - 2;
}

/** Whether QCEW quarter `q` (1..4) of `year` is published at `now`: 6 months after the quarter ends. */
export function isQcewQuarterPublished(
  year: number,
  q: number,
  now: Date,
): boolean {
  return now.getTime() >= Date.UTC(year, 3 * q + 6, 1);
}

// prettier-ignore
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];
const QUARTERS = ['1st Quarter', '2nd Quarter', '3rd Quarter', '4th Quarter'];

/** The API's name for a period code (M01..M12, Q01..Q04, A01). */
function periodName(period: string): string {
  const n = Number(period.slice(1));
  if (period[0] === 'M') return MONTHS[n - 1];
  return period[0] === 'Q' ? QUARTERS[n - 1] : 'Annual';
}

const code = (prefix: string, n: number): string =>
  `${prefix}${String(n).padStart(2, '0')}`;

/** Published periods of one year, newest first. */
function periodsOf(p: Parsed, year: number, now: Date): string[] {
  if (year < STUB_FIRST_YEAR) return [];
  if (p.kind === 'oews') return year === latestOewsYear(now) ? ['A01'] : [];
  const qs = [4, 3, 2, 1].filter((q) => isQcewQuarterPublished(year, q, now));
  if (p.dt === 5) return qs.includes(4) ? ['A01'] : [];
  if (p.dt !== 1) return qs.map((q) => code('Q', q));
  return qs.flatMap((q) => [3, 2, 1].map((k) => code('M', 3 * (q - 1) + k)));
}

function round10(x: number): number {
  return Math.round(x / 10) * 10;
}

// prettier-ignore
const OEWS_RATIO: Record<string, number> = { '11': 0.58, '12': 0.76, '13': 1, '14': 1.4, '15': 1.9, '04': 1.22 };

function oewsValue(i: Industry, dt: string, year: number): number {
  const t = year - 2024;
  if (dt === '01') {
    const emp = i.qcew === '10' ? 152e6 : i.emp2024;
    return round10(emp * 1.012 ** t * jitter(0.01, 'oe1', i.oews, year));
  }
  const median = i.median2024 * 1.035 ** t * jitter(0.01, 'oem', i.oews, year);
  const spread = dt === '13' ? 1 : jitter(0.015, 'oe', dt, i.oews, year);
  return round10(median * OEWS_RATIO[dt] * spread);
}

/** State employment [state][month 0..11] and total wages in $000 [state][quarter 0..3]. */
type QcewYear = { emp: number[][]; wages: number[][] };
/** Memo per industry and year; bounded (11 industries x published years), so purity is unaffected. */
const qcewYears = new Map<string, QcewYear>();

function qcewYear(i: Industry, year: number): QcewYear {
  const key = `${i.qcew}|${year}`;
  const cached = qcewYears.get(key);
  if (cached) return cached;
  const t = year - 2024;
  const empGrowth = (1.01 + 0.01 * hash01('eg', i.qcew)) ** t;
  const wageGrowth = (1.03 + 0.01 * hash01('wg', i.qcew)) ** t;
  const yearNoise = jitter(0.005, 'ey', i.qcew, year);
  const emp = STATES.map((st) => {
    const level = i.emp2024 * empGrowth * yearNoise * st.share;
    const skew = level * jitter(0.12, 'es', st.fips, i.qcew);
    return i.empSeason.map((season, m) => {
      const noise = jitter(0.01, 'em', st.fips, i.qcew, year, m + 1);
      return Math.max(1, Math.round(skew * season * noise));
    });
  });
  const wages = STATES.map((st, s) => {
    const level = ((i.weekly2024 * st.wage) / WAGE_NORM) * wageGrowth;
    const skew = level * jitter(0.05, 'ws', st.fips, i.qcew);
    return i.wageSeason.map((season, q) => {
      const weekly =
        skew * season * jitter(0.01, 'wq', st.fips, i.qcew, year, q + 1);
      const avgEmp =
        (emp[s][3 * q] + emp[s][3 * q + 1] + emp[s][3 * q + 2]) / 3;
      return Math.round((avgEmp * weekly * 13) / 1000);
    });
  });
  const result = { emp, wages };
  qcewYears.set(key, result);
  return result;
}

function qcewValue(
  p: Extract<Parsed, { kind: 'qcew' }>,
  year: number,
  n: number,
): number {
  const { emp, wages } = qcewYear(p.ind, year);
  const rows = STATES.flatMap((st, s) =>
    p.area === 'US000' || p.area === `${st.fips}000` ? [s] : [],
  );
  const sum = (m: number[][], k: number) =>
    rows.reduce((a, s) => a + m[s][k], 0);
  const avgEmp = (q: number) =>
    (sum(emp, 3 * q - 3) + sum(emp, 3 * q - 2) + sum(emp, 3 * q - 1)) / 3;
  if (p.dt === 1) return sum(emp, n - 1);
  if (p.dt === 3) return sum(wages, n - 1);
  if (p.dt === 4)
    return Math.round((sum(wages, n - 1) * 1000) / avgEmp(n) / 13);
  let total = 0;
  let avg = 0;
  for (let q = 1; q <= 4; q++) {
    total += sum(wages, q - 1);
    avg += avgEmp(q) / 4;
  }
  return Math.round((total * 1000) / avg);
}

/** Wyoming (56) educational services (61) is undisclosed in every QCEW datatype. */
function isSuppressed(p: Parsed): boolean {
  return p.kind === 'qcew' && p.area === '56000' && p.ind.qcew === '61';
}

function valueOf(p: Parsed, year: number, period: string): string {
  if (isSuppressed(p)) return '-';
  if (p.kind === 'oews') return String(oewsValue(p.ind, p.dt, year));
  return String(qcewValue(p, year, Number(period.slice(1))));
}

/**
 * The value the stub serves for one observation: a string of digits, `"-"` when suppressed, or `undefined` when
 * the series is not served, the period does not belong to the series, or the period is not yet published at `now`.
 * Published values never depend on `now` or on call order.
 */
export function stubValue(
  seriesId: string,
  year: number,
  period: string,
  now: Date,
): string | undefined {
  const p = parse(seriesId);
  if (!p || !periodsOf(p, year, now).includes(period)) return undefined;
  return valueOf(p, year, period);
}

/** Newest year with any published data for a known series at `now`, or undefined. */
function newestYear(p: Parsed, now: Date): number | undefined {
  for (let y = now.getUTCFullYear(); y >= STUB_FIRST_YEAR; y--) {
    if (periodsOf(p, y, now).length > 0) return y;
  }
  return undefined;
}

const PRELIMINARY: BlsWireFootnote = { code: 'P', text: 'Preliminary.' };
const NOT_AVAILABLE: BlsWireFootnote = { code: 'N', text: 'Not available.' };

function point(
  p: Parsed,
  year: number,
  period: string,
  newest: number | undefined,
  latest: boolean,
): BlsWirePoint {
  const value = valueOf(p, year, period);
  const footnote =
    value === '-' ? NOT_AVAILABLE : year === newest ? PRELIMINARY : {};
  const head = { year: String(year), period, periodName: periodName(period) };
  const tail = { value, footnotes: [{ ...footnote }] };
  return latest ? { ...head, latest: 'true', ...tail } : { ...head, ...tail };
}

/**
 * Observations of a known series for the inclusive year range, newest first, `latest` on the first, plus the
 * years in the range that have no data (ascending). Footnote P marks the series' newest published year, N a
 * suppressed value, `[{}]` none. Returns undefined for a series the stub does not serve.
 */
export function stubObservations(
  seriesId: string,
  startYear: number,
  endYear: number,
  now: Date,
): { points: BlsWirePoint[]; emptyYears: number[] } | undefined {
  const p = parse(seriesId);
  if (!p) return undefined;
  const newest = newestYear(p, now);
  const points: BlsWirePoint[] = [];
  const emptyYears: number[] = [];
  for (let y = endYear; y >= startYear; y--) {
    const periods = periodsOf(p, y, now);
    if (periods.length === 0) emptyYears.unshift(y);
    for (const period of periods) {
      points.push(point(p, y, period, newest, points.length === 0));
    }
  }
  return { points, emptyYears };
}

/** The single most recent published observation of a known series (flagged `latest`), or undefined. */
export function stubLatestObservation(
  seriesId: string,
  now: Date,
): BlsWirePoint | undefined {
  const p = parse(seriesId);
  const newest = p && newestYear(p, now);
  if (!p || newest === undefined) return undefined;
  return point(p, newest, periodsOf(p, newest, now)[0], newest, true);
}

/** How many OEWS series the stub serves (they come first in {@link stubSeriesIds}). */
export const STUB_OEWS_SERIES_COUNT = INDUSTRIES.length * 7;

/**
 * Every series ID the stub serves: the OEWS ones, then QCEW: US000 for every industry, then the states in FIPS
 * order for the total and the sectors.
 */
export function stubSeriesIds(): string[] {
  const ids: string[] = [];
  for (const dt of ['13', '11', '12', '14', '15', '04', '01']) {
    for (const i of INDUSTRIES) ids.push(`OEUN0000000${i.oews}000000${dt}`);
  }
  for (const area of ['US000', ...STATES.map((s) => `${s.fips}000`)]) {
    for (const dt of [5, 4, 1, 3]) {
      for (const i of INDUSTRIES)
        if (area === 'US000' || hasQcewStateSeries(i.qcew))
          ids.push(`ENU${area}${dt}05${i.qcew}`);
    }
  }
  return ids;
}

/** A survey as `/surveys/{abbr}` returns it (flags are the strings "true"/"false", as in the real API). */
export interface StubSurvey {
  survey_abbreviation: string;
  survey_name: string;
  allowsNetChange: 'true' | 'false';
  allowsPercentChange: 'true' | 'false';
  hasAnnualAverages: 'true' | 'false';
}

/** Surveys listed by `/surveys` (only EN and OE have stub data). */
// prettier-ignore
export const STUB_SURVEYS: readonly StubSurvey[] = ([
  ['CE', 'Employment, Hours, and Earnings (Current Employment Statistics, National)', 'yyy'],
  ['CU', 'Consumer Price Index - All Urban Consumers', 'yyy'],
  ['EN', 'Quarterly Census of Employment and Wages', 'nny'],
  ['LA', 'Local Area Unemployment Statistics', 'yyy'],
  ['OE', 'Occupational Employment and Wage Statistics', 'nnn'],
  ['SM', 'State and Area Employment, Hours, and Earnings', 'yyy'],
] as const).map(([abbr, name, flags]) => {
  const [net, pct, annual] = [...flags].map((c): 'true' | 'false' => (c === 'y' ? 'true' : 'false'));
  return { survey_abbreviation: abbr, survey_name: name, allowsNetChange: net,
    allowsPercentChange: pct, hasAnnualAverages: annual };
});

/** Up to 25 served series IDs for `/timeseries/popular`, optionally of one survey (by ID prefix). */
export function stubPopularSeries(surveyAbbr?: string): string[] {
  const all = stubSeriesIds();
  if (surveyAbbr) {
    return all
      .filter((id) => id.startsWith(surveyAbbr.toUpperCase()))
      .slice(0, 25);
  }
  return [
    ...all.slice(0, 11),
    ...all.slice(STUB_OEWS_SERIES_COUNT, STUB_OEWS_SERIES_COUNT + 14),
  ];
}

import {
  monthFromIsoDate,
  monthToIsoDate,
  type Month,
} from '../../domain/months';
import { BASE_MONTH } from './synthetic-profiles';

/**
 * Published monthly series (seasonally adjusted) that set the level of the generator's dollar metrics from 2000 to
 * their last published month: an industry's nominal sales, or consumer prices. The data is in
 * `level-index-data.ts`, written by `npm run level-indices` from the series' CSV files; this module is the lookup.
 * Pure: no I/O, no clock.
 */
export interface LevelIndex {
  /** The series' identifier where it was taken from (FRED). */
  readonly id: string;
  readonly title: string;
  /** Who publishes the series and where it was copied from. */
  readonly publisher: string;
  readonly units: string;
  /**
   * `sales`: an industry's nominal sales; a dollar metric follows it month by month.
   * `prices`: a price index; a dollar metric follows it, times a modelled real growth.
   */
  readonly kind: 'sales' | 'prices';
  /** Months the agency never published (`YYYY-MM`), filled geometrically between their neighbours. */
  readonly unpublished?: readonly string[];
  /** Where the copy was taken from and its vintage (what revisions it holds). */
  readonly vintage: string;
  /** The first month of `values`, `YYYY-MM`. */
  readonly first: string;
  /** One value a month from `first`, without gaps. */
  readonly values: readonly number[];
}

/** What every lookup of a series needs, derived once per series (not on every point the generator makes). */
interface Span {
  readonly first: Month;
  readonly last: Month;
  /** The value in the base month. */
  readonly base: number;
  /** The mean annual growth from the first month to the base month (a price index's inflation). */
  readonly growth: number;
}

const SPANS = new WeakMap<LevelIndex, Span>();

/** A month of a series; the first or last published value outside its span. */
function valueAt(index: LevelIndex, first: Month, month: Month): number {
  const i = month - first;
  return index.values[Math.max(0, Math.min(index.values.length - 1, i))];
}

function spanOf(index: LevelIndex): Span {
  let span = SPANS.get(index);
  if (!span) {
    const first = monthFromIsoDate(`${index.first}-01`);
    const base = valueAt(index, first, BASE_MONTH);
    span = {
      first,
      last: first + index.values.length - 1,
      base,
      growth: (base / index.values[0]) ** (1 / ((BASE_MONTH - first) / 12)) - 1,
    };
    SPANS.set(index, span);
  }
  return span;
}

export const lastMonthOf = (index: LevelIndex): Month => spanOf(index).last;

/** The series' mean annual growth from its first month to the base month (the inflation of a price index). */
export const meanAnnualGrowth = (index: LevelIndex): number =>
  spanOf(index).growth;

/**
 * The factor on a metric's base-month level in `month`, for a metric whose nominal growth is `nominalGrowth` a year.
 * - sales: the series over its base-month value;
 * - prices: the same times a real growth of `(1 + nominalGrowth) / (1 + mean inflation) - 1` a year, so that over
 *   2000-2024 the metric grows at its nominal rate on average, with the years of prices as published.
 * Outside the published span the series is carried on at its own modelled rate: `nominalGrowth` for sales, the
 * series' mean inflation for prices (before the first month: back from it at the same rate).
 */
export function levelFactor(
  index: LevelIndex,
  month: Month,
  nominalGrowth: number,
): number {
  const { first, last, base, growth: inflation } = spanOf(index);
  const seriesRate = index.kind === 'sales' ? nominalGrowth : inflation;
  const outside =
    month > last ? month - last : month < first ? month - first : 0;
  const series =
    (valueAt(index, first, month) / base) * (1 + seriesRate) ** (outside / 12);
  if (index.kind === 'sales') return series;
  const real = (1 + nominalGrowth) / (1 + inflation) - 1;
  return series * (1 + real) ** ((month - BASE_MONTH) / 12);
}

/** What a series' metadata says about the level it follows. */
export function levelIndexNote(
  index: LevelIndex,
  nominalGrowth: number,
): Record<string, string | number> {
  const published = `${index.first}-01`;
  const through = monthToIsoDate(lastMonthOf(index));
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const inflation = meanAnnualGrowth(index);
  return {
    series: index.id,
    title: index.title,
    publisher: index.publisher,
    kind: index.kind,
    published_from: published,
    published_through: through,
    vintage: index.vintage,
    ...(index.unpublished?.length
      ? {
          unpublished: `${index.unpublished.join(', ')}: never published, filled between the months either side`,
        }
      : {}),
    use:
      index.kind === 'sales'
        ? `The median follows the series month by month, relative to ${monthToIsoDate(BASE_MONTH)} (the calibrated level); after ${through} it is modelled at ${pct(nominalGrowth)} a year.`
        : `Prices follow the series month by month, relative to ${monthToIsoDate(BASE_MONTH)}; real growth is modelled at ${pct((1 + nominalGrowth) / (1 + inflation) - 1)} a year; after ${through} prices are modelled at the series' mean ${pct(inflation)} a year.`,
  };
}

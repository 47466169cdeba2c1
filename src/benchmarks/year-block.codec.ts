import type { BenchmarkPoint, Percentiles } from '../domain/benchmark';
import { SOURCES, type SourceName } from '../domain/enums';
import { monthFromIsoDate, monthToIsoDate } from '../domain/months';
import type { PeerLevel } from '../domain/peer-fallback';

/** One metric of one peer group for one calendar year: the unit benchmark series are cached in. */
export interface YearBlock {
  readonly points: readonly BenchmarkPoint[];
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Non-empty when the source degraded (synthetic stand-ins): such blocks are served but never stored. */
  readonly warnings: readonly string[];
  /** The source's year notes for this year: stable warnings, stored with the block. */
  readonly notes: readonly string[];
}

/** A point as the cache stores it: the domain point, its month written `YYYY-MM-01`. */
interface StoredPoint {
  readonly period: string;
  readonly value: number;
  readonly percentiles: Percentiles | null;
  readonly sampleSize: number | null;
  readonly source: SourceName;
  /** Only on a point that fell back to a broader peer group. */
  readonly peerGroup?: PeerLevel;
}

/** A block as the cache stores it (JSON, readable with `redis-cli GET`); degraded blocks are never stored. */
interface StoredBlock {
  readonly points: readonly StoredPoint[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly notes: readonly string[];
}

/** The storage form of a block (its warnings are not kept: a block with warnings is never stored). */
export function encodeYearBlock(block: YearBlock): StoredBlock {
  return {
    points: block.points.map((p) => ({
      period: monthToIsoDate(p.month),
      value: p.value,
      percentiles: p.percentiles,
      sampleSize: p.sampleSize,
      source: p.source,
      ...(p.peerGroup ? { peerGroup: p.peerGroup } : {}),
    })),
    metadata: block.metadata,
    notes: block.notes,
  };
}

const PERIOD = /^\d{4}-\d{2}-01$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStoredPoint(value: unknown): value is StoredPoint {
  if (!isRecord(value)) return false;
  const p = value.percentiles;
  return (
    typeof value.period === 'string' &&
    PERIOD.test(value.period) &&
    typeof value.value === 'number' &&
    (value.sampleSize === null || typeof value.sampleSize === 'number') &&
    SOURCES.includes(value.source as SourceName) &&
    (p === null ||
      (isRecord(p) &&
        ['p10', 'p25', 'p50', 'p75', 'p90'].every(
          (k) => typeof p[k] === 'number',
        )))
  );
}

/** The block a stored value holds, or undefined when it is not a block of this format (a miss, never a crash). */
export function decodeYearBlock(stored: unknown): YearBlock | undefined {
  if (
    !isRecord(stored) ||
    !Array.isArray(stored.points) ||
    !isRecord(stored.metadata) ||
    !Array.isArray(stored.notes) ||
    !stored.notes.every((n) => typeof n === 'string') ||
    !stored.points.every(isStoredPoint)
  )
    return undefined;
  return {
    points: stored.points.map((p: StoredPoint) => {
      const point: BenchmarkPoint = {
        month: monthFromIsoDate(p.period),
        value: p.value,
        percentiles: p.percentiles,
        sampleSize: p.sampleSize,
        source: p.source,
      };
      return p.peerGroup ? { ...point, peerGroup: p.peerGroup } : point;
    }),
    metadata: stored.metadata,
    warnings: [],
    notes: stored.notes,
  };
}

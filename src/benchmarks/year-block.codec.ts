import type { BenchmarkPoint, Percentiles } from '../domain/benchmark';
import { SOURCES, type SourceName } from '../domain/enums';
import { monthFromIsoDate, monthToIsoDate, type Month } from '../domain/months';
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

/**
 * A point read back from the cache: the domain point, with the JSON of its own fields as /data writes them kept
 * beside it, computed on first use (see BENCHMARKS.md: a decoded entry is reused while it is cached, and writing
 * its points again on every request was over half the CPU of a large /data answer).
 */
export class CachedPoint implements BenchmarkPoint {
  #wireFields?: string;
  #written?: { head: string; tail: string; json: string };

  constructor(
    readonly month: Month,
    readonly value: number,
    readonly percentiles: Percentiles | null,
    readonly sampleSize: number | null,
    readonly source: SourceName,
  ) {}

  /** `"value":...,"period":...,"percentile_10":...,...,"source":...`: the point's fields of /data, in wire order. */
  get wireFields(): string {
    this.#wireFields ??= JSON.stringify({
      value: this.value,
      period: monthToIsoDate(this.month),
      percentile_10: this.percentiles ? this.percentiles.p10 : null,
      percentile_25: this.percentiles ? this.percentiles.p25 : null,
      percentile_50: this.percentiles ? this.percentiles.p50 : null,
      percentile_75: this.percentiles ? this.percentiles.p75 : null,
      percentile_90: this.percentiles ? this.percentiles.p90 : null,
      sample_size: this.sampleSize,
      source: this.source,
    }).slice(1, -1);
    return this.#wireFields;
  }

  /** The point's /data JSON between `head` and `tail` (its series' metric name and peer group), kept for next time. */
  jsonWith(head: string, tail: string): string {
    const written = this.#written;
    if (written && written.head === head && written.tail === tail)
      return written.json;
    // Joined, not concatenated: a flat string, copied as it is into every answer that sends the point.
    const json = [head, this.wireFields, tail].join('');
    this.#written = { head, tail, json };
    return json;
  }
}

/** A point as the cache stores it: the domain point, its month written `YYYY-MM-01`. */
interface StoredPoint {
  readonly period: string;
  readonly value: number;
  readonly percentiles: Percentiles | null;
  readonly sampleSize: number | null;
  readonly source: SourceName;
  /** Only on a point whose sample size counts a whole population (Census). */
  readonly population?: true;
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
      ...(p.population ? { population: true as const } : {}),
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
        typeof p.p10 === 'number' &&
        typeof p.p25 === 'number' &&
        typeof p.p50 === 'number' &&
        typeof p.p75 === 'number' &&
        typeof p.p90 === 'number'))
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
    points: stored.points.map((p: StoredPoint): BenchmarkPoint => {
      const month = monthFromIsoDate(p.period);
      return p.peerGroup || p.population
        ? {
            month,
            value: p.value,
            percentiles: p.percentiles,
            sampleSize: p.sampleSize,
            source: p.source,
            ...(p.population === true ? { population: true as const } : {}),
            ...(p.peerGroup ? { peerGroup: p.peerGroup } : {}),
          }
        : new CachedPoint(
            month,
            p.value,
            p.percentiles,
            p.sampleSize,
            p.source,
          );
    }),
    metadata: stored.metadata,
    warnings: [],
    notes: stored.notes,
  };
}

import type { BenchmarkSeries } from '../../domain/benchmark';
import { CachedPoint } from '../year-block.codec';
import {
  toDataPointResponse,
  toSeriesResponse,
} from './benchmark-series.response.dto';

/** The JSON around a cached point's fields in a series: its metric name before, its own peer group after. */
interface PointContext {
  readonly head: string;
  readonly tail: string;
}

/**
 * The same strings for the same cell every time, so a point knows its context at a pointer comparison: by metric,
 * company size and region, one per metric and cell of the catalog (bounded).
 */
const contexts = new Map<string, Map<string, Map<string, PointContext>>>();

function contextOf(
  s: Pick<BenchmarkSeries, 'metricName' | 'companySize' | 'region'>,
): PointContext {
  let bySize = contexts.get(s.metricName);
  if (!bySize)
    contexts.set(
      s.metricName,
      (bySize = new Map<string, Map<string, PointContext>>()),
    );
  let byRegion = bySize.get(s.companySize);
  if (!byRegion)
    bySize.set(s.companySize, (byRegion = new Map<string, PointContext>()));
  let context = byRegion.get(s.region);
  if (!context) {
    const own = {
      company_size: s.companySize,
      region: s.region,
      fallback: false,
    };
    context = {
      head: `{"metric_name":${JSON.stringify(s.metricName)},`,
      tail: `,"peer_group":${JSON.stringify(own)}}`,
    };
    byRegion.set(s.region, context);
  }
  return context;
}

/** The JSON placeholder of the points in a series written without them: the first place this key appears. */
const NO_POINTS = '"data_points":[]';

/**
 * The /data answer: `JSON.stringify(series.map(toSeriesResponse))`, character for character, except that a point
 * read from the cache brings its JSON (CachedPoint.jsonWith) instead of being built and serialized again (a trick
 * that pays: BENCHMARKS.md, redesign).
 */
export function seriesResponseJson(series: readonly BenchmarkSeries[]): string {
  const parts = series.map((s) => {
    // data_points comes before metadata and warnings, and the strings before it have their quotes escaped, so the
    // first `"data_points":[]` is the key.
    const shell = JSON.stringify(toSeriesResponse({ ...s, points: [] }));
    const at = shell.indexOf(NO_POINTS) + NO_POINTS.length - 1;
    const { head, tail } = contextOf(s);
    const points = s.points.map((p) =>
      p instanceof CachedPoint
        ? p.jsonWith(head, tail)
        : JSON.stringify(toDataPointResponse(s.metricName, p, s)),
    );
    return `${shell.slice(0, at)}${points.join(',')}${shell.slice(at)}`;
  });
  // Joined, so the answer is one flat string when it is written to the socket.
  return ['[', parts.join(','), ']'].join('');
}

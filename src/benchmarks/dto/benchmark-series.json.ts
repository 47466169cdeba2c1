import type { BenchmarkSeries } from '../../domain/benchmark';
import { CachedPoint } from '../year-block.codec';
import {
  toDataPointResponse,
  toPeerGroupUsed,
  toSeriesResponse,
} from './benchmark-series.response.dto';

/** The JSON placeholder of the points in a series written without them: the first place this key appears. */
const NO_POINTS = '"data_points":[]';

/**
 * The /data answer: `JSON.stringify(series.map(toSeriesResponse))`, character for character, except that a point
 * read from the cache brings its fields' JSON (CachedPoint.wireFields) instead of being built and serialized again
 * (see BENCHMARKS.md).
 */
export function seriesResponseJson(series: readonly BenchmarkSeries[]): string {
  const parts = series.map((s) => {
    // data_points comes before metadata and warnings, and the strings before it have their quotes escaped, so the
    // first `"data_points":[]` is the key.
    const shell = JSON.stringify(toSeriesResponse({ ...s, points: [] }));
    const at = shell.indexOf(NO_POINTS) + NO_POINTS.length - 1;
    const head = `{"metric_name":${JSON.stringify(s.metricName)},`;
    let tail: string | undefined;
    const points = s.points.map((p) => {
      if (!(p instanceof CachedPoint))
        return JSON.stringify(toDataPointResponse(s.metricName, p, s));
      tail ??= `,"peer_group":${JSON.stringify(toPeerGroupUsed(p, s))}}`;
      return head + p.wireFields + tail;
    });
    return `${shell.slice(0, at)}${points.join(',')}${shell.slice(at)}`;
  });
  return `[${parts.join(',')}]`;
}

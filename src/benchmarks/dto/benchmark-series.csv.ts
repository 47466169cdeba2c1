import { toCsv } from '../../common/csv/csv';
import type { BenchmarkSeriesDto } from './benchmark-series.response.dto';

export const DATA_CSV_HEADER = [
  'metric_name',
  'industry',
  'company_size',
  'region',
  'unit',
  'direction',
  'period',
  'value',
  'percentile_10',
  'percentile_25',
  'percentile_50',
  'percentile_75',
  'percentile_90',
  'sample_size',
  'source',
  'peer_company_size',
  'peer_region',
  'peer_fallback',
  'warnings',
] as const;

/** /data as CSV: one row per data point, with its series' fields; the series' warnings joined by " | ". */
export function seriesToCsv(series: readonly BenchmarkSeriesDto[]): string {
  return toCsv(
    DATA_CSV_HEADER,
    series.flatMap((s) =>
      s.data_points.map((p) => [
        p.metric_name,
        s.industry,
        s.company_size,
        s.region,
        s.unit,
        s.direction,
        p.period,
        p.value,
        p.percentile_10,
        p.percentile_25,
        p.percentile_50,
        p.percentile_75,
        p.percentile_90,
        p.sample_size,
        p.source,
        p.peer_group.company_size,
        p.peer_group.region,
        p.peer_group.fallback,
        s.warnings.join(' | '),
      ]),
    ),
  );
}

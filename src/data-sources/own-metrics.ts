import type {
  BenchmarkSeries,
  PeerGroup,
  SeriesQuery,
} from '../domain/benchmark';
import { findMetric, type MetricDefinition } from '../domain/catalog';
import type { SourceName } from '../domain/enums';
import type { SyntheticDataSource } from './synthetic/synthetic-data-source';

/**
 * A real source's answer to a query: its own metrics (those the catalog gives `source`) from `own`, the others from
 * the synthetic generator, both asked at once, answered in the query's order.
 */
export async function ownAndSynthetic(
  query: SeriesQuery,
  source: SourceName,
  synthetic: SyntheticDataSource,
  own: (
    peers: PeerGroup,
    metrics: readonly MetricDefinition[],
  ) => Promise<BenchmarkSeries[]>,
): Promise<BenchmarkSeries[]> {
  const peers: PeerGroup = {
    industry: query.industry,
    companySize: query.companySize,
    region: query.region,
  };
  const mine = query.metrics
    .map((m) => findMetric(m)!)
    .filter((m) => m.source === source);
  const others = query.metrics.filter((m) => findMetric(m)?.source !== source);
  const [fromSynthetic, fromOwn] = await Promise.all([
    others.length > 0 ? synthetic.getSeries({ ...query, metrics: others }) : [],
    mine.length > 0 ? own(peers, mine) : [],
  ]);
  const byName = new Map(
    [...fromSynthetic, ...fromOwn].map((s) => [s.metricName, s]),
  );
  return query.metrics.map((name) => byName.get(name)!);
}

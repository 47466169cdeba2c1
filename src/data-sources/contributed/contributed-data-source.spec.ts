import type { BenchmarkSeries, SeriesQuery } from '../../domain/benchmark';
import { findIndustry } from '../../domain/catalog';
import { monthOf } from '../../domain/months';
import type { DataSource } from '../data-source.interface';
import {
  CONTRIBUTED_UNAVAILABLE,
  ContributedDataSource,
  contributedPoint,
  type PublishedCells,
  type PublishedCellValues,
} from './contributed-data-source';

const JAN = monthOf(2025, 1);
const FEB = monthOf(2025, 2);

const QUERY: SeriesQuery = {
  industry: 'retail',
  companySize: 'small',
  region: 'midwest',
  metrics: ['profit_margin', 'annual_wage_per_employee'],
  start: JAN,
  end: FEB,
};

function point(month: number, source: 'synthetic' | 'bls', value: number) {
  return {
    month,
    value,
    percentiles: {
      p10: value - 2,
      p25: value - 1,
      p50: value,
      p75: value + 1,
      p90: value + 2,
    },
    sampleSize: 300,
    source,
  };
}

/** The other source: a synthetic margin and a real BLS wage, both for January and February. */
const inner: DataSource = {
  name: 'synthetic',
  fingerprint: 'synthetic-v2.abc.seed-1',
  metricNames: () => ['profit_margin', 'annual_wage_per_employee'],
  getSeries: (query) =>
    Promise.resolve(
      query.metrics.map((metricName): BenchmarkSeries => ({
        industry: query.industry,
        companySize: query.companySize,
        region: query.region,
        metricName,
        unit: metricName === 'profit_margin' ? 'fraction' : 'usd',
        direction: 'higher_is_better',
        frequency: 'monthly',
        source: metricName === 'profit_margin' ? 'synthetic' : 'bls',
        points: [JAN, FEB].map((m) =>
          point(m, metricName === 'profit_margin' ? 'synthetic' : 'bls', 50),
        ),
        metadata: { history: 'modelled' },
        warnings: [],
      })),
    ),
};

const CELL: PublishedCellValues = {
  metric: 'profit_margin',
  period: '2025-02-01',
  n: 40,
  p10: -0.05,
  p25: 0.01,
  p50: 0.04,
  p75: 0.07,
  p90: 0.11,
};

function published(
  cells: PublishedCellValues[],
  current: number | null = 3,
): PublishedCells & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    asked,
    current: () =>
      Promise.resolve(
        current === null
          ? undefined
          : {
              publicationId: current,
              publishedAt: new Date('2025-03-01T10:00:00Z'),
            },
      ),
    cells: (...args) => {
      asked.push(args);
      return Promise.resolve(cells);
    },
  };
}

describe('ContributedDataSource', () => {
  it('should replace the modelled point of a published cell, never a real one, and name the publication', async () => {
    const cells = published([
      CELL,
      { ...CELL, metric: 'annual_wage_per_employee' },
    ]);
    const source = new ContributedDataSource('contributed', inner, cells);
    await source.refresh();
    const [margin, wage] = await source.getSeries(QUERY);
    expect(margin.points[0].source).toBe('synthetic');
    expect(margin.points[1]).toEqual({
      month: FEB,
      value: 0.04,
      percentiles: { p10: -0.05, p25: 0.01, p50: 0.04, p75: 0.07, p90: 0.11 },
      sampleSize: 40,
      source: 'user_contributed',
    });
    expect(margin.source).toBe('mixed');
    expect(margin.metadata.contributed).toMatchObject({
      publication_id: 3,
      published_at: '2025-03-01T10:00:00.000Z',
    });
    expect(wage.points.map((p) => p.source)).toEqual(['bls', 'bls']);
    expect(wage.metadata.contributed).toBeUndefined();
    expect(cells.asked).toEqual([
      [3, QUERY, QUERY.metrics, '2025-01-01', '2025-02-01'],
    ]);
  });

  it('should put the current publication in its fingerprint, so a new one is never read from an older cache entry', async () => {
    const state: { current?: number } = {};
    const cells: PublishedCells = {
      current: () =>
        Promise.resolve(
          state.current === undefined
            ? undefined
            : { publicationId: state.current, publishedAt: new Date() },
        ),
      cells: () => Promise.resolve([]),
    };
    const source = new ContributedDataSource('blended', inner, cells);
    await source.refresh();
    expect(source.fingerprint).toBe('synthetic-v2.abc.seed-1+contributed.none');
    state.current = 7;
    await source.refresh();
    expect(source.fingerprint).toBe('synthetic-v2.abc.seed-1+contributed.7');
  });

  it('should ask nothing before a publication, and nothing for seasonally adjusted figures', async () => {
    const none = published([CELL], null);
    const before = new ContributedDataSource('contributed', inner, none);
    await before.refresh();
    expect((await before.getSeries(QUERY))[0].points[1].source).toBe(
      'synthetic',
    );
    expect(none.asked).toHaveLength(0);
    const some = published([CELL]);
    const adjusted = new ContributedDataSource('contributed', inner, some);
    await adjusted.refresh();
    await adjusted.getSeries({ ...QUERY, seasonallyAdjusted: true });
    expect(some.asked).toHaveLength(0);
  });

  it('should keep the last publication known when the database fails, and answer modelled numbers with a warning when cells cannot be read', async () => {
    let failing = false;
    const cells: PublishedCells = {
      current: () =>
        failing
          ? Promise.reject(new Error('down'))
          : Promise.resolve({ publicationId: 4, publishedAt: new Date() }),
      cells: () =>
        failing ? Promise.reject(new Error('down')) : Promise.resolve([CELL]),
    };
    const source = new ContributedDataSource('contributed', inner, cells);
    await source.refresh();
    failing = true;
    await source.refresh();
    expect(source.fingerprint).toContain('+contributed.4');
    const [margin] = await source.getSeries(QUERY);
    expect(margin.points[1].source).toBe('synthetic');
    expect(margin.warnings).toEqual([CONTRIBUTED_UNAVAILABLE]);
  });

  it('should serve the metrics of the source it wraps', () => {
    const source = new ContributedDataSource(
      'contributed',
      inner,
      published([]),
    );
    expect(source.metricNames(findIndustry('retail')!)).toEqual(
      inner.metricNames(findIndustry('retail')!),
    );
  });
});

describe('contributedPoint', () => {
  it('should keep tied percentiles strictly increasing by the unit precision', () => {
    const tied = contributedPoint(
      { ...CELL, p10: 0.02, p25: 0.02, p50: 0.02, p75: 0.05, p90: 0.05 },
      'fraction',
    );
    expect(tied.percentiles).toEqual({
      p10: 0.02,
      p25: 0.0201,
      p50: 0.0202,
      p75: 0.05,
      p90: 0.0501,
    });
    expect(tied.value).toBe(0.0202);
  });
});

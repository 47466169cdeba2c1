import { Logger } from '@nestjs/common';
import type { BenchmarkSeries, SeriesQuery } from '../domain/benchmark';
import {
  BLS_METRIC_NAMES,
  CENSUS_METRIC_NAMES,
  findIndustry,
} from '../domain/catalog';
import { monthOf } from '../domain/months';
import { BlendedDataSource } from './blended-data-source';
import type { DataSource } from './data-source.interface';
import { SyntheticDataSource } from './synthetic/synthetic-data-source';

/** A real source's stand-in that records which metrics it was asked for, and answers with synthetic series. */
class RecordingPart implements DataSource {
  readonly name = 'blended' as const;
  readonly asked: string[][] = [];
  inits = 0;
  constructor(
    readonly fingerprint: string,
    private readonly inner = new SyntheticDataSource(3),
  ) {}
  metricNames(): readonly string[] {
    return [];
  }
  onModuleInit(): void {
    this.inits++;
  }
  getSeries(query: SeriesQuery): Promise<BenchmarkSeries[]> {
    this.asked.push([...query.metrics]);
    return this.inner.getSeries(query);
  }
}

const retail = findIndustry('retail')!;

describe('BlendedDataSource', () => {
  afterEach(() => jest.restoreAllMocks());

  it('should send each metric to its own source, in one call per source, and answer in request order', async () => {
    const bls = new RecordingPart('bls');
    const census = new RecordingPart('census');
    const blended = new BlendedDataSource(
      new SyntheticDataSource(3),
      bls,
      census,
    );
    const metrics = [
      'receipts_per_employee',
      'profit_margin',
      'average_annual_pay',
      'payroll_to_receipts',
    ];
    const series = await blended.getSeries({
      industry: 'retail',
      companySize: 'small',
      region: 'west',
      metrics,
      start: monthOf(2022, 1),
      end: monthOf(2022, 12),
    });
    expect(series.map((s) => s.metricName)).toEqual(metrics);
    expect(census.asked).toEqual([
      ['receipts_per_employee', 'payroll_to_receipts'],
    ]);
    expect(bls.asked).toEqual([['average_annual_pay']]);
    expect(blended.metricNames(retail)).toEqual([
      ...retail.metrics,
      ...BLS_METRIC_NAMES,
      ...CENSUS_METRIC_NAMES,
    ]);
  });

  it('should offer no Census metric without a key, and say so in the log once', () => {
    const warn = jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation(() => undefined);
    const bls = new RecordingPart('bls');
    const blended = new BlendedDataSource(
      new SyntheticDataSource(3),
      bls,
      null,
    );
    blended.onModuleInit();
    expect(bls.inits).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(
      /^CENSUS_API_KEY is not set: the Census metrics \(receipts_per_employee, payroll_per_employee, payroll_to_receipts\) are not served/,
    );
    expect(blended.metricNames(retail)).toEqual([
      ...retail.metrics,
      ...BLS_METRIC_NAMES,
    ]);
    // The source is not told twice by a second look at its metrics.
    blended.metricNames(retail);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

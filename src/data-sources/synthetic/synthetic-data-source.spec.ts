import { INDUSTRIES } from '../../domain/catalog';
import { monthOf } from '../../domain/months';
import { describeDataSourceContract } from '../data-source.contract';
import {
  CALIBRATION,
  calibrationDigest,
  SyntheticDataSource,
  SyntheticMetricUnsupportedError,
} from './synthetic-data-source';

describe('SyntheticDataSource', () => {
  for (const industry of INDUSTRIES) {
    describeDataSourceContract(
      `SyntheticDataSource ${industry.key}`,
      () => new SyntheticDataSource(7),
      {
        industry: industry.key,
        metrics: [...industry.metrics],
      },
    );
  }

  describe('getSeries', () => {
    it('should serve every month of the range', async () => {
      const series = await new SyntheticDataSource(7).getSeries({
        industry: 'retail',
        companySize: 'small',
        region: 'west',
        metrics: ['profit_margin'],
        start: monthOf(2020, 1),
        end: monthOf(2021, 12),
      });
      expect(series[0].points).toHaveLength(24);
    });

    it('should refuse a metric it has no calibration for rather than invent one', async () => {
      const source = new SyntheticDataSource(7);
      await expect(
        source.getSeries({
          industry: 'retail',
          companySize: 'medium',
          region: 'national',
          metrics: ['occupancy_rate'],
          start: monthOf(2024, 1),
          end: monthOf(2024, 1),
        }),
      ).rejects.toBeInstanceOf(SyntheticMetricUnsupportedError);
    });
  });

  it('should put the seed in its fingerprint, so differently seeded instances never share cache entries', () => {
    expect(new SyntheticDataSource(1).fingerprint).not.toBe(
      new SyntheticDataSource(2).fingerprint,
    );
  });

  it('should change its fingerprint with any change of calibration data, such as a refreshed series', () => {
    const refreshed = {
      ...CALIBRATION,
      LEVEL_INDICES: {
        ...CALIBRATION.LEVEL_INDICES,
        RSAFS: {
          ...CALIBRATION.LEVEL_INDICES.RSAFS,
          values: [...CALIBRATION.LEVEL_INDICES.RSAFS.values, 740_000],
        },
      },
    };
    expect(calibrationDigest(refreshed)).not.toBe(
      calibrationDigest(CALIBRATION),
    );
    expect(new SyntheticDataSource(1).fingerprint).toBe(
      `synthetic-v2.${calibrationDigest(CALIBRATION)}.seed-1`,
    );
  });
});

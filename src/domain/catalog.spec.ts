import {
  findIndustry,
  findMetric,
  INDUSTRIES,
  INDUSTRY_KEYS,
  industryMetrics,
  METRICS,
} from './catalog';

describe('catalog', () => {
  it('should list the ten industries of the contract', () => {
    expect(INDUSTRY_KEYS).toEqual([
      'retail',
      'restaurant',
      'professional_services',
      'manufacturing',
      'healthcare',
      'technology',
      'hospitality',
      'construction',
      'education',
      'real_estate',
    ]);
  });

  it.each(INDUSTRIES.map((i) => [i.key, i]))(
    'should give %s 5-6 defined, distinct metrics',
    (_key, industry) => {
      expect(industry.metrics.length).toBeGreaterThanOrEqual(5);
      expect(industry.metrics.length).toBeLessThanOrEqual(6);
      expect(new Set(industry.metrics).size).toBe(industry.metrics.length);
      expect(industryMetrics(industry).map((m) => m.name)).toEqual(
        industry.metrics,
      );
    },
  );

  it('should key every metric definition by its own name', () => {
    for (const [key, metric] of Object.entries(METRICS))
      expect(metric.name).toBe(key);
  });

  it('should include industry-specific metrics such as hospitality occupancy', () => {
    expect(findIndustry('hospitality')!.metrics).toContain('occupancy_rate');
  });

  it('should mark costs and collection times as lower is better', () => {
    for (const name of [
      'customer_acquisition_cost',
      'days_sales_outstanding',
      'prime_cost_ratio',
      'no_show_rate',
    ]) {
      expect(findMetric(name)!.direction).toBe('lower_is_better');
    }
    expect(findMetric('revenue_per_employee')!.direction).toBe(
      'higher_is_better',
    );
  });

  it('should find nothing for names inherited from Object.prototype', () => {
    for (const name of [
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
    ]) {
      expect(findMetric(name)).toBeUndefined();
      expect(findIndustry(name)).toBeUndefined();
    }
  });
});

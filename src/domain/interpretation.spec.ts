import { interpret, performancePercentile } from './interpretation';

describe('interpret', () => {
  it.each([
    [100, 'significantly_above'],
    [90, 'significantly_above'],
    [89.9, 'above_average'],
    [75, 'above_average'],
    [74.9, 'average'],
    [50, 'average'],
    [25, 'average'],
    [24.9, 'below_average'],
    [10, 'below_average'],
    [9.9, 'significantly_below'],
    [0, 'significantly_below'],
  ])('should rate performance percentile %p as %s', (performance, band) => {
    expect(interpret(performance)).toBe(band);
  });
});

describe('performancePercentile', () => {
  it('should be the rank itself when higher is better', () => {
    expect(performancePercentile(82.3, 'higher_is_better')).toBe(82.3);
  });

  it('should be 100 - rank when lower is better, without float noise', () => {
    expect(performancePercentile(82.3, 'lower_is_better')).toBe(17.7);
    expect(performancePercentile(0, 'lower_is_better')).toBe(100);
  });

  it('should make a low cost rank as above average', () => {
    expect(interpret(performancePercentile(20, 'lower_is_better'))).toBe(
      'above_average',
    );
    expect(interpret(performancePercentile(20, 'higher_is_better'))).toBe(
      'below_average',
    );
  });
});

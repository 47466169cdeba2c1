import { growth, rankChange } from './trajectory';

describe('growth', () => {
  it('should give the change as a fraction of the first value, to four decimals', () => {
    expect(growth(200, 250)).toBe(0.25);
    expect(growth(0.1, 0.087)).toBe(-0.13);
    expect(growth(150000, 190000)).toBe(0.2667);
  });

  it('should measure from the magnitude of a negative first value', () => {
    expect(growth(-0.02, 0.01)).toBe(1.5);
    expect(growth(-0.02, -0.04)).toBe(-1);
  });

  it('should be null from zero', () => {
    expect(growth(0, 5)).toBeNull();
  });
});

describe('rankChange', () => {
  it('should subtract the first rank from the last, to one decimal', () => {
    expect(rankChange(34.9, 41.2)).toBe(6.3);
    expect(rankChange(50, 40)).toBe(-10);
  });

  it('should be null without both ranks', () => {
    expect(rankChange(null, 40)).toBeNull();
    expect(rankChange(40, null)).toBeNull();
  });
});

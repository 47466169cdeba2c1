import { monthOf } from './months';
import {
  requestedRange,
  servedMonthProblem,
  spanProblem,
} from './served-months';

const LATEST = monthOf(2025, 2);
const FIELDS = { start: 'start_date', end: 'end_date' };

describe('servedMonthProblem', () => {
  it('should accept months from 2000-01 to the latest, bounds included', () => {
    expect(servedMonthProblem('period', monthOf(2000, 1), LATEST)).toBe(
      undefined,
    );
    expect(servedMonthProblem('period', LATEST, LATEST)).toBeUndefined();
  });

  it('should name the field as the caller gives it, and what is allowed', () => {
    expect(servedMonthProblem('period', monthOf(1999, 12), LATEST)).toBe(
      'period must be on or after 2000-01-01',
    );
    expect(
      servedMonthProblem('user_series.x[3].period', LATEST + 1, LATEST),
    ).toBe(
      'user_series.x[3].period must not be after 2025-02-01: benchmarks exist up to the last complete month',
    );
  });
});

describe('spanProblem', () => {
  it('should allow 120 months and refuse 121, saying the span', () => {
    expect(spanProblem('s', monthOf(2010, 1), monthOf(2019, 12))).toBe(
      undefined,
    );
    expect(
      spanProblem('a to b spans', monthOf(2010, 1), monthOf(2020, 1)),
    ).toBe(
      'a to b spans 121 months; at most 120 months are allowed per request',
    );
    expect(
      spanProblem('periods span', monthOf(2010, 1), monthOf(2020, 1), true),
    ).toBe(
      'periods span 121 months (2010-01-01 to 2020-01-01); at most 120 months are allowed per request',
    );
  });
});

describe('requestedRange', () => {
  it('should default to the 12 months ending with the latest', () => {
    expect(requestedRange({}, LATEST, FIELDS)).toEqual({
      start: monthOf(2024, 3),
      end: LATEST,
    });
  });

  it('should take 12 months from a start, cut at the latest', () => {
    expect(requestedRange({ start: monthOf(2020, 5) }, LATEST, FIELDS)).toEqual(
      { start: monthOf(2020, 5), end: monthOf(2021, 4) },
    );
    expect(requestedRange({ start: monthOf(2024, 9) }, LATEST, FIELDS)).toEqual(
      { start: monthOf(2024, 9), end: LATEST },
    );
  });

  it('should take 12 months up to an end', () => {
    expect(requestedRange({ end: monthOf(2010, 6) }, LATEST, FIELDS)).toEqual({
      start: monthOf(2009, 7),
      end: monthOf(2010, 6),
    });
  });

  it('should say the first problem, in the order start, end, order, span', () => {
    expect(
      requestedRange(
        { start: monthOf(1999, 1), end: LATEST + 5 },
        LATEST,
        FIELDS,
      ),
    ).toEqual({ problem: 'start_date must be on or after 2000-01-01' });
    expect(
      requestedRange(
        { start: monthOf(2020, 1), end: LATEST + 1 },
        LATEST,
        FIELDS,
      ).problem,
    ).toMatch(/^end_date must not be after 2025-02-01/);
    expect(
      requestedRange(
        { start: monthOf(2024, 12), end: monthOf(2024, 1) },
        LATEST,
        FIELDS,
      ),
    ).toEqual({
      problem:
        'end_date must not be before start_date; with end_date omitted it defaults to the last complete month, 2025-02-01',
    });
    expect(
      requestedRange(
        { start: monthOf(2000, 1), end: monthOf(2010, 1) },
        LATEST,
        FIELDS,
      ),
    ).toEqual({
      problem:
        'start_date to end_date spans 121 months; at most 120 months are allowed per request',
    });
  });
});

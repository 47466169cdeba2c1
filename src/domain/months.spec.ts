import {
  lastCompleteMonth,
  monthFromIsoDate,
  monthOf,
  monthOfYear,
  monthsBetween,
  monthToIsoDate,
  yearOfMonth,
} from './months';

describe('months', () => {
  describe('lastCompleteMonth', () => {
    it('should be the previous month', () => {
      expect(
        monthToIsoDate(lastCompleteMonth(new Date('2026-11-26T12:00:00Z'))),
      ).toBe('2026-10-01');
    });

    it('should cross into the previous year in January', () => {
      expect(
        monthToIsoDate(lastCompleteMonth(new Date('2025-01-01T00:00:00Z'))),
      ).toBe('2024-12-01');
    });

    it('should use UTC, not the local time zone', () => {
      // 23:30 on 31 March in UTC-5 is already April in UTC.
      expect(
        monthToIsoDate(
          lastCompleteMonth(new Date('2025-03-31T23:30:00-05:00')),
        ),
      ).toBe('2025-03-01');
    });
  });

  describe('monthFromIsoDate', () => {
    it('should map any day to its month', () => {
      expect(monthFromIsoDate('2024-02-29')).toBe(monthOf(2024, 2));
      expect(monthToIsoDate(monthFromIsoDate('2024-12-31'))).toBe('2024-12-01');
    });
  });

  describe('monthsBetween', () => {
    it('should list every month inclusive, oldest first, across a year boundary', () => {
      const months = monthsBetween(monthOf(2023, 11), monthOf(2024, 2)).map(
        monthToIsoDate,
      );
      expect(months).toEqual([
        '2023-11-01',
        '2023-12-01',
        '2024-01-01',
        '2024-02-01',
      ]);
    });
  });

  it('should split a month into year and month of year', () => {
    const m = monthOf(2024, 12);
    expect(yearOfMonth(m)).toBe(2024);
    expect(monthOfYear(m)).toBe(12);
  });
});

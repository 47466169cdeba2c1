import { getDaysInMonth } from 'date-fns';
import { daysInMonth, isIsoCalendarDate } from './date.validators';

describe('isIsoCalendarDate', () => {
  it.each([
    '2024-02-29',
    '2000-02-29',
    '2023-12-31',
    '2024-01-01',
    '1999-04-30',
    '0004-02-29',
  ])('should accept %s', (d) => {
    expect(isIsoCalendarDate(d)).toBe(true);
  });

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2024-02-30',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '2024-01-00',
    '2024-1-05',
    '24-01-05',
    '2024-01-05T00:00:00Z',
    '',
    20240105,
    null,
  ])('should refuse %p', (d) => {
    expect(isIsoCalendarDate(d)).toBe(false);
  });
});

describe('daysInMonth', () => {
  it('should agree with date-fns on every month from 1600 to 2400', () => {
    const disagreements: string[] = [];
    for (let year = 1600; year <= 2400; year++) {
      for (let month = 1; month <= 12; month++) {
        const firstOfMonth = new Date(2000, month - 1, 1);
        firstOfMonth.setFullYear(year);
        if (daysInMonth(year, month) !== getDaysInMonth(firstOfMonth))
          disagreements.push(`${year}-${month}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});

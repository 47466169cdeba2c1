import { prefersCsv } from './csv-negotiation';

describe('prefersCsv', () => {
  it.each([
    ['text/csv', true],
    ['text/csv; charset=utf-8', true],
    ['TEXT/CSV', true],
    ['text/csv, */*', true],
    ['text/*', true],
    ['application/json, text/csv;q=0.5', false],
    ['text/csv;q=0.5, application/json', false],
    ['application/json;q=0.5, text/csv', true],
    ['text/csv, application/json', false],
    ['text/csv;q=0', false],
    ['*/*', false],
    ['text/html', false],
    ['', false],
    [undefined, false],
  ])('should read %p as CSV: %p', (accept, expected) => {
    expect(prefersCsv(accept)).toBe(expected);
  });
});

import { csvCell, toCsv } from './csv';

describe('csvCell', () => {
  it('should leave plain text and numbers as they are', () => {
    expect(csvCell('revenue_per_employee')).toBe('revenue_per_employee');
    expect(csvCell(212892.41)).toBe('212892.41');
    expect(csvCell(-0.02)).toBe('-0.02');
    expect(csvCell(false)).toBe('false');
    expect(csvCell(null)).toBe('');
  });

  it('should quote commas, quotes and line breaks, doubling quotes (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('one\ntwo')).toBe('"one\ntwo"');
    expect(csvCell('one\r\ntwo')).toBe('"one\r\ntwo"');
  });

  it('should defuse text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(
      '"\'=HYPERLINK(""http://x"")"',
    );
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
  });
});

describe('toCsv', () => {
  it('should write a header row and one CRLF-terminated line per row', () => {
    expect(
      toCsv(
        ['metric_name', 'value', 'note'],
        [
          ['profit_margin', 0.04, null],
          ['x', 1, 'a, b'],
        ],
      ),
    ).toBe('metric_name,value,note\r\nprofit_margin,0.04,\r\nx,1,"a, b"\r\n');
  });
});

import fc from 'fast-check';
import {
  JSON_BODY_LIMITS,
  jsonShapeProblem,
  type JsonBodyLimits,
} from './json-shape';

/** Small limits, so that generated values cross them often. */
const SMALL: JsonBodyLimits = {
  maxDepth: 4,
  maxKeys: 3,
  maxKeyLength: 3,
  maxItems: 3,
  maxStringLength: 5,
  maxValues: 20,
};

/** The same limits, judged on the parsed value: whether any is broken. */
function breaks(value: unknown, limits: JsonBodyLimits): boolean {
  let values = 0;
  const visit = (v: unknown, depth: number): boolean => {
    values++;
    if (values > limits.maxValues) return true;
    if (typeof v === 'string') return v.length > limits.maxStringLength;
    if (typeof v !== 'object' || v === null) return false;
    if (depth > limits.maxDepth) return true;
    if (Array.isArray(v))
      return (
        v.length > limits.maxItems || v.some((item) => visit(item, depth + 1))
      );
    const keys = Object.keys(v);
    return (
      keys.length > limits.maxKeys ||
      keys.some((k) => k.length > limits.maxKeyLength) ||
      keys.some((k) => visit((v as Record<string, unknown>)[k], depth + 1))
    );
  };
  return visit(value, 1);
}

describe('jsonShapeProblem', () => {
  it('should refuse a text exactly when its parsed value breaks a limit, whatever the spacing and escapes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue({ maxDepth: 6 }),
          // any UTF-16 units: escapes of control characters, quotes, backslashes and lone surrogates
          fc.jsonValue({ maxDepth: 6, stringUnit: 'binary' }),
        ),
        fc.constantFrom(undefined, 2, '\t'),
        (value, space) => {
          const text = JSON.stringify(value, null, space);
          expect(jsonShapeProblem(text, SMALL) !== undefined).toBe(
            breaks(JSON.parse(text), SMALL),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('should count an escape as the one character it stands for', () => {
    const limits = { ...SMALL, maxStringLength: 2 };
    expect(jsonShapeProblem('["\\u00e9\\""]', limits)).toBeUndefined();
    expect(jsonShapeProblem('["\\u00e9\\"x"]', limits)).toContain(
      '[0] is 3 characters long',
    );
  });

  it('should name where the problem is', () => {
    expect(
      jsonShapeProblem(
        JSON.stringify({
          records: [{}, { values: { a: 1, b: 2, c: 3, d: 4 } }],
        }),
        { ...SMALL, maxKeyLength: 10 },
      ),
    ).toBe(
      'records[1].values has more than 3 keys: an object in a request body may have at most 3',
    );
    expect(
      jsonShapeProblem(JSON.stringify({ a: { 'x y': 'toolong' } }), SMALL),
    ).toBe(
      'a["x y"] is 7 characters long: a string in a request body may have at most 5',
    );
    expect(jsonShapeProblem(JSON.stringify({ a: [1, 2, 3, 4] }), SMALL)).toBe(
      'a has more than 3 items: an array in a request body may have at most 3',
    );
    expect(jsonShapeProblem(JSON.stringify({ abcd: 1 }), SMALL)).toBe(
      'The request body has a key of 4 characters ("abcd"): a key in a request body may have at most 3',
    );
    expect(jsonShapeProblem('[[[[[0]]]]]', SMALL)).toBe(
      'The request body is nested more than 4 levels deep',
    );
  });

  it('should take the largest body the API itself sends: a batch of 1,000 records of 50 metrics', () => {
    const record = {
      business_ref: 'acct-000123',
      period: '2024-12-01',
      industry: 'retail',
      company_size: 'small',
      region: 'midwest',
      values: Object.fromEntries(
        Array.from({ length: 50 }, (_, i) => [`metric_${i}`, i / 7]),
      ),
    };
    const batch = { records: Array.from({ length: 1000 }, () => record) };
    expect(jsonShapeProblem(JSON.stringify(batch))).toBeUndefined();
    expect(
      jsonShapeProblem(JSON.stringify({ name: 'n'.repeat(200) })),
    ).toBeUndefined();
  });

  it('should stop at the first key over the limit without reading the rest', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `"k${i}":0`);
    const problem = jsonShapeProblem(`{${keys.join(',')}}`);
    expect(problem).toBe(
      `The request body has more than ${JSON_BODY_LIMITS.maxKeys} keys: an object in a request body may have at most ${JSON_BODY_LIMITS.maxKeys}`,
    );
  });

  it('should leave text that is not JSON to JSON.parse', () => {
    for (const text of ['{', '{"a":', '"unterminated', 'nul', '}{', '[1,,2]'])
      expect(jsonShapeProblem(text)).toBeUndefined();
  });
});

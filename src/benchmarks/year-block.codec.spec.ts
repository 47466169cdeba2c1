import { monthOf } from '../domain/months';
import {
  decodeYearBlock,
  encodeYearBlock,
  type YearBlock,
} from './year-block.codec';

const block: YearBlock = {
  points: [
    {
      month: monthOf(2024, 1),
      value: 0.05,
      percentiles: { p10: -0.01, p25: 0.02, p50: 0.05, p75: 0.08, p90: 0.11 },
      sampleSize: 120,
      source: 'synthetic',
    },
    {
      month: monthOf(2024, 2),
      value: 61000,
      percentiles: null,
      sampleSize: null,
      source: 'bls',
      peerGroup: { companySize: 'large', region: 'national', fallback: true },
    },
  ],
  metadata: { frequency: 'monthly', seed: 1 },
  warnings: [],
  notes: ['a note about 2024'],
};

describe('year-block codec', () => {
  describe('encodeYearBlock', () => {
    it('should write months as first days and keep peer groups only where a point fell back', () => {
      const stored = encodeYearBlock(block);
      expect(stored.points.map((p) => p.period)).toEqual([
        '2024-01-01',
        '2024-02-01',
      ]);
      expect(stored.points[0]).not.toHaveProperty('peerGroup');
      expect(stored.points[1].peerGroup).toEqual(block.points[1].peerGroup);
      expect(stored).not.toHaveProperty('warnings');
    });
  });

  describe('decodeYearBlock', () => {
    it('should read back what it wrote, through a JSON round trip (as Redis gives it)', () => {
      const stored = JSON.parse(
        JSON.stringify(encodeYearBlock(block)),
      ) as unknown;
      expect(decodeYearBlock(stored)).toEqual(block);
    });

    it.each([
      ['not an object', 'v3'],
      ['no points', { metadata: {}, notes: [] }],
      ['a point without a period', { points: [{}], metadata: {}, notes: [] }],
      [
        'a point with a malformed period',
        {
          points: [{ ...encodeYearBlock(block).points[0], period: '2024-01' }],
          metadata: {},
          notes: [],
        },
      ],
      [
        'a point with an unknown source',
        {
          points: [{ ...encodeYearBlock(block).points[0], source: 'guess' }],
          metadata: {},
          notes: [],
        },
      ],
      [
        'incomplete percentiles',
        {
          points: [
            { ...encodeYearBlock(block).points[0], percentiles: { p10: 1 } },
          ],
          metadata: {},
          notes: [],
        },
      ],
      ['notes that are not text', { points: [], metadata: {}, notes: [1] }],
      ["the wire's shape", { data_points: [], metadata: {}, warnings: [] }],
    ])('should take %s as a miss (undefined), not crash', (_what, stored) => {
      expect(decodeYearBlock(stored)).toBeUndefined();
    });
  });
});

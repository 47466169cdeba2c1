import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

/** 32-bit FNV-1a over the UTF-16 code units of `text`, finished with murmur3's avalanche step. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform draws in [0, 1) and roughly standard-normal draws, from one seeded stream. */
export interface RandomStream {
  uniform(): number;
  /** Irwin-Hall approximation of N(0, 1): bounded to +-3, which keeps generated values within their bands. */
  normal(): number;
}

/**
 * A random stream determined only by `keys`: the same keys give the same draws in every process, whatever else was
 * drawn before. Callers pass every coordinate the numbers depend on (seed, industry, size, region, metric, month).
 */
export function streamFor(
  ...keys: ReadonlyArray<string | number>
): RandomStream {
  const rng = xoroshiro128plus(hash32(keys.join('|')));
  // The first outputs of xoroshiro seeded from nearby integers are correlated; skip them.
  for (let i = 0; i < 4; i++) uniformFloat64(rng);
  const uniform = (): number => uniformFloat64(rng);
  return {
    uniform,
    normal: () => {
      let sum = 0;
      for (let i = 0; i < 12; i++) sum += uniform();
      return Math.max(-3, Math.min(3, sum - 6));
    },
  };
}

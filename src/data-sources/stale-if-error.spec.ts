import { MemoryCacheStore } from '../cache/memory-cache-store';
import { ReadThroughCache } from '../cache/read-through';
import {
  describeStaleness,
  readThroughKept,
  type KeptOptions,
} from './stale-if-error';

class UpstreamDown extends Error {}

describe('readThroughKept', () => {
  let clock: number;
  let cache: ReadThroughCache;
  let calls: string[][];
  let failWith: Error | undefined;

  const options: KeptOptions<number> = {
    ttlSeconds: 60,
    staleIfErrorSeconds: 3600,
    decode: (v) => (typeof v === 'number' ? v : undefined),
    isUpstreamFailure: (e) => e instanceof UpstreamDown,
    describe: (e) => (e as Error).message,
    now: () => clock,
  };
  const read = (keys: string[], value = 1) =>
    readThroughKept(
      cache,
      keys,
      (missing) => {
        calls.push([...missing]);
        if (failWith) return Promise.reject(failWith);
        return Promise.resolve(
          new Map(missing.map((k) => [k, { value, store: true }])),
        );
      },
      options,
    );

  beforeEach(() => {
    clock = Date.parse('2026-11-30T12:00:00Z');
    cache = new ReadThroughCache(new MemoryCacheStore(100));
    calls = [];
    failWith = undefined;
  });

  it('should serve a fresh answer from the cache within its TTL, and ask again after it', async () => {
    await read(['a']);
    clock += 59_000;
    expect((await read(['a'], 2)).get('a')).toBe(1);
    clock += 2_000;
    const again = await read(['a'], 2);
    expect(again.get('a')).toBe(2);
    expect(again.stale).toBeUndefined();
    expect(calls).toEqual([['a'], ['a']]);
  });

  it('should serve the kept answers, said stale with the oldest fetch, when the upstream fails after the TTL', async () => {
    const first = clock;
    await read(['a']);
    clock += 30_000;
    await read(['b']);
    clock = first + 120_000; // past both TTLs, within the hour they are kept
    failWith = new UpstreamDown('HTTP 503');
    const kept = await read(['a', 'b']);
    expect([kept.get('a'), kept.get('b')]).toEqual([1, 1]);
    expect(kept.stale).toEqual({ fetchedAt: first, reason: 'HTTP 503' });
    // Kept copies are not stored again as fresh: once the upstream is back, it is asked.
    failWith = undefined;
    const back = await read(['a', 'b'], 3);
    expect(back.get('a')).toBe(3);
    expect(back.stale).toBeUndefined();
  });

  it('should let the failure through when a key has no kept copy, or when the error is a bug', async () => {
    await read(['a']);
    clock += 120_000;
    failWith = new UpstreamDown('HTTP 503');
    await expect(read(['a', 'c'])).rejects.toThrow('HTTP 503');
    failWith = new TypeError('a bug');
    await expect(read(['a'])).rejects.toThrow('a bug');
  });

  it('should keep nothing past TTL + STALE_IF_ERROR_SECONDS', async () => {
    await read(['a']);
    clock += (60 + 3600 + 1) * 1000;
    failWith = new UpstreamDown('HTTP 503');
    await expect(read(['a'])).rejects.toThrow('HTTP 503');
  });
});

describe('describeStaleness', () => {
  it('should say why, when the answer was fetched and how old it is', () => {
    expect(
      describeStaleness(
        'Census',
        {
          fetchedAt: Date.parse('2026-11-30T09:00:00Z'),
          reason: 'the Census API is unavailable: HTTP 500',
        },
        Date.parse('2026-12-03T10:00:00Z'),
      ),
    ).toBe(
      'the Census API is unavailable: HTTP 500; serving the last Census answer, fetched 2026-11-30 (3 days ago) and kept for such failures',
    );
  });
});

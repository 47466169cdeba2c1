import type { CacheStore } from './cache-store.interface';

/**
 * The behaviour every {@link CacheStore} implementation must have. `create` gives an empty store; `advance`
 * moves the store's clock forward (waits in real time where the store cannot be given a clock).
 */
export function describeCacheStoreContract(
  name: string,
  create: () => Promise<CacheStore> | CacheStore,
  advance: (store: CacheStore, ms: number) => Promise<void> | void,
): void {
  describe(`${name} (CacheStore contract)`, () => {
    it('should return what was set, as JSON-equal data, in key order', async () => {
      const store = await create();
      const value: unknown = {
        data_points: [{ period: '2024-01-01', percentile_10: 1.5 }],
        metadata: { note: 'x' },
      };
      await store.setMany(
        [
          ['v1:a', value],
          ['v1:b', [1, 2]],
        ],
        60,
      );
      expect(await store.getMany(['v1:b', 'v1:absent', 'v1:a'])).toEqual([
        [1, 2],
        undefined,
        value,
      ]);
    });

    it('should count hits and misses per key', async () => {
      const store = await create();
      const before = store.stats();
      await store.setMany([['v1:a', 1]], 60);
      await store.getMany(['v1:a', 'v1:b', 'v1:c']);
      const after = store.stats();
      expect(after.hits - before.hits).toBe(1);
      expect(after.misses - before.misses).toBe(2);
      expect(after.errors).toBe(before.errors);
    });

    it('should answer an empty lookup without error', async () => {
      const store = await create();
      expect(await store.getMany([])).toEqual([]);
      await store.setMany([], 60);
    });

    it('should replace a value set twice', async () => {
      const store = await create();
      await store.setMany([['v1:a', 1]], 60);
      await store.setMany([['v1:a', 2]], 60);
      expect(await store.getMany(['v1:a'])).toEqual([2]);
    });

    it('should forget a value after its time to live', async () => {
      const store = await create();
      await store.setMany([['v1:short', 'x']], 1);
      await store.setMany([['v1:long', 'y']], 60);
      await advance(store, 1100);
      expect(await store.getMany(['v1:short', 'v1:long'])).toEqual([
        undefined,
        'y',
      ]);
    });

    it('should clear every entry it holds and say how many', async () => {
      const store = await create();
      await store.setMany(
        [
          ['v1:a', 1],
          ['v1:b', 2],
        ],
        60,
      );
      expect(await store.clear()).toBe(2);
      expect(await store.getMany(['v1:a', 'v1:b'])).toEqual([
        undefined,
        undefined,
      ]);
      expect(await store.clear()).toBe(0);
    });

    it('should count up a shared counter that expires', async () => {
      const store = await create();
      expect(await store.increment('v1:counter', 1, 1)).toBe(1);
      expect(await store.increment('v1:counter', 5, 1)).toBe(6);
      await advance(store, 1100);
      expect(await store.increment('v1:counter', 1, 1)).toBe(1);
    });

    it('should keep counters through a clear and through many entries', async () => {
      const store = await create();
      await store.increment('v1:kept', 3, 60);
      await store.setMany(
        Array.from({ length: 300 }, (_, i) => [`v1:filler${i}`, i] as const),
        60,
      );
      await store.clear();
      expect(await store.increment('v1:kept', 1, 60)).toBe(4);
    });

    it('should report itself up while it works', async () => {
      const store = await create();
      expect(store.status()).toBe('up');
    });
  });
}

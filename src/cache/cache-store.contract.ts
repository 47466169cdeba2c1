import type { CacheStore } from './cache-store.interface';

/**
 * The behaviour every {@link CacheStore} implementation must have. `create` gives an empty store; `advance`
 * moves the store's clock forward (real time where the store cannot be given a clock).
 */
export function describeCacheStoreContract(
  name: string,
  create: () => Promise<CacheStore> | CacheStore,
  advance: (store: CacheStore, ms: number) => Promise<void> | void,
): void {
  describe(`${name} (CacheStore contract)`, () => {
    it('should return what was set, as JSON-equal data', async () => {
      const store = await create();
      const value = {
        points: [{ month: 1, percentiles: { p10: 1, p50: 2 } }],
        metadata: { note: 'x' },
      };
      await store.set('v1:a', value, 60);
      expect(await store.get('v1:a')).toEqual(value);
    });

    it('should return undefined for an absent key', async () => {
      const store = await create();
      expect(await store.get('v1:absent')).toBeUndefined();
    });

    it('should replace a value set twice', async () => {
      const store = await create();
      await store.set('v1:a', 1, 60);
      await store.set('v1:a', 2, 60);
      expect(await store.get('v1:a')).toBe(2);
    });

    it('should forget a value after its time to live', async () => {
      const store = await create();
      await store.set('v1:short', 'x', 1);
      await advance(store, 1100);
      expect(await store.get('v1:short')).toBeUndefined();
    });

    it('should clear every entry and say how many', async () => {
      const store = await create();
      await store.set('v1:a', 1, 60);
      await store.set('v1:b', 2, 60);
      expect(await store.clear()).toBe(2);
      expect(await store.get('v1:a')).toBeUndefined();
      expect(await store.get('v1:b')).toBeUndefined();
    });
  });
}

import { describeCacheStoreContract } from './cache-store.contract';
import { MemoryCacheStore } from './memory-cache-store';

/** A store on a hand-moved clock. */
function storeWithClock(maxEntries = 100): {
  store: MemoryCacheStore;
  tick: (ms: number) => void;
} {
  let now = 1_000_000;
  return {
    store: new MemoryCacheStore(maxEntries, () => now),
    tick: (ms) => (now += ms),
  };
}

const clocks = new WeakMap<object, (ms: number) => void>();

describeCacheStoreContract(
  'MemoryCacheStore',
  () => {
    const { store, tick } = storeWithClock();
    clocks.set(store, tick);
    return store;
  },
  (store, ms) => clocks.get(store)!(ms),
);

describe('MemoryCacheStore', () => {
  describe('set', () => {
    it('should evict the least recently used entry beyond the maximum', async () => {
      const { store } = storeWithClock(2);
      await store.set('a', 1, 60);
      await store.set('b', 2, 60);
      await store.get('a'); // a is now more recent than b
      await store.set('c', 3, 60);
      expect(store.size).toBe(2);
      expect(await store.get('b')).toBeUndefined();
      expect(await store.get('a')).toBe(1);
      expect(await store.get('c')).toBe(3);
    });

    it('should never hold more than the maximum, however many keys are written', async () => {
      const { store } = storeWithClock(50);
      for (let i = 0; i < 1000; i++) await store.set(`k${i}`, i, 60);
      expect(store.size).toBe(50);
      expect(await store.get('k999')).toBe(999);
      expect(await store.get('k0')).toBeUndefined();
    });
  });

  describe('get', () => {
    it('should keep an entry until its time to live has passed', async () => {
      const { store, tick } = storeWithClock();
      await store.set('a', 1, 10);
      tick(9_999);
      expect(await store.get('a')).toBe(1);
      tick(1);
      expect(await store.get('a')).toBeUndefined();
      expect(store.size).toBe(0);
    });
  });
});

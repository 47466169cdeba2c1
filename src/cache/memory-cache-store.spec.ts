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
  describe('getMany', () => {
    it('should answer in a later event-loop turn, like a network store, not in the same one', async () => {
      const { store } = storeWithClock(10);
      await store.setMany([['a', 1]], 60);
      const events: string[] = [];
      setImmediate(() => events.push('turn queued before the read'));
      const read = store.getMany(['a']).then((values) => {
        events.push('read answered');
        return values;
      });
      expect(await read).toEqual([1]);
      expect(events).toEqual(['turn queued before the read', 'read answered']);
    });
  });

  describe('setMany', () => {
    it('should evict the least recently used entry beyond the maximum', async () => {
      const { store } = storeWithClock(2);
      await store.setMany([['a', 1]], 60);
      await store.setMany([['b', 2]], 60);
      await store.getMany(['a']); // a is now more recent than b
      await store.setMany([['c', 3]], 60);
      expect(store.size).toBe(2);
      expect(await store.getMany(['b', 'a', 'c'])).toEqual([undefined, 1, 3]);
    });

    it('should never hold more than the maximum, however many keys are written', async () => {
      const { store } = storeWithClock(50);
      for (let i = 0; i < 1000; i++) await store.setMany([[`k${i}`, i]], 60);
      await store.setMany(
        Array.from({ length: 500 }, (_, i) => [`batch${i}`, i] as const),
        60,
      );
      expect(store.size).toBe(50);
      expect(await store.getMany(['batch499', 'k999'])).toEqual([
        499,
        undefined,
      ]);
    });
  });

  describe('getMany', () => {
    it('should keep an entry until its time to live has passed, then drop it', async () => {
      const { store, tick } = storeWithClock();
      await store.setMany([['a', 1]], 10);
      tick(9_999);
      expect(await store.getMany(['a'])).toEqual([1]);
      tick(1);
      expect(await store.getMany(['a'])).toEqual([undefined]);
      expect(store.size).toBe(0);
    });
  });
});

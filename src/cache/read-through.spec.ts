import { MemoryCacheStore } from './memory-cache-store';
import { ReadThroughCache, type Loaded, type Loader } from './read-through';

interface Box {
  readonly n: number;
}

const decode = (stored: unknown): Box | undefined =>
  typeof stored === 'object' &&
  stored !== null &&
  typeof (stored as { n?: unknown }).n === 'number'
    ? { n: (stored as { n: number }).n }
    : undefined;
const OPTIONS = { ttlSeconds: 60, decode };

/** A loader that records what it is asked for and answers `n = key length`, after a pause. */
function recordingLoader(store = true) {
  const calls: string[][] = [];
  let fail: Error | undefined;
  const load: Loader<Box> = async (missing) => {
    calls.push([...missing]);
    await new Promise((r) => setTimeout(r, 5));
    if (fail) throw fail;
    return new Map<string, Loaded<Box>>(
      missing.map((k) => [k, { value: { n: k.length }, store }]),
    );
  };
  return {
    calls,
    load,
    failWith: (error?: Error) => {
      fail = error;
    },
  };
}

function setup() {
  const store = new MemoryCacheStore(100);
  return { store, cache: new ReadThroughCache(store) };
}

describe('ReadThroughCache', () => {
  describe('getOrLoadMany', () => {
    it('should load what the store lacks in one call, store it, and serve it from the store next time', async () => {
      const { cache, store } = setup();
      const loader = recordingLoader();
      const first = await cache.getOrLoadMany(
        ['a', 'bb'],
        loader.load,
        OPTIONS,
      );
      expect([...first]).toEqual([
        ['a', { n: 1 }],
        ['bb', { n: 2 }],
      ]);
      expect(loader.calls).toEqual([['a', 'bb']]);
      expect(store.size).toBe(2);
      const second = await cache.getOrLoadMany(
        ['bb', 'ccc'],
        loader.load,
        OPTIONS,
      );
      expect(loader.calls).toEqual([['a', 'bb'], ['ccc']]);
      expect(second.get('bb')).toEqual({ n: 2 });
    });

    it('should load a key once when concurrent calls miss it together, and let overlapping calls share loads', async () => {
      const { cache } = setup();
      const loader = recordingLoader();
      const results = await Promise.all([
        ...Array.from({ length: 10 }, () =>
          cache.getOrLoadMany(['a'], loader.load, OPTIONS),
        ),
        cache.getOrLoadMany(['a', 'bb'], loader.load, OPTIONS),
      ]);
      expect(loader.calls).toEqual([['a'], ['bb']]);
      for (const r of results) expect(r.get('a')).toEqual({ n: 1 });
    });

    it('should give every waiter the error of a failed load, without an unhandled rejection, then load again', async () => {
      const { cache } = setup();
      const loader = recordingLoader();
      loader.failWith(new Error('upstream down'));
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const outcomes = await Promise.allSettled([
          cache.getOrLoadMany(['a'], loader.load, OPTIONS),
          cache.getOrLoadMany(['a', 'bb'], loader.load, OPTIONS),
        ]);
        await new Promise((r) => setTimeout(r, 20));
        expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
      loader.failWith(undefined);
      await expect(
        cache.getOrLoadMany(['a'], loader.load, OPTIONS),
      ).resolves.toEqual(new Map([['a', { n: 1 }]]));
    });

    it('should reject when the loader leaves a key out', async () => {
      const { cache } = setup();
      await expect(
        cache.getOrLoadMany(['a'], async () => new Map(), OPTIONS),
      ).rejects.toThrow('nothing was loaded for a');
    });

    it('should serve but not store a value the loader marks so', async () => {
      const { cache, store } = setup();
      const loader = recordingLoader(false);
      await cache.getOrLoadMany(['a'], loader.load, OPTIONS);
      await cache.getOrLoadMany(['a'], loader.load, OPTIONS);
      expect(store.size).toBe(0);
      expect(loader.calls).toEqual([['a'], ['a']]);
    });

    it('should take a stored value of another shape as a miss', async () => {
      const { cache, store } = setup();
      await store.setMany([['a', { other: true }]], 60);
      const loader = recordingLoader();
      const values = await cache.getOrLoadMany(['a'], loader.load, OPTIONS);
      expect(values.get('a')).toEqual({ n: 1 });
      expect(loader.calls).toEqual([['a']]);
    });

    it('should store the encoded form and decode it back', async () => {
      const { cache, store } = setup();
      const options = {
        ttlSeconds: 60,
        encode: (box: Box) => ({ n: box.n, encoded: true }),
        decode,
      };
      await cache.getOrLoadMany(['abc'], recordingLoader().load, options);
      expect(await store.getMany(['abc'])).toEqual([{ n: 3, encoded: true }]);
      const loader = recordingLoader();
      const again = await cache.getOrLoadMany(['abc'], loader.load, options);
      expect(again.get('abc')).toEqual({ n: 3 });
      expect(loader.calls).toEqual([]);
    });

    it('should hand a value that is not fresh to the loader, which may keep it', async () => {
      const { cache, store } = setup();
      await store.setMany([['a', { n: 99 }]], 60);
      const seen: Array<[string[], Box | undefined]> = [];
      const keep: Loader<Box> = async (missing, stale) => {
        seen.push([[...missing], stale.get('a')]);
        return new Map([['a', { value: stale.get('a')!, store: false }]]);
      };
      const values = await cache.getOrLoadMany(['a'], keep, {
        ...OPTIONS,
        isFresh: (box) => box.n < 50,
      });
      expect(seen).toEqual([[['a'], { n: 99 }]]);
      expect(values.get('a')).toEqual({ n: 99 });
    });
  });

  describe('clear', () => {
    it('should clear the store, and keep a load that began before from storing what it loaded', async () => {
      const { cache, store } = setup();
      await store.setMany([['old', { n: 0 }]], 60);
      const loader = recordingLoader();
      const loading = cache.getOrLoadMany(['a'], loader.load, OPTIONS);
      await new Promise((r) => setTimeout(r, 1)); // the load is now waiting on its loader
      await expect(cache.clear()).resolves.toBe(1);
      await expect(loading).resolves.toEqual(new Map([['a', { n: 1 }]]));
      expect(store.size).toBe(0);
      await cache.getOrLoadMany(['a'], loader.load, OPTIONS);
      expect(store.size).toBe(1); // loads that begin after the clear store as usual
    });
  });
});

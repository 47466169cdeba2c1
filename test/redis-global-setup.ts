import Redis from 'ioredis';
import { PrivateRedis, redisServerAvailable } from './utils/redis-server';

/**
 * Jest global setup: gives the Redis suites a server in TEST_REDIS_URL. REDIS_URL when given (its other data is
 * safe: tests use unique key prefixes and clear by prefix only); else a private redis-server on a free port when
 * the binary exists; else the Redis suites skip with a loud message, except under CI=true, where this fails.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.REDIS_URL) {
    const probe = new Redis(process.env.REDIS_URL, {
      lazyConnect: true,
      connectTimeout: 2000,
      maxRetriesPerRequest: 0,
    });
    try {
      await probe.connect();
      await probe.ping();
    } catch (error) {
      throw new Error(
        `REDIS_URL is set for the tests but Redis does not answer there: ${(error as Error).message}`,
        { cause: error },
      );
    } finally {
      probe.disconnect();
    }
    process.env.TEST_REDIS_URL = process.env.REDIS_URL;
    return;
  }
  if (redisServerAvailable()) {
    const redis = await PrivateRedis.start();
    (globalThis as { __privateRedis?: PrivateRedis }).__privateRedis = redis;
    process.env.TEST_REDIS_URL = redis.url;
    process.env.TEST_REDIS_SERVER_AVAILABLE = '1';
    return;
  }
  if (process.env.CI === 'true') {
    throw new Error(
      'CI=true but no Redis: set REDIS_URL or install redis-server (apt-get install redis-server)',
    );
  }
  console.warn(
    '\n\n*** NO REDIS: the Redis cache tests are SKIPPED. Install redis-server or set REDIS_URL to run them. ***\n\n',
  );
}

import { randomBytes } from 'node:crypto';
import { redisServerAvailable } from './redis-server';

/** The Redis the global setup found or started, or undefined (the Redis suites then skip). */
export const TEST_REDIS_URL: string | undefined = process.env.TEST_REDIS_URL;

/** `describe` when a Redis is available, else `describe.skip` (the global setup has said why, loudly). */
export const describeWithRedis = TEST_REDIS_URL ? describe : describe.skip;

/** `describe` when tests can start and kill their own redis-server, else `describe.skip` (fails under CI=true). */
export const describeWithRedisServer =
  redisServerAvailable() || process.env.CI === 'true'
    ? describe
    : describe.skip;

/** A key prefix no other test or program uses, so tests never touch anyone else's keys. */
export function uniquePrefix(label: string): string {
  return `test-${label}-${randomBytes(6).toString('hex')}:`;
}

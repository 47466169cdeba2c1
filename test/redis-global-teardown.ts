import type { PrivateRedis } from './utils/redis-server';

export default async function globalTeardown(): Promise<void> {
  await (
    globalThis as { __privateRedis?: PrivateRedis }
  ).__privateRedis?.stop();
}

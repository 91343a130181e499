/** Fails fast, with the fix, when the services the suite needs are not reachable. */
import { Redis } from 'ioredis';

export default async function setup(): Promise<void> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(`Tests need Redis at ${url} (set REDIS_URL or start redis-server): ${String(err)}`);
  } finally {
    redis.disconnect();
  }
}

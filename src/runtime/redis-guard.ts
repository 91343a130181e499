/**
 * Warns loudly when Redis may evict keys: with an eviction policy other than noeviction, Redis
 * silently deletes task records under memory pressure, which is how BullMQ users lose jobs.
 */
import type { Redis } from 'ioredis';

export async function checkRedisEvictionPolicy(redis: Redis): Promise<string | null> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    policy = reply[1];
  } catch {
    return null; // CONFIG may be disabled on managed Redis; nothing to check then.
  }
  if (!policy || policy === 'noeviction') return null;
  return (
    `WARNING: Redis maxmemory-policy is "${policy}": Redis may evict task records under memory pressure and tasks ` +
    'would be lost. Set "maxmemory-policy noeviction" (CONFIG SET maxmemory-policy noeviction, or in redis.conf).'
  );
}

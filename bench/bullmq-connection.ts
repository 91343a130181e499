/**
 * BullMQ 6.7.0 no longer depends on ioredis: it creates clients through RedisConnection.clientFactory.
 * We plug in ioredis 6.0.0 (the same client library jobbers uses) through createIORedisClient.
 */
import { createIORedisClient, RedisConnection } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

let installed = false;

export function installBullmqClientFactory(): void {
  if (installed) return;
  RedisConnection.clientFactory = (opts) => createIORedisClient(new Redis(opts as RedisOptions));
  installed = true;
}

/** Connection options for a redis://host:port URL; workers need maxRetriesPerRequest: null. */
export function bullmqConnection(url: string, worker: boolean) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(worker ? { maxRetriesPerRequest: null } : {}),
  };
}

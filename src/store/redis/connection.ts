/** Redis connections with the options every jobbers process wants. */
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisConnectOptions {
  /** Name shown by CLIENT LIST, e.g. "jobbers-worker:blocking". */
  name?: string;
  /** For blocking and pub/sub connections: never time out a pending command. */
  blocking?: boolean;
}

export function createRedis(url: string, opts: RedisConnectOptions = {}): Redis {
  const options: RedisOptions = {
    connectionName: opts.name,
    // Reconnect forever with a capped backoff: workers, schedulers and managers ride out a Redis
    // restart without being restarted themselves (DESIGN.md §2.1).
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    // Commands issued while disconnected wait for the reconnect instead of failing at once,
    // but not forever: callers get an error they can report or retry.
    maxRetriesPerRequest: opts.blocking ? null : 20,
    enableAutoPipelining: false,
    lazyConnect: false,
  };
  return new Redis(url, options);
}

/** Resolves once the connection is ready, or rejects with a message that names the URL. */
export async function waitForRedis(redis: Redis, url: string, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new Error(
          `Cannot reach Redis at ${redactUrl(url)} after ${timeoutMs} ms; check REDIS_URL and that redis-server runs`,
        ),
      );
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@');
}

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
    // No auto-pipelining: it made every submission slower here (a nextTick wait and pipeline
    // bookkeeping per command); script calls coalesce their writes instead (scripts.ts).
    enableAutoPipelining: false,
    lazyConnect: false,
    // A blocking command also times out on the client side (its own timeout + a grace period), so
    // a connection that died silently (no FIN/RST, e.g. a dropped NAT flow) cannot hang a waiter.
    ...(opts.blocking ? { blockingTimeout: 1, blockingTimeoutGrace: 500 } : {}),
  };
  const redis = new Redis(url, options);
  // Without a listener ioredis prints every failed reconnect attempt as an unhandled error; the
  // retry strategy above already handles them and callers see failed commands.
  redis.on('error', () => undefined);
  return redis;
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

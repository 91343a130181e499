/** Keeps this worker's entry in P:workers fresh (GET /workers reads it). */
import type { Redis } from 'ioredis';
import type { KeyCatalogue } from '../store/redis/keys.js';
import { pack } from '../store/redis/record-codec.js';
import type { Worker } from '../worker/worker.js';

export const WORKER_REFRESH_MS = 5000;

export function registerWorker(redis: Redis, keys: KeyCatalogue, worker: Worker) {
  const write = () =>
    redis.hset(keys.workers, worker.id, pack({ ...worker.describe(), lastSeen: Date.now() })).catch(() => undefined);
  void write();
  const timer = setInterval(write, WORKER_REFRESH_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await redis.hdel(keys.workers, worker.id).catch(() => undefined);
    },
  };
}

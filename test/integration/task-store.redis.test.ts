/** The TaskStore contract against the Redis adapter, on a random key prefix of the real Redis. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisTaskStore } from '../../src/store/redis/redis-task-store.js';
import { runTaskStoreContract } from '../contract/task-store.contract.js';
import { REDIS_URL } from '../helpers/stack.js';

runTaskStoreContract('redis', async () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `c${randomBytes(5).toString('hex')}`;
  const store = new RedisTaskStore({ redis, prefix });
  return {
    store,
    async expireLeases(queue) {
      const key = store.keys.queue(queue).leases;
      const members = await redis.zrangebyscoreBuffer(key, '-inf', '(+inf');
      for (const m of members) await redis.zadd(key, 'XX', 1, m);
    },
    async cleanup() {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
  };
});

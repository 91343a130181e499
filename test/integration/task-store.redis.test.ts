/** The TaskStore contract against the Redis adapter, on a random key prefix of the real Redis. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { NO_LIMITS } from '../../src/domain/queue-config.js';
import { encodeCompletions, encodeSubmission } from '../../src/store/redis/record-codec.js';
import { RedisTaskStore } from '../../src/store/redis/redis-task-store.js';
import { loadScripts, runScript } from '../../src/store/redis/scripts.js';
import { newTask, runTaskStoreContract } from '../contract/task-store.contract.js';
import { REDIS_URL } from '../helpers/stack.js';

/** A store on its own random key prefix; cleanup() deletes its keys and disconnects. */
async function openStore() {
  const redis = new Redis(REDIS_URL);
  const prefix = `c${randomBytes(5).toString('hex')}`;
  const store = new RedisTaskStore({ redis, prefix });
  await loadScripts(redis);
  return {
    redis,
    store,
    async cleanup() {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

runTaskStoreContract('redis', async () => {
  const { redis, store, cleanup } = await openStore();
  return {
    store,
    async expireLeases(queue) {
      const key = store.keys.queue(queue).leases;
      const members = await redis.zrangebyscoreBuffer(key, '-inf', '(+inf');
      for (const m of members) await redis.zadd(key, 'XX', 1, m);
    },
    cleanup,
  };
});

describe('Redis adapter: the submission batch (one argument per queue)', () => {
  it('round-trips many tasks, scheduled ones included; malformed submission or completion batches are refused whole', async () => {
    const { redis, store, cleanup } = await openStore();
    try {
      const later = Date.now() + 3_600_000;
      const tasks = Array.from({ length: 120 }, (_, i) =>
        newTask({ parameters: { i, text: 'é'.repeat(i) }, runAt: i % 10 === 0 ? later : null }),
      );
      expect(await store.submit(tasks)).toEqual(tasks.map(() => 'stored'));
      const back = await store.getTasks(tasks.map((t) => t.id));
      back.forEach((rec, i) => {
        expect(rec?.parameters).toEqual(tasks[i]!.parameters);
        expect(rec?.status).toBe(i % 10 === 0 ? 'scheduled' : 'submitted');
        if (i % 10 === 0) expect(rec?.runAt).toBe(later);
      });
      const k = store.keys.queue('q1');
      const before = await redis.hlen(k.tasks);
      const batch = encodeSubmission([newTask(), newTask()], Date.now());
      for (const bad of [batch.subarray(0, batch.length - 1), Buffer.concat([batch, Buffer.from([1])])]) {
        await expect(runScript(redis, 'submit-tasks', [k.tasks], [store.keys.scheduleChannel, bad])).rejects.toThrow(
          /truncated batch/,
        );
      }
      expect(await redis.hlen(k.tasks)).toBe(before);

      // The same for completions in a claim call: nothing is completed from a malformed batch.
      const claimed = (
        await store.claim({ queue: 'q1', owner: 7, leaseMs: 30_000, want: 2, limits: NO_LIMITS, completions: [] })
      ).claimed;
      const done = encodeCompletions(claimed.map((c) => ({ id: c.id, starts: c.starts, results: { ok: true } })));
      const claimKeys = [k.tasks];
      await expect(
        runScript(redis, 'claim-tasks', claimKeys, [7, 30_000, 0, 0, 0, 0, done.subarray(0, done.length - 2)]),
      ).rejects.toThrow(/truncated completions/);
      expect((await store.getTasks(claimed.map((c) => c.id))).map((t) => t?.status)).toEqual(['started', 'started']);
      const ok = await runScript(redis, 'claim-tasks', claimKeys, [7, 30_000, 0, 0, 0, 0, done]);
      expect((ok as unknown[])[0]).toEqual([1, 1]);
      expect((await store.getTask(claimed[0]!.id))?.results).toEqual({ ok: true });
    } finally {
      await cleanup();
    }
  });

  it('an id listed twice in the ready list is claimed once (batched pops read records before writing them)', async () => {
    const { redis, store, cleanup } = await openStore();
    try {
      const t = newTask();
      await store.submit([t]);
      const k = store.keys.queue('q1');
      const [listed] = await redis.lrangeBuffer(k.ready, 0, 0);
      await redis.lpush(k.ready, listed!);
      const res = await store.claim({
        queue: 'q1',
        owner: 3,
        leaseMs: 30_000,
        want: 5,
        limits: NO_LIMITS,
        completions: [],
      });
      expect(res.claimed.map((c) => c.id)).toEqual([t.id]);
      expect(await store.getTask(t.id)).toMatchObject({ status: 'started', starts: 1 });
      expect(await redis.llen(k.ready)).toBe(0);
    } finally {
      await cleanup();
    }
  });

  it('reloads its scripts when Redis lost them (restart, SCRIPT FLUSH) and carries on', async () => {
    const { redis, store, cleanup } = await openStore();
    try {
      await redis.script('FLUSH');
      const t = newTask();
      expect(await store.submit([t])).toEqual(['stored']);
      await redis.script('FLUSH');
      const res = await store.claim({
        queue: 'q1',
        owner: 3,
        leaseMs: 30_000,
        want: 1,
        limits: NO_LIMITS,
        completions: [],
      });
      expect(res.claimed.map((c) => c.id)).toEqual([t.id]);
    } finally {
      await cleanup();
    }
  });

  it('a rate log under a limit that never binds stays about one window long, its total exact', async () => {
    const { redis, store, cleanup } = await openStore();
    try {
      await store.submit(Array.from({ length: 60 }, () => newTask()));
      const limits = { maxConcurrent: 0, rateCount: 1_000_000, ratePeriodMs: 200 };
      for (let i = 0; i < 60; i++) {
        const res = await store.claim({ queue: 'q1', owner: 3, leaseMs: 30_000, want: 1, limits, completions: [] });
        expect(res.claimed).toHaveLength(1);
        await new Promise((r) => setTimeout(r, 10));
      }
      const k = store.keys.queue('q1');
      const entries = await redis.zrange(k.rateLog, '0', '-1');
      // 60 calls over ≥ 600 ms; a 200 ms window with sweeps every 25 ms holds about 20 of them.
      expect(entries.length).toBeGreaterThan(5);
      expect(entries.length).toBeLessThan(35);
      const sum = entries.map((m) => Number(String(m).split(':')[0])).reduce((a, b) => a + b, 0);
      expect(Number(await redis.hget(k.rateMeta, 'n'))).toBe(sum);
    } finally {
      await cleanup();
    }
  });

  it('submissions of one tick share a script call; each gets its own outcome, in order', async () => {
    const { redis, store, cleanup } = await openStore();
    try {
      const evalshaCalls = async () =>
        Number(/cmdstat_evalsha:calls=(\d+)/.exec(await redis.info('commandstats'))?.[1] ?? 0);
      const tasks = Array.from({ length: 300 }, () => newTask());
      const again = newTask({ id: tasks[5]!.id });
      const before = await evalshaCalls();
      const outcomes = await Promise.all([...tasks, again].map((t) => store.submit([t])));
      const calls = (await evalshaCalls()) - before;
      expect(outcomes.slice(0, 300)).toEqual(tasks.map(() => ['stored']));
      expect(outcomes[300]).toEqual(['duplicate']);
      // The first call goes out at once, the other 300 together (other test files share this Redis,
      // so the count is an upper bound on ours plus theirs).
      expect(calls).toBeLessThan(60);
      const claimed = await store.claim({
        queue: 'q1',
        owner: 3,
        leaseMs: 30_000,
        want: 300,
        limits: NO_LIMITS,
        completions: [],
      });
      expect(claimed.claimed.map((c) => c.id)).toEqual(tasks.map((t) => t.id));
    } finally {
      await cleanup();
    }
  });

  it('batches beyond what one Lua unpack() can pass: 9,000 tasks submitted, claimed and completed in one call each', async () => {
    const { store, cleanup } = await openStore();
    try {
      const tasks = Array.from({ length: 9_000 }, (_, i) => newTask({ parameters: { i } }));
      expect(new Set(await store.submit(tasks))).toEqual(new Set(['stored']));
      const req = { queue: 'q1', owner: 3, leaseMs: 30_000, limits: NO_LIMITS };
      const claimed = (await store.claim({ ...req, want: 9_000, completions: [] })).claimed;
      expect(claimed.map((c) => c.id)).toEqual(tasks.map((t) => t.id));
      const done = await store.claim({
        ...req,
        want: 0,
        completions: claimed.map((c) => ({ id: c.id, starts: c.starts, results: { i: c.parameters.i } })),
      });
      expect(done.completed.every(Boolean)).toBe(true);
      expect(done.completed).toHaveLength(9_000);
      expect((await store.countByStatus('q1')).counts).toMatchObject({ completed: 9_000, started: 0, submitted: 0 });
      expect((await store.getTask(tasks[8_999]!.id))?.results).toEqual({ i: 8_999 });
    } finally {
      await cleanup();
    }
  });
});

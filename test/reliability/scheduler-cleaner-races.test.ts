/**
 * Reliability 5 — scheduler and cleaner races (DESIGN.md §2.2: promote-due is one script, so two
 * schedulers can never dispatch a task twice; lease recovery is one script, so the cleaner, the
 * schedulers and the workers may all race to recover the same lease).
 *
 * Two real schedulers and a cleaner (`--stale-time`, re-run back to back) run at once over a heavy
 * delayed load: thousands of tasks scheduled a few seconds ahead, plus tasks whose first attempt
 * fails so their retry goes through the delayed set. Mid-run one worker is frozen (SIGSTOP) past
 * its lease and stale time, then thawed: its tasks are recovered by whoever gets there first, and
 * its late reports must be fenced off. Both schedulers log every dispatch (LOG_LEVEL=debug), so a
 * task dispatched twice — by one scheduler or by the two — is seen directly.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { idToBytes } from '../../src/domain/ids.js';
import { NO_LIMITS } from '../../src/domain/queue-config.js';
import { RedisTaskStore } from '../../src/store/redis/redis-task-store.js';
import { scale, sleep, waitFor } from '../helpers/reliability-env.js';
import {
  type LeaseEntry,
  leaseSnapshot,
  queueResidue,
  readExecutions,
  readTasks,
  terminalCounts,
} from '../helpers/reliability-probe.js';
import {
  schedulerStarted,
  spawnCli,
  spawnWorker,
  workerIdentity,
  type CliProcess,
} from '../helpers/reliability-procs.js';
import { ResultRecorder } from '../helpers/reliability-results.js';
import { reliabilitySuite } from '../helpers/reliability-suite.js';
import { relFlaky, relWork, type WorkParams } from './fixtures/tasks.js';

const DELAYED = scale(2000, 30_000);
const FLAKY = scale(300, 3000);
const SPREAD_MS = scale(10_000, 60_000);
const WORKERS = 3;
/** Live workers renew every LEASE_S / 3 = 4 s, so STALE_S = 7 leaves them 3 s of slack on a loaded machine. */
const LEASE_S = 12;
const STALE_S = 7;
/** Longer than the lease: the cleaner (after STALE_S) and lease expiry (after LEASE_S) race to recover. */
const FREEZE_MS = 14_000;

interface Sub {
  i: number;
  id: string;
  kind: 'delayed' | 'flaky';
  runAt: number;
}

const results = new ResultRecorder(
  'scheduler-cleaner-races',
  'Scheduler and cleaner races',
  'Two schedulers and a cleaner running at once never dispatch a task twice and strand none, even while a frozen worker’s leases are being recovered.',
);

describe('reliability: scheduler and cleaner races', () => {
  const suite = reliabilitySuite(results, { tag: 'race', tasks: [relWork, relFlaky] });

  it(
    `two schedulers + a cleaner over ${DELAYED} delayed tasks and ${FLAKY} delayed retries: no double dispatch, nothing stranded`,
    results.run(async () => {
      const { stack } = suite;
      const queue = 'default';
      const env = stack.env({
        WORKER_CONCURRENT_TASKS: '10',
        WORKER_TTL: '0',
        WORKER_LEASE_TIMEOUT: String(LEASE_S),
        SCHEDULER_POLL_INTERVAL: '0.5',
        SCHEDULER_BATCH_SIZE: '20',
      });
      const schedulers = [0, 1].map((j) =>
        spawnCli('scheduler', { name: `race-scheduler-${j}`, env: { ...env, LOG_LEVEL: 'debug' } }),
      );
      const workers = Array.from({ length: WORKERS }, (_, j) => spawnWorker(`race-worker-${j}`, env));
      const identities = await Promise.all(workers.map((w) => workerIdentity(w)));
      await Promise.all(schedulers.map((s) => schedulerStarted(s)));

      // The cleaner, back to back, for the whole run.
      const cleanerPasses: Array<{ code: number | null; recovered: number; ms: number; finishedAt: number }> = [];
      let cleaning = true;
      const cleanerLoop = (async () => {
        let n = 0;
        while (cleaning) {
          const c = spawnCli('cleaner', { name: `race-cleaner-${n++}`, env, args: ['--stale-time', String(STALE_S)] });
          const exit = await c.exited;
          const report = c.logs.find((l) => l.msg === 'Cleaner finished');
          cleanerPasses.push({
            code: exit.code,
            recovered: Number(report?.recovered ?? NaN),
            ms: exit.at - c.spawnedAt,
            finishedAt: Number(report?.at ?? exit.at),
          });
        }
      })();

      // The load: delayed tasks in batches sharing a run_at, spread over SPREAD_MS; flaky tasks now.
      const subs: Sub[] = [];
      const t0 = Date.now();
      for (let b = 0; b * 50 < DELAYED; b++) {
        const runAt = t0 + 1000 + Math.floor(((b * 50) / DELAYED) * SPREAD_MS);
        const params: WorkParams[] = Array.from({ length: Math.min(50, DELAYED - b * 50) }, (_, j) => ({
          i: subs.length + j,
          ms: 10 + Math.floor(Math.random() * 40),
        }));
        const res = await stack.client.submitMany(relWork, params as unknown as Array<Record<string, unknown>>, {
          runAt,
        });
        res.forEach((r, j) => {
          if (!r.ok) throw r.error;
          subs.push({ i: (params[j] as WorkParams).i, id: r.task.id, kind: 'delayed', runAt });
        });
      }
      for (let b = 0; b * 50 < FLAKY; b++) {
        const params: WorkParams[] = Array.from({ length: Math.min(50, FLAKY - b * 50) }, (_, j) => ({
          i: subs.length + j,
          ms: 20,
        }));
        const res = await stack.client.submitMany(relFlaky, params as unknown as Array<Record<string, unknown>>);
        res.forEach((r, j) => {
          if (!r.ok) throw r.error;
          subs.push({ i: (params[j] as WorkParams).i, id: r.task.id, kind: 'flaky', runAt: 0 });
        });
      }

      // Freeze one worker while it holds tasks (retrying if it held none at that instant), past its
      // lease and the stale time; then thaw it.
      const frozen = workers[0] as CliProcess;
      const frozenOwner = identities[0]!.owner;
      let frozenAt = 0;
      let frozenTasks: LeaseEntry[] = [];
      await waitFor(
        'the frozen worker to hold tasks when stopped',
        async () => {
          if (!(await leaseSnapshot(stack.redis, stack.keys, queue)).some((l) => l.owner === frozenOwner)) return false;
          frozen.signal('SIGSTOP');
          frozenAt = Date.now();
          await sleep(100); // a claim it had already written still lands
          frozenTasks = (await leaseSnapshot(stack.redis, stack.keys, queue)).filter((l) => l.owner === frozenOwner);
          if (frozenTasks.length > 0) return true;
          frozen.signal('SIGCONT');
          return false;
        },
        30_000,
        10,
      );
      await sleep(FREEZE_MS);
      frozen.signal('SIGCONT');
      const thawedAt = Date.now();

      const total = subs.length;
      await waitFor(
        `all ${total} tasks to finish`,
        async () => (await stack.redis.zcard(stack.keys.queue(queue).done('completed'))) >= total,
        90_000,
        200,
      );
      const allDoneAt = Date.now();
      cleaning = false;
      await cleanerLoop;
      await sleep(300); // last debug lines of the schedulers

      // ---------------------------------------------------------------- verification
      expect(await queueResidue(stack.redis, stack.keys, queue)).toEqual({ ready: 0, delayed: 0, started: 0 });
      expect(await terminalCounts(stack.redis, stack.keys, queue)).toEqual({
        completed: total,
        failed: 0,
        cancelled: 0,
        stalled: 0,
        dropped: 0,
      });
      const states = await readTasks(
        stack.redis,
        stack.keys,
        queue,
        subs.map((s) => s.id),
      );
      const execs = await readExecutions(stack.recorder, stack.ns);

      // Dispatches, as logged by each scheduler.
      const dispatches = new Map<string, number>();
      const perScheduler = schedulers.map((s) => {
        let n = 0;
        for (const l of s.logs) {
          if (typeof l.task_id !== 'string' || !String(l.msg).includes('dispatched')) continue;
          dispatches.set(l.task_id, (dispatches.get(l.task_id) ?? 0) + 1);
          n++;
        }
        return n;
      });
      const twice = [...dispatches].filter(([, c]) => c > 1).map(([id]) => id);
      expect(twice, 'tasks dispatched more than once').toEqual([]);
      const frozenIds = new Set(frozenTasks.map((l) => l.id));
      for (const s of subs) {
        // A frozen flaky task recovered before its retry was scheduled re-runs without the scheduler.
        if (frozenIds.has(s.id))
          expect(dispatches.get(s.id) ?? 0, `frozen ${s.kind} task ${s.i}`).toBeLessThanOrEqual(1);
        else expect(dispatches.get(s.id), `${s.kind} task ${s.i} dispatched exactly once`).toBe(1);
      }

      // Executions: one per delayed task, two per flaky task (the failing attempt and its retry),
      // except the tasks the frozen worker held, which were recovered and ran again.
      const lateness: number[] = [];
      let extraRuns = 0;
      let frozenRecovered = 0;
      for (const s of subs) {
        const st = states.get(s.id)!;
        const runs = execs.get(s.i) ?? [];
        const expected = s.kind === 'delayed' ? 1 : 2;
        if (frozenIds.has(s.id)) {
          // It may have been frozen before or after its handler started; either way it completed.
          expect(
            runs.some((r) => r.end !== null),
            `frozen task ${s.i} ran to completion`,
          ).toBe(true);
          if (st.errors.some((e) => e.type === 'LeaseExpired')) frozenRecovered++;
          extraRuns += Math.max(0, runs.length - expected);
        } else {
          expect(runs.length, `${s.kind} task ${s.i} runs`).toBe(expected);
          expect(st.starts, `${s.kind} task ${s.i} claims`).toBe(expected);
        }
        if (s.kind === 'delayed') {
          expect(st.startedAt, `task ${s.i} never starts before its run_at`).toBeGreaterThanOrEqual(s.runAt);
          if (!frozenIds.has(s.id)) lateness.push(st.startedAt - s.runAt);
        }
      }
      // The thawed worker's late reports were refused (fencing), it did not overwrite anything.
      const zombie = frozen.logs.filter(
        (l) => l.at >= thawedAt && /lease was lost|Completion rejected/.test(String(l.msg)),
      );
      const recoveredByCleaner = cleanerPasses.reduce(
        (a, p) => a + (Number.isFinite(p.recovered) ? p.recovered : 0),
        0,
      );

      results.set('schedulers', 2);
      results.set('cleaner passes (--stale-time ' + STALE_S + ')', cleanerPasses.length);
      results.set('worker processes', WORKERS);
      results.set('delayed tasks', DELAYED);
      results.set('tasks with a delayed retry', FLAKY);
      results.set(`run_at spread (s)`, SPREAD_MS / 1000);
      results.set('dispatches by scheduler A', perScheduler[0] as number);
      results.set('dispatches by scheduler B', perScheduler[1] as number);
      results.set('tasks dispatched twice', twice.length);
      results.set(
        'tasks stranded (not completed)',
        total - (await stack.redis.zcard(stack.keys.queue(queue).done('completed'))),
      );
      results.set('tasks held by the frozen worker', frozenTasks.length);
      results.set('frozen for (s)', Math.round((thawedAt - frozenAt) / 100) / 10);
      results.set('leases recovered by the cleaner', recoveredByCleaner);
      results.set('frozen worker’s tasks recovered by lease expiry', frozenRecovered);
      results.set('extra runs (frozen worker’s tasks only)', extraRuns);
      results.set('late reports of the thawed worker refused', zombie.length);
      results.setDistribution('dispatch lateness (run_at → started)', lateness);

      results.table(
        'Cleaner passes',
        ['#', 'exit code', 'duration (ms)', 'finished at (s)', 'leases recovered'],
        cleanerPasses.map((p, n) => [n + 1, p.code, p.ms, Math.round((p.finishedAt - t0) / 100) / 10, p.recovered]),
      );
      const duringLoad = cleanerPasses.filter((p) => p.finishedAt > t0 && p.finishedAt < allDoneAt).length;
      results.set('cleaner passes that worked during the load', duringLoad);
      expect(duringLoad, 'the cleaner worked while the schedulers dispatched').toBeGreaterThanOrEqual(1);
      expect(
        cleanerPasses.every((p) => p.code === 0),
        'every cleaner pass exited 0',
      ).toBe(true);
      expect(frozenTasks.length).toBeGreaterThan(0);
      expect(frozenRecovered, 'the frozen worker’s tasks were recovered while it was frozen').toBeGreaterThan(0);
      // Every dispatch is of a distinct task; only frozen tasks (re-queued by recovery) may lack one.
      expect(perScheduler.reduce((a, b) => a + b, 0)).toBe(dispatches.size);
      expect(dispatches.size).toBeGreaterThanOrEqual(total - frozenIds.size);
      expect(
        workers.every((w) => w.alive),
        'every worker (including the thawed one) still running',
      ).toBe(true);

      results.check(
        'every task was dispatched by exactly one scheduler, exactly once (from both schedulers’ dispatch logs)',
      );
      results.check(
        'every delayed task ran exactly once and never before its run_at; every retrying task ran exactly twice — apart from the frozen worker’s tasks, which were recovered and re-run',
      );
      results.check('all tasks `completed`; ready list, delayed set and lease set empty; every cleaner pass exited 0');
    }),
    scale(150_000, 900_000),
  );

  it(
    '[regression] the cleaner’s --stale-time pass cannot expire a lease a live worker took after the pass looked',
    results.run(
      async () => {
        const { stack } = suite;
        // A queue no role consumes: this test drives the claims itself.
        await stack.client.runtime.config.createQueue({
          name: 'stale',
          maxConcurrent: null,
          rateNumerator: null,
          rateDenominator: null,
          ratePeriod: null,
        });
        await stack.client.runtime.notifyConfigChanged();
        const store = stack.client.runtime.store;
        const { id } = await stack.client.submit(relWork, { i: -1 }, { queue: 'stale' });
        // Worker A claims it, then goes silent: its lease expires and its heartbeat gets old.
        await store.claim({ queue: 'stale', owner: 1111, leaseMs: 50, want: 1, limits: NO_LIMITS, completions: [] });
        await sleep(200);
        // The cleaner lists stale tasks, then writes. Between the two, A's expired lease is recovered
        // (by any claim) and live worker B claims the task with a fresh lease and heartbeat.
        const cleanerRedis = new Redis(stack.redisUrl, { connectionName: 'reliability-cleaner' });
        const cleaner = new RedisTaskStore({ redis: cleanerRedis, prefix: stack.prefix });
        let interleaved = false;
        const interleave = async () => {
          interleaved = true;
          expect(await store.recoverExpiredLeases('stale', 10)).toBe(1);
          const b = await store.claim({
            queue: 'stale',
            owner: 2222,
            leaseMs: 60_000,
            want: 1,
            limits: NO_LIMITS,
            completions: [],
          });
          expect(b.claimed.map((t) => t.id)).toEqual([id]);
        };
        const pipeline = cleanerRedis.pipeline.bind(cleanerRedis);
        let pipelines = 0;
        // The write is the second pipeline of expireStaleLeases (the first loads the started tasks).
        (cleanerRedis as unknown as { pipeline: typeof pipeline }).pipeline = ((
          ...args: Parameters<typeof pipeline>
        ) => {
          const p = pipeline(...args);
          if (++pipelines === 2) {
            const exec = p.exec.bind(p);
            p.exec = (async (...a: Parameters<typeof exec>) => {
              await interleave();
              return exec(...a);
            }) as typeof p.exec;
          }
          return p;
        }) as typeof pipeline;
        try {
          await cleaner.expireStaleLeases('stale', Date.now() - 100);
          if (!interleaved) await interleave(); // an atomic implementation: B claims after the pass
          await store.recoverExpiredLeases('stale', 10);
        } finally {
          cleanerRedis.disconnect();
        }
        const st = (await readTasks(stack.redis, stack.keys, 'stale', [id])).get(id)!;
        const lease = await stack.redis.zscore(stack.keys.queue('stale').leases, idToBytes(id));
        expect({
          status: st.status,
          owner: st.owner,
          starts: st.starts,
          leaseAlive: Number(lease) > Date.now() + 30_000,
        }).toEqual({
          status: 'started',
          owner: 2222,
          starts: 2,
          leaseAlive: true,
        });
      },
      {
        bug: {
          title:
            'Cleaner --stale-time is read-then-write (DESIGN.md §2.2): expireStaleLeases() lists started tasks with old heartbeats, then ZADDs their leases to 0 in a separate pipeline; if the task was recovered and re-claimed by a live worker in between, that worker’s fresh lease is zeroed and the task is recovered (run twice) under it',
          fix: 'src/store/redis/maintenance.ts, Maintenance.expireStaleLeases(): do the check and the write in one Lua script (e.g. lua/expire-stale-leases.lua, KEYS tasks leases, ARGV cutoff then id/starts pairs from the listing): for each id, re-read the header and only `ZADD leases XX 0 id` when status is still started, starts is unchanged and heartbeat < cutoff.',
        },
      },
    ),
    30_000,
  );
});

/**
 * Reliability 4 — network faults between the processes and Redis.
 *
 * Two workers and a scheduler reach Redis through a fault-injecting TCP proxy
 * (test/helpers/reliability-proxy.ts, node:net); the test's client submits directly. Under load,
 * the proxy drops every connection (RST, and refuses new ones for a while), stalls every
 * connection (no byte delivered either way, then everything at once), stalls then drops, and
 * drops or stalls only the workers' blocking (BLPOP) connections. Afterwards every acknowledged
 * task must be completed, no task may be left in `started`, the processes must be the original
 * ones, and an idle worker must again pick up a new task within the idle re-check interval.
 *
 * A last test black-holes a blocking connection for good (no RST, no FIN: a peer that vanished
 * behind a NAT or firewall) and expects the idle worker to notice within a bounded time.
 */
import { describe, expect, it } from 'vitest';
import { newTaskId } from '../../src/domain/ids.js';
import { scale, sleep, waitFor } from '../helpers/reliability-env.js';
import {
  queueResidue,
  readExecutions,
  readTasks,
  waitForEmptyQueue,
  waitForTasks,
} from '../helpers/reliability-probe.js';
import {
  schedulerStarted,
  spawnCli,
  spawnWorker,
  workerIdentity,
  type CliProcess,
} from '../helpers/reliability-procs.js';
import { FaultProxy } from '../helpers/reliability-proxy.js';
import { ResultRecorder } from '../helpers/reliability-results.js';
import { reliabilitySuite } from '../helpers/reliability-suite.js';
import { relWork } from './fixtures/tasks.js';

const LEASE_S = 5;
const RECOVER_MS = 2500;
const CYCLES = scale(1, 5);
/** An idle worker re-checks its queues at least this often (worker.ts idleRecheckMs). */
const IDLE_RECHECK_MS = 2000;
const isBlocking = (name: string | null) => name?.endsWith(':blocking') ?? false;

type FaultName =
  | 'drop all (RST) + refuse 2 s'
  | 'stall all 3 s'
  | 'stall all 2 s, then drop'
  | 'drop blocking connections'
  | 'stall blocking connections 4 s';
const FAULTS: FaultName[] = [
  'drop all (RST) + refuse 2 s',
  'stall all 3 s',
  'stall all 2 s, then drop',
  'drop blocking connections',
  'stall blocking connections 4 s',
];

interface Sub {
  i: number;
  id: string;
  acked: boolean;
}

const results = new ResultRecorder(
  'network-faults',
  'Network faults (TCP proxy)',
  'Connections dropped, stalled, or stalled then dropped between the processes and Redis: every acknowledged task completes, none is left in `started`, blocking connections recover, and nobody restarts a process.',
);

describe('reliability: network faults between processes and Redis', () => {
  let proxy: FaultProxy;
  const procs: CliProcess[] = [];
  const suite = reliabilitySuite(results, {
    tag: 'net',
    tasks: [relWork],
    extra: async (redis) => {
      proxy = new FaultProxy('127.0.0.1', redis.port);
      await proxy.listen();
      return () => proxy.close();
    },
  });

  it(
    'drops and stalls: all acknowledged tasks complete, none stuck in started, blocking connections recover',
    results.run(async () => {
      const { stack } = suite;
      const queue = 'default';
      const k = stack.keys.queue(queue);
      // The processes go through the proxy; the fixture records on the shared Redis (not faulted).
      const env = {
        ...stack.env({
          WORKER_CONCURRENT_TASKS: '8',
          WORKER_TTL: '0',
          WORKER_LEASE_TIMEOUT: String(LEASE_S),
          SCHEDULER_POLL_INTERVAL: '0.5',
        }),
        REDIS_URL: proxy.url,
      };
      procs.push(
        spawnWorker('net-worker-0', env),
        spawnWorker('net-worker-1', env),
        spawnCli('scheduler', { name: 'net-scheduler', env }),
      );
      await Promise.all([workerIdentity(procs[0]!), workerIdentity(procs[1]!), schedulerStarted(procs[2]!)]);
      await waitFor(
        'both blocking connections',
        () => (proxy.byName().get('jobbers-worker:blocking') ?? 0) === 2,
        10_000,
      );
      const expected = proxy.byName();

      const subs: Sub[] = [];
      let producing = false;
      let loop: Promise<void> = Promise.resolve();
      const startProducing = () => {
        producing = true;
        loop = (async () => {
          while (producing) {
            const s: Sub = { i: subs.length, id: newTaskId(), acked: false };
            subs.push(s);
            const scheduled = s.i % 5 === 0;
            await stack.client.submit(
              relWork,
              { i: s.i, ms: 20 + (s.i % 60) },
              { id: s.id, ...(scheduled ? { runAt: Date.now() + 300 + (s.i % 700) } : {}) },
            );
            s.acked = true;
            await sleep(15);
          }
        })();
      };
      const stopProducing = async () => {
        producing = false;
        await loop;
      };
      startProducing();
      const completed = () => stack.redis.zcard(k.done('completed'));
      /** Submits one task to the idle queue and returns submit → started (ms). */
      const idlePickup = async (): Promise<number> => {
        const s: Sub = { i: subs.length, id: newTaskId(), acked: false };
        subs.push(s);
        const at = Date.now();
        await stack.client.submit(relWork, { i: s.i, ms: 1 }, { id: s.id });
        s.acked = true;
        await waitFor(
          'an idle worker to pick up a new task',
          async () => ((await readTasks(stack.redis, stack.keys, queue, [s.id])).get(s.id)?.startedAt ?? 0) > 0,
          30_000,
          10,
        );
        return ((await readTasks(stack.redis, stack.keys, queue, [s.id])).get(s.id)!.startedAt as number) - at;
      };

      const rows: Array<Array<string | number>> = [];
      const reconnects: number[] = [];
      const resumes: number[] = [];
      const pickups: number[] = [];
      await sleep(RECOVER_MS);
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        for (const fault of FAULTS) {
          const blockingOnly = fault.includes('blocking');
          if (blockingOnly) {
            // Blocking connections matter when workers are idle: pause the load and let the queue drain.
            await stopProducing();
            await waitForEmptyQueue('the queue to drain', stack, queue, 30_000, 50);
            await sleep(300);
          }
          const affected = blockingOnly ? proxy.live(isBlocking).length : proxy.live().length;
          const t0 = Date.now();
          let end = t0;
          if (fault === 'drop all (RST) + refuse 2 s') {
            proxy.drop(undefined, 2000);
            await sleep(2000);
            end = Date.now();
          } else if (fault === 'stall all 3 s') {
            const stalled = proxy.stall();
            await sleep(3000);
            proxy.resume(stalled);
            end = Date.now();
          } else if (fault === 'stall all 2 s, then drop') {
            proxy.stall();
            await sleep(2000);
            proxy.drop();
            end = Date.now();
          } else if (fault === 'drop blocking connections') {
            proxy.drop(isBlocking);
            end = Date.now();
          } else {
            const stalled = proxy.stall(isBlocking);
            await sleep(4000);
            proxy.resume(stalled);
            end = Date.now();
          }
          // Every process's connections come back (same names, same counts) by themselves.
          await waitFor(
            `connections back after "${fault}"`,
            () => [...expected].every(([n, c]) => (proxy.byName().get(n) ?? 0) >= c),
            30_000,
            10,
          );
          const reconnectMs = Date.now() - end;
          reconnects.push(reconnectMs);
          let resumeMs: number;
          if (blockingOnly) {
            resumeMs = await idlePickup();
            pickups.push(resumeMs);
          } else {
            const before = await completed();
            await waitFor(`work to resume after "${fault}"`, async () => (await completed()) > before, 30_000, 10);
            resumeMs = Date.now() - end;
          }
          resumes.push(resumeMs);
          rows.push([fault, affected, end - t0, reconnectMs, resumeMs]);
          if (blockingOnly) startProducing();
          await sleep(RECOVER_MS);
        }
      }
      await stopProducing();

      // ---------------------------------------------------------------- verification
      const acked = subs.filter((s) => s.acked);
      await waitForTasks(
        `all ${acked.length} acknowledged tasks to complete`,
        stack,
        queue,
        acked.map((s) => s.id),
        (t) => t?.status === 'completed',
        60_000,
      );
      const residue = await queueResidue(stack.redis, stack.keys, queue);
      expect(residue, 'no task left in started, none waiting').toEqual({ ready: 0, delayed: 0, started: 0 });
      const execs = await readExecutions(stack.recorder, stack.ns);
      for (const s of acked)
        expect(
          execs.get(s.i)?.some((r) => r.end !== null),
          `task ${s.i} ran`,
        ).toBe(true);
      for (const p of procs) expect(p.alive, `${p.name} still running (never restarted)`).toBe(true);
      const duplicates = [...execs.values()].reduce((a, runs) => a + Math.max(0, runs.length - 1), 0);

      results.set('faults injected', rows.length);
      results.set('faults survived', rows.length);
      results.set('processes behind the proxy', '2 workers, 1 scheduler');
      results.set('tasks acknowledged', acked.length);
      results.set('tasks completed', acked.length);
      results.set('tasks left in started', residue.started);
      results.set('tasks run more than once (lease expired during a fault)', duplicates);
      results.set('proxied connections accepted in total', proxy.accepted);
      results.setDistribution('fault end → all connections re-established', reconnects);
      results.setDistribution('fault end → processing resumed', resumes);
      results.setDistribution('idle pick-up after a blocking-connection fault (submit → started)', pickups);
      results.table(
        'Faults',
        ['fault', 'connections hit', 'duration (ms)', 'reconnected after (ms)', 'resumed after (ms)'],
        rows,
      );

      expect(
        Math.max(...pickups),
        `an idle worker picks up new work within the re-check interval (${IDLE_RECHECK_MS} ms) + 1 s`,
      ).toBeLessThanOrEqual(IDLE_RECHECK_MS + 1000);
      expect(Math.max(...resumes), 'processing resumes within 10 s of every fault').toBeLessThanOrEqual(10_000);
      results.check('every acknowledged task (immediate and scheduled) ended `completed` and its handler ran');
      results.check('no task left in `started`; ready list and delayed set empty');
      results.check(
        'after every fault all connections (worker, worker:sub, worker:blocking, scheduler, scheduler:sub) came back through the proxy, and processing resumed within 10 s',
      );
      results.check(
        `after the blocking connections were dropped or stalled, an idle worker picked up a new task within ${IDLE_RECHECK_MS + 1000} ms`,
      );
      results.check('the worker and scheduler processes are the original ones (never restarted)');
    }),
    scale(150_000, 900_000),
  );

  it(
    '[regression] an idle worker whose blocking connection silently dies (black-holed) still picks up new tasks',
    results.run(
      async () => {
        const { stack } = suite;
        // The first test's workers, now idle and waiting in BLPOP (or a fresh one if it failed early).
        let workers = procs.filter((p) => p.alive && p.name.includes('worker'));
        if (workers.length === 0) {
          const env = {
            ...stack.env({ WORKER_TTL: '0', WORKER_LEASE_TIMEOUT: String(LEASE_S) }),
            REDIS_URL: proxy.url,
          };
          workers = [spawnWorker('net-halfopen-worker', env)];
          procs.push(...workers);
          await workerIdentity(workers[0]!);
        }
        await waitFor(
          'the workers’ blocking connections',
          () => proxy.live(isBlocking).length >= workers.length,
          10_000,
        );
        await sleep(500);
        // Every blocking connection goes silent for good: no byte either way, no RST, no FIN.
        const holes = proxy.blackhole(isBlocking);
        expect(holes.length).toBe(workers.length);
        await sleep(300);
        const at = Date.now();
        const { id } = await stack.client.submit(relWork, { i: 1_000_000, ms: 1 });
        const bound = IDLE_RECHECK_MS + 3000;
        const picked = await waitFor(
          'the task to start',
          async () => ((await readTasks(stack.redis, stack.keys, 'default', [id])).get(id)?.startedAt ?? 0) > 0,
          bound,
          20,
        ).then(
          () => Date.now() - at,
          () => null,
        );
        results.set('black-holed blocking connection: idle pick-up (ms)', picked ?? `not within ${bound} ms`);
        expect(picked, `picked up within ${bound} ms (BLPOP timeout + grace + slack)`).not.toBeNull();
      },
      {
        bug: {
          title:
            'A worker whose blocking (BLPOP) connection dies silently — no RST/FIN, e.g. a NAT or firewall dropping the flow — stops picking up work while idle: BLPOP has no client-side timeout, so the wait loop never returns (TCP keepalive notices only after minutes)',
          fix: 'src/store/redis/connection.ts, createRedis(): for `blocking: true` connections set ioredis `blockingTimeout` (any positive value, e.g. 1000) so a BLPOP that is not answered within its own timeout + `blockingTimeoutGrace` is rejected; the worker’s waitLoop (src/worker/worker.ts) already catches the error and claims through the main connection. Better still, in src/store/redis/wake-waiter.ts WakeWaiter.wait(), on such a timeout call `this.blocking.disconnect(true)` so the dead socket is replaced (otherwise every BLPOP on it times out and wake-ups degrade to the idle re-check until TCP keepalive kills it). Verified in a scratch run: with blockingTimeout set the black-holed worker picked the task up in 0.5 s; without it, never.',
        },
      },
    ),
    60_000,
  );
});

/**
 * Reliability 1 — worker crash storm (DESIGN.md §2.1: claim + start + lease is one atomic step;
 * a SIGKILLed worker's tasks are recovered within a bounded time).
 *
 * Four real worker processes drain a stream of tasks while, every second, a random one is
 * SIGKILLed and a fresh one started. Right after each kill the dead worker's leases are read from
 * Redis: those are the tasks in flight at the kill, the only ones allowed to run twice. At the end
 * every acknowledged task must be completed, the queue empty, every extra run explained by a lease
 * recovery of a killed worker, and every recovery must have happened within the lease bound.
 */
import { describe, expect, it } from 'vitest';
import { NO_LIMITS } from '../../src/domain/queue-config.js';
import { buildApp } from '../../src/http/app.js';
import { TaskRegistry } from '../../src/tasks/registry.js';
import { scale, sleep, waitFor } from '../helpers/reliability-env.js';
import {
  leaseSnapshot,
  queueResidue,
  readExecutions,
  readTasks,
  terminalCounts,
  type LeaseEntry,
} from '../helpers/reliability-probe.js';
import { spawnWorker, STARTUP_MS, workerIdentity, type CliProcess } from '../helpers/reliability-procs.js';
import { ResultRecorder } from '../helpers/reliability-results.js';
import { reliabilitySuite } from '../helpers/reliability-suite.js';
import { relWork, type WorkParams } from './fixtures/tasks.js';

const TOTAL = scale(10_000, 50_000);
const WORKERS = 4;
const CONCURRENCY = 10;
const LEASE_S = 2;
const KILL_EVERY_MS = 1000;
/** Wait after a SIGKILLed worker's exit before reading its leases (see the kill loop). */
const KILL_SETTLE_MS = 300;
const MAX_KILLS = scale(15, 200);
/** The storm stops after this long even if tasks remain (the rest drain without kills). */
const STORM_MAX_MS = scale(30_000, 600_000);
/**
 * A worker CLI needs ~2.5 CPU-seconds to start (tsx + OpenTelemetry), so on two cores one kill per
 * second would leave no worker running at all. A tick only kills when at least this many workers
 * are up, so the storm never degenerates into "no worker"; skipped ticks are reported.
 */
const MIN_READY_TO_KILL = 2;
/** Keep the ready list short, so a recovered task (re-queued at the back) is re-run soon. */
const MAX_READY = 300;
const BATCH = 250;
/** Idle workers re-check their queues (and so recover expired leases) at least this often (worker.ts). */
const IDLE_RECHECK_MS = 2000;
const RECOVERY_BOUND_MS = LEASE_S * 1000 + IDLE_RECHECK_MS + 1500;

interface Kill {
  at: number;
  pid: number;
  owner: number;
  inflight: LeaseEntry[];
}

interface Slot {
  proc: CliProcess;
  owner: number | null;
}

const results = new ResultRecorder(
  'crash-storm',
  'Worker crash storm',
  'Tasks survive workers being SIGKILLed at any moment: every acknowledged task completes, only tasks in flight at a kill run again, and a dead worker’s tasks are re-queued within the lease bound.',
);

describe('reliability: worker crash storm', () => {
  const suite = reliabilitySuite(results, { tag: 'storm', tasks: [relWork] });

  it(
    `${TOTAL} tasks, ${WORKERS} workers, one SIGKILL per second: none lost, duplicates bounded by in-flight tasks`,
    results.run(async () => {
      const { stack } = suite;
      const queue = 'default';
      const workerEnv = stack.env({
        WORKER_CONCURRENT_TASKS: String(CONCURRENCY),
        WORKER_TTL: '0',
        WORKER_LEASE_TIMEOUT: String(LEASE_S),
        WORKER_SHUTDOWN_GRACE: '1',
      });
      const slots: Slot[] = [];
      const startups: number[] = [];
      let spawned = 0;
      const startWorker = () => {
        const proc = spawnWorker(`storm-worker-${spawned++}`, workerEnv);
        const slot: Slot = { proc, owner: null };
        slots.push(slot);
        workerIdentity(proc).then(
          (id) => {
            slot.owner = id.owner;
            startups.push(id.readyAt - proc.spawnedAt);
          },
          () => undefined,
        );
        return slot;
      };
      for (let i = 0; i < WORKERS; i++) startWorker();
      await waitFor('the first workers to start', () => slots.every((s) => s.owner !== null), STARTUP_MS);

      // Feeder: submits in batches, keeping the ready list short; every id in `acked` was acknowledged.
      const acked: string[] = new Array(TOTAL);
      let submitted = 0;
      let submitErrors = 0;
      const k = stack.keys.queue(queue);
      const feeder = (async () => {
        while (submitted < TOTAL) {
          if ((await stack.redis.llen(k.ready)) > MAX_READY) {
            await sleep(20);
            continue;
          }
          const n = Math.min(BATCH, TOTAL - submitted);
          const params: WorkParams[] = Array.from({ length: n }, (_, j) => ({
            i: submitted + j,
            ms: 5 + Math.floor(Math.random() * 25),
          }));
          const res = await stack.client.submitMany(relWork, params as unknown as Array<Record<string, unknown>>);
          res.forEach((r, j) => {
            if (r.ok) acked[submitted + j] = r.task.id;
            else submitErrors++;
          });
          submitted += n;
        }
      })();

      const completed = () => stack.redis.zcard(k.done('completed'));
      const t0 = Date.now();
      const kills: Kill[] = [];
      let feederDone = false;
      void feeder.then(() => (feederDone = true));
      // The storm: one SIGKILL per second until the work is done (or MAX_KILLS).
      let skippedTicks = 0;
      while (kills.length < MAX_KILLS && Date.now() - t0 < STORM_MAX_MS) {
        await sleep(KILL_EVERY_MS);
        if (feederDone && (await completed()) >= TOTAL) break;
        const ready = slots.filter((s) => s.proc.alive && s.owner !== null);
        if (ready.length < MIN_READY_TO_KILL) {
          skippedTicks++;
          continue;
        }
        const victim = ready[Math.floor(Math.random() * ready.length)] as Slot;
        const at = Date.now();
        await victim.proc.kill('SIGKILL');
        startWorker();
        // The dead worker's leases: its tasks in flight. Nobody can touch them until they expire
        // (≥ lease − renew interval ≈ 1.3 s after the kill). Read them a moment after the exit: a
        // claim the worker wrote to its socket just before dying is still executed by Redis.
        await sleep(KILL_SETTLE_MS);
        const inflight = (await leaseSnapshot(stack.redis, stack.keys, queue)).filter(
          (l) => l.owner === victim.owner && l.status === 'started',
        );
        kills.push({ at, pid: victim.proc.pid, owner: victim.owner as number, inflight });
        slots.splice(slots.indexOf(victim), 1);
        if (process.env.RELIABILITY_DEBUG)
          console.log('kill', kills.length, {
            t: Date.now() - t0,
            inflight: inflight.length,
            completed: await completed(),
            submitted,
            ready: slots.filter((s) => s.owner !== null).length,
          });
      }
      const stormMs = Date.now() - t0;
      if (process.env.RELIABILITY_DEBUG)
        console.log('storm over', { stormMs, kills: kills.length, completed: await completed(), submitted });
      await feeder;
      await waitFor(
        `all ${TOTAL} tasks to complete`,
        async () => (await completed()) >= TOTAL,
        scale(90_000, 600_000),
        200,
      );
      const drainMs = Date.now() - t0;

      // ---------------------------------------------------------------- verification
      expect(submitErrors).toBe(0);
      expect(acked.filter(Boolean)).toHaveLength(TOTAL);
      const residue = await queueResidue(stack.redis, stack.keys, queue);
      expect(residue).toEqual({ ready: 0, delayed: 0, started: 0 });
      expect(await terminalCounts(stack.redis, stack.keys, queue)).toEqual({
        completed: TOTAL,
        failed: 0,
        cancelled: 0,
        stalled: 0,
        dropped: 0,
      });

      const states = await readTasks(stack.redis, stack.keys, queue, acked);
      const execs = await readExecutions(stack.recorder, stack.ns);
      const missing = acked.filter((id) => states.get(id)?.status !== 'completed');
      expect(missing, 'acknowledged tasks that did not end completed').toEqual([]);

      // How many kills caught each task in flight.
      const caught = new Map<string, number>();
      for (const kill of kills) for (const l of kill.inflight) caught.set(l.id, (caught.get(l.id) ?? 0) + 1);
      let duplicateRuns = 0;
      let duplicateTasks = 0;
      let completedTwice = 0;
      const unexplained: string[] = [];
      const unexplainedDetail: string[] = [];
      for (let i = 0; i < TOTAL; i++) {
        const id = acked[i] as string;
        const st = states.get(id)!;
        const runs = execs.get(i) ?? [];
        if (!runs.some((r) => r.end !== null)) throw new Error(`task ${i} (${id}) never ran to completion`);
        // Every claim beyond the first is explained by one lease recovery (LeaseExpired entry) …
        const recoveries = st.errors.filter((e) => e.type === 'LeaseExpired').length;
        if (st.starts - 1 !== recoveries)
          throw new Error(`task ${i}: ${st.starts} claims but ${recoveries} lease recoveries`);
        if (runs.length > st.starts)
          throw new Error(`task ${i}: ${runs.length} runs recorded but only ${st.starts} claims`);
        if (runs.length > 1) {
          duplicateTasks++;
          duplicateRuns += runs.length - 1;
        }
        if (runs.filter((r) => r.end !== null).length > 1) completedTwice++;
        // … of a worker that had been killed with the task in flight, once per kill.
        if (recoveries !== (caught.get(id) ?? 0)) {
          unexplained.push(id);
          // Diagnostic: how long after the nearest earlier kill was it recovered?
          for (const e of st.errors.filter((x) => x.type === 'LeaseExpired')) {
            const prior = kills.filter((k) => k.at <= Number(e.at)).pop();
            unexplainedDetail.push(
              prior ? `${Number(e.at) - prior.at} ms after kill of pid ${prior.pid}` : 'before any kill',
            );
          }
        }
      }
      const indexOf = new Map(acked.map((id, i) => [id, i]));
      const recoveryMs: number[] = [];
      const expiryToRequeueMs: number[] = [];
      const rerunMs: number[] = [];
      for (const kill of kills) {
        for (const lease of kill.inflight) {
          const st = states.get(lease.id)!;
          // Number(): entries written by Lua decode as BigInt (see redis-lease-error-time.test.ts).
          const recAt = st.errors
            .map((e) => (e.type === 'LeaseExpired' ? Number(e.at) : -1))
            .find((at) => at >= kill.at);
          if (recAt === undefined) continue;
          recoveryMs.push(recAt - kill.at);
          expiryToRequeueMs.push(Math.max(0, recAt - lease.deadline));
          const rerun = (execs.get(indexOf.get(lease.id) as number) ?? []).find((r) => r.start >= recAt);
          if (rerun) rerunMs.push(rerun.start - kill.at);
        }
      }
      const inflightAtKills = kills.reduce((a, k) => a + k.inflight.length, 0);

      results.set('tasks acknowledged', TOTAL);
      results.set('tasks completed', TOTAL - missing.length);
      results.set('tasks lost', missing.length);
      results.set('worker processes', WORKERS);
      results.set('WORKER_CONCURRENT_TASKS', CONCURRENCY);
      results.set('WORKER_LEASE_TIMEOUT (s)', LEASE_S);
      results.set('SIGKILLs', kills.length);
      results.set('worker processes started in total', spawned);
      results.set('kill ticks skipped (fewer than 2 workers up)', skippedTicks);
      results.set('tasks in flight at the kills (sum)', inflightAtKills);
      results.set('tasks run more than once', duplicateTasks);
      results.set('duplicate runs (runs beyond the first)', duplicateRuns);
      results.set('tasks whose handler completed twice', completedTwice);
      results.set('lease recoveries not caused by a kill', unexplained.length);
      results.setDistribution('recovery: kill → task re-queued', recoveryMs);
      results.setDistribution('recovery: lease expiry → task re-queued', expiryToRequeueMs);
      results.setDistribution('recovery: kill → task re-run started', rerunMs);
      results.setDistribution('worker start-up (spawn → ready)', startups);
      results.set('storm duration (s)', Math.round(stormMs / 100) / 10);
      results.set('time to drain everything (s)', Math.round(drainMs / 100) / 10);
      results.set('throughput under the storm (tasks/s)', Math.round(TOTAL / (drainMs / 1000)));
      results.table(
        'Kills (first 15)',
        ['#', 'at (s)', 'pid', 'tasks in flight'],
        kills.slice(0, 15).map((k, n) => [n + 1, Math.round((k.at - t0) / 100) / 10, String(k.pid), k.inflight.length]),
      );

      expect(kills.length, 'the storm killed workers').toBeGreaterThanOrEqual(scale(5, 30));
      expect(inflightAtKills, 'kills caught tasks in flight').toBeGreaterThan(0);
      expect(
        unexplained,
        `tasks recovered although their worker was alive (${[...new Set(unexplainedDetail)].slice(0, 5).join('; ')})`,
      ).toEqual([]);
      expect(duplicateRuns, 'duplicate runs ≤ tasks in flight at the kills').toBeLessThanOrEqual(inflightAtKills);
      expect(Math.max(0, ...recoveryMs), `kill → re-queue within ${RECOVERY_BOUND_MS} ms`).toBeLessThanOrEqual(
        RECOVERY_BOUND_MS,
      );
      expect(Math.max(0, ...expiryToRequeueMs), 'lease expiry → re-queue within the idle re-check').toBeLessThanOrEqual(
        IDLE_RECHECK_MS + 1500,
      );
      // Every in-flight task was recovered and re-run (none stranded behind a dead lease).
      expect(recoveryMs.length).toBe(inflightAtKills);
      expect(rerunMs.length).toBe(inflightAtKills);

      results.check(
        `all ${TOTAL.toLocaleString('en-US')} acknowledged tasks ended \`completed\`; ready list, delayed set and lease set empty`,
      );
      results.check('every task’s handler ran to completion at least once (fixture records)');
      results.check(
        'every claim beyond the first is matched by exactly one `LeaseExpired` recovery, and every recovered task was in flight on a killed worker',
      );
      results.check('duplicate runs ≤ tasks in flight at the kills');
      results.check(
        `every in-flight task was re-queued within ${RECOVERY_BOUND_MS} ms of its worker’s kill (lease ${LEASE_S} s + idle re-check ${IDLE_RECHECK_MS} ms + 1.5 s slack) and re-run`,
      );
    }),
    scale(180_000, 1_200_000),
  );

  it(
    '[regression] a task recovered from an expired lease reads back as plain JSON with a real error time',
    results.run(
      async () => {
        const { stack } = suite;
        // A queue no role consumes, so only this test touches the task.
        await stack.client.runtime.config.createQueue({
          name: 'parked',
          maxConcurrent: null,
          rateNumerator: null,
          rateDenominator: null,
          ratePeriod: null,
        });
        await stack.client.runtime.notifyConfigChanged();
        const { id } = await stack.client.submit(relWork, { i: -1 }, { queue: 'parked' });
        const store = stack.client.runtime.store;
        const claim = await store.claim({
          queue: 'parked',
          owner: 4242,
          leaseMs: 1,
          want: 1,
          limits: NO_LIMITS,
          completions: [],
        });
        expect(claim.claimed.map((t) => t.id)).toEqual([id]);
        await sleep(20);
        const before = Date.now();
        expect(await store.recoverExpiredLeases('parked', 10)).toBe(1);
        const task = (await stack.client.getTask(id))!;
        const entry = task.errors[0]!;
        const app = await buildApp({
          runtime: stack.client.runtime,
          registry: new TaskRegistry([relWork]),
          settings: { apiToken: null, readonlyToken: null, corsOrigins: [], bodyLimit: 1_048_576 },
        });
        const res = await app.inject({ method: 'GET', url: `/tasks/${id}` });
        await app.close();
        const shown = (JSON.parse(res.body) as { errors?: Array<{ timestamp: string }> }).errors?.[0]?.timestamp;
        // Lua's cmsgpack packs the 13-digit time as uint64, which msgpackr decodes as a BigInt: the
        // client sees a bigint (JSON.stringify throws) and the API shows 1970-01-01.
        expect({
          type: entry.type,
          atType: typeof entry.at,
          json: (() => {
            try {
              JSON.stringify(task);
              return 'ok';
            } catch (e) {
              return (e as Error).message;
            }
          })(),
          http: res.statusCode,
          shownYear: shown?.slice(0, 4),
        }).toEqual({
          type: 'LeaseExpired',
          atType: 'number',
          json: 'ok',
          http: 200,
          shownYear: String(new Date(before).getUTCFullYear()),
        });
      },
      {
        bug: {
          title:
            'Errors written by Lua (the `LeaseExpired` entry of every lease recovery) read back with `at` as a BigInt: JSON.stringify of the task record throws in the client, and GET /tasks/{id} shows the error at 1970-01-01',
          fix: "src/store/redis/record-codec.ts: create the Unpackr with `int64AsType: 'number'` (all stored times are epoch ms, far below 2^53), or normalise in decodeErrors() with `at: Number(e.at), attempt: Number(e.attempt)`. (Alternatively in lua/_lib.lua append_error(), but the decoder is the one place that sees every entry.)",
        },
      },
    ),
    30_000,
  );
});

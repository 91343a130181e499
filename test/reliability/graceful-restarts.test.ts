/**
 * Reliability 2 — graceful rolling restarts (DESIGN.md §2.4: SIGTERM stops fetching, then applies
 * each running task's on_shutdown policy: stop → stalled, resubmit → re-queued at once without
 * using a retry, continue → awaited for a bounded grace period, then re-queued).
 *
 * Three real workers are kept saturated with a mix of tasks of every policy while each worker in
 * turn gets SIGTERM and is replaced; at the end the remaining workers get SIGTERM together and a
 * last worker drains what they re-queued. The fixture records which process ran each execution and
 * when it started, ended or was aborted, so every task a SIGTERM caught is checked against its
 * policy individually.
 */
import { describe, expect, it } from 'vitest';
import { scale, sleep, waitFor } from '../helpers/reliability-env.js';
import {
  queueResidue,
  readExecutions,
  readTasks,
  terminalCounts,
  type Execution,
} from '../helpers/reliability-probe.js';
import { spawnWorker, workerIdentity, type CliProcess, type ExitInfo } from '../helpers/reliability-procs.js';
import { ResultRecorder } from '../helpers/reliability-results.js';
import { reliabilitySuite } from '../helpers/reliability-suite.js';
import { relContinue, relResubmit, relStop, type WorkParams } from './fixtures/tasks.js';

const WORKERS = 3;
const CONCURRENCY = 8;
const GRACE_S = 3;
const GRACE_MS = GRACE_S * 1000;
/** Long enough that no lease expires in this scenario: every outcome comes from the shutdown path. */
const LEASE_S = 15;
const ROUNDS = scale(1, 5);
/** How long a worker may take to act on a SIGTERM on a loaded machine (abort bound). */
const SIGNAL_SLACK_MS = 2000;

type Kind = 'stop' | 'resubmit' | 'continue' | 'continue-long';
const KINDS: Record<Kind, { def: typeof relStop; ms: number; rerunMs?: number; perCycle: number }> = {
  stop: { def: relStop, ms: 4000, perCycle: 2 },
  resubmit: { def: relResubmit, ms: 4000, rerunMs: 300, perCycle: 2 },
  continue: { def: relContinue, ms: 1500, perCycle: 5 },
  'continue-long': { def: relContinue, ms: 8000, rerunMs: 300, perCycle: 1 },
};

interface Sigterm {
  proc: CliProcess;
  at: number;
  exit: ExitInfo;
}

interface Submitted {
  i: number;
  id: string;
  kind: Kind;
  ms: number;
  rerunMs: number;
}

const results = new ResultRecorder(
  'graceful-restarts',
  'Graceful rolling restarts',
  'SIGTERM applies each running task’s on_shutdown policy — stop → stalled, resubmit → re-queued at once without using a retry and completed by another worker, continue → awaited within the grace period (re-queued when it runs past it) — and no task is lost.',
);

describe('reliability: graceful rolling restarts', () => {
  const suite = reliabilitySuite(results, { tag: 'roll', tasks: [relStop, relResubmit, relContinue] });

  it(
    'rolling SIGTERM of every worker: each on_shutdown policy is honoured and nothing is lost',
    results.run(async () => {
      const { stack } = suite;
      const queue = 'default';
      const k = stack.keys.queue(queue);
      const env = stack.env({
        WORKER_CONCURRENT_TASKS: String(CONCURRENCY),
        WORKER_TTL: '0',
        WORKER_LEASE_TIMEOUT: String(LEASE_S),
        WORKER_SHUTDOWN_GRACE: String(GRACE_S),
      });
      let n = 0;
      const start = () => spawnWorker(`roll-worker-${n++}`, env);
      const workers = Array.from({ length: WORKERS }, start);
      await Promise.all(workers.map((w) => workerIdentity(w)));

      // Feeder: keeps a short backlog so every worker is always busy with a mix of policies.
      // Per cycle, counts are inversely proportional to durations, so each kind holds about the same share of slots.
      const submitted: Submitted[] = [];
      let feeding = true;
      const feeder = (async () => {
        while (feeding) {
          if ((await stack.redis.llen(k.ready)) >= 4) {
            await sleep(100);
            continue;
          }
          for (const [kind, spec] of Object.entries(KINDS) as Array<[Kind, (typeof KINDS)[Kind]]>) {
            const params: WorkParams[] = Array.from({ length: spec.perCycle }, (_, j) => ({
              i: submitted.length + j,
              ms: spec.ms,
              ...(spec.rerunMs ? { rerunMs: spec.rerunMs } : {}),
            }));
            const res = await stack.client.submitMany(spec.def, params as unknown as Array<Record<string, unknown>>);
            res.forEach((r, j) => {
              if (!r.ok) throw r.error;
              submitted.push({
                i: (params[j] as WorkParams).i,
                id: r.task.id,
                kind,
                ms: spec.ms,
                rerunMs: spec.rerunMs ?? spec.ms,
              });
            });
          }
        }
      })();
      await sleep(3000); // every slot filled

      const sigterms: Sigterm[] = [];
      const terminate = async (w: CliProcess) => {
        const at = Date.now();
        w.signal('SIGTERM');
        const exit = await w.exited;
        sigterms.push({ proc: w, at, exit });
      };
      // Rolling restart: SIGTERM one worker, start its replacement at once, wait until it is up.
      for (let round = 0; round < ROUNDS; round++) {
        for (let j = 0; j < WORKERS; j++) {
          const old = workers[j] as CliProcess;
          const replacement = start();
          await terminate(old);
          workers[j] = replacement;
          await workerIdentity(replacement);
          await sleep(1500); // let the newcomer fill its slots before the next SIGTERM
        }
      }
      // Then everybody at once (e.g. a deploy stopping the whole fleet).
      feeding = false;
      await feeder;
      await Promise.all(workers.map(terminate));
      // A last worker drains what the shutdowns re-queued.
      const finisher = start();
      const total = submitted.length;
      const terminal = async () =>
        Object.values(await terminalCounts(stack.redis, stack.keys, queue)).reduce((a, b) => a + b, 0);
      await waitFor(
        `all ${total} tasks to reach a terminal status`,
        async () => (await terminal()) >= total,
        60_000,
        200,
      );
      await terminate(finisher);

      // ---------------------------------------------------------------- verification
      const states = await readTasks(
        stack.redis,
        stack.keys,
        queue,
        submitted.map((s) => s.id),
      );
      const execs = await readExecutions(stack.recorder, stack.ns);
      expect(await queueResidue(stack.redis, stack.keys, queue)).toEqual({ ready: 0, delayed: 0, started: 0 });

      const hits: Record<Kind, number> = { stop: 0, resubmit: 0, continue: 0, 'continue-long': 0 };
      const continueAwaited: number[] = [];
      const continueRequeued: number[] = [];
      const resubmitRequeueMs: number[] = [];
      const stopStallMs: number[] = [];
      const exitMs: number[] = [];
      let finishedBeforeHandled = 0;
      /** Stop tasks a SIGTERM actually aborted: these, and only these, must end stalled. */
      const stalledExpected = new Set<number>();
      const hitTasks = new Map<number, Array<{ sig: Sigterm; run: Execution }>>();
      for (const sig of sigterms) {
        // A graceful exit, within the grace period (plus start-up of the shutdown path and slack).
        expect(sig.exit.code, `worker ${sig.proc.pid} exit code`).toBe(0);
        exitMs.push(sig.exit.at - sig.at);
        for (const runs of execs.values()) {
          for (const run of runs) {
            if (run.pid !== sig.proc.pid || run.start > sig.at) continue;
            if ((run.end !== null && run.end <= sig.at) || (run.abort !== null && run.abort <= sig.at)) continue;
            const list = hitTasks.get(run.i);
            if (list) list.push({ sig, run });
            else hitTasks.set(run.i, [{ sig, run }]);
          }
        }
      }
      const byIndex = new Map(submitted.map((s) => [s.i, s]));
      for (const [i, caught] of hitTasks) {
        const task = byIndex.get(i) as Submitted;
        const st = states.get(task.id)!;
        const runs = execs.get(i) ?? [];
        for (const { sig, run } of caught) {
          const later = runs.filter((r) => r.start > run.start);
          const label = `${task.kind} task ${i} caught by SIGTERM of ${sig.proc.pid}`;
          const naturalEnd = run.start + (runs.indexOf(run) === 0 ? task.ms : task.rerunMs);
          // A stop/resubmit run that was about to end may finish on its own before the worker handles
          // the signal (the test sends it; the worker's event loop acts on it a moment later).
          if (
            (task.kind === 'stop' || task.kind === 'resubmit') &&
            run.end !== null &&
            naturalEnd <= sig.at + SIGNAL_SLACK_MS
          ) {
            finishedBeforeHandled++;
            continue;
          }
          hits[task.kind]++;
          if (task.kind === 'stop') {
            stalledExpected.add(i);
            expect(run.abortCause, label).toBe('shutdown');
            expect(run.abort! - sig.at, label).toBeLessThan(SIGNAL_SLACK_MS);
            expect(later, `${label}: a stalled task is never re-run`).toHaveLength(0);
            expect(st.status, label).toBe('stalled');
            stopStallMs.push(st.completedAt - sig.at);
          } else if (task.kind === 'resubmit') {
            expect(run.abortCause, label).toBe('shutdown');
            expect(run.abort! - sig.at, label).toBeLessThan(SIGNAL_SLACK_MS);
            const next = later[0];
            expect(next, `${label}: re-run`).toBeDefined();
            expect(next!.pid, `${label}: re-run by another worker`).not.toBe(sig.proc.pid);
            if (caught.length === 1 && later.every((r) => r.abort === null))
              resubmitRequeueMs.push(st.submittedAt - sig.at);
          } else {
            // continue: awaited when it can finish within the grace period, else re-queued when it expires.
            if (naturalEnd <= sig.at + GRACE_MS - 1000) {
              expect(run.end, `${label}: finished by the same worker`).not.toBeNull();
              expect(run.end! - sig.at, label).toBeLessThanOrEqual(GRACE_MS);
              expect(sig.exit.at, `${label}: the worker waited for it`).toBeGreaterThanOrEqual(run.end!);
              continueAwaited.push(run.end! - sig.at);
            } else if (naturalEnd >= sig.at + GRACE_MS + 300) {
              expect(run.abortCause, label).toBe('shutdown');
              expect(run.abort! - sig.at, `${label}: aborted when the grace period ran out`).toBeGreaterThanOrEqual(
                GRACE_MS - 100,
              );
              expect(run.abort! - sig.at, label).toBeLessThan(GRACE_MS + 1500);
              expect(later[0]?.pid, `${label}: re-run by another worker`).not.toBe(sig.proc.pid);
              continueRequeued.push(run.abort! - sig.at);
            }
          }
        }
      }
      // Every task ended visibly; only stop tasks caught by a SIGTERM are stalled; no retry was used.
      for (const s of submitted) {
        const st = states.get(s.id);
        expect(st, `task ${s.i} exists`).toBeTruthy();
        expect(st!.status, `${s.kind} task ${s.i}`).toBe(stalledExpected.has(s.i) ? 'stalled' : 'completed');
        expect(st!.retryAttempt, `${s.kind} task ${s.i}: shutdown never uses a retry`).toBe(0);
        expect(
          st!.errors.filter((e) => e.type === 'LeaseExpired'),
          `${s.kind} task ${s.i}: no lease expired`,
        ).toEqual([]);
        if (s.kind !== 'stop')
          expect(
            (execs.get(s.i) ?? []).some((r) => r.end !== null),
            `task ${s.i} ran to completion`,
          ).toBe(true);
      }

      results.set('worker processes started', n);
      results.set('SIGTERMs (rolling + final + finisher)', sigterms.length);
      results.set('WORKER_SHUTDOWN_GRACE (s)', GRACE_S);
      results.set('tasks submitted', total);
      results.set('tasks lost', submitted.filter((s) => !states.get(s.id)).length);
      results.set('tasks completed', submitted.filter((s) => states.get(s.id)?.status === 'completed').length);
      results.set(
        'tasks stalled (stop policy, caught by SIGTERM)',
        submitted.filter((s) => states.get(s.id)?.status === 'stalled').length,
      );
      results.set('stop tasks caught by SIGTERM', hits.stop);
      results.set('runs that ended on their own while the SIGTERM was being delivered', finishedBeforeHandled);
      results.set('resubmit tasks caught by SIGTERM', hits.resubmit);
      results.set('continue tasks caught by SIGTERM', hits.continue + hits['continue-long']);
      results.set('continue tasks awaited to completion', continueAwaited.length);
      results.set('continue tasks re-queued at the end of the grace period', continueRequeued.length);
      results.set(
        'retries consumed by shutdowns',
        submitted.filter((s) => (states.get(s.id)?.retryAttempt ?? 0) > 0).length,
      );
      results.setDistribution('SIGTERM → worker exited', exitMs);
      results.setDistribution('stop: SIGTERM → task stalled', stopStallMs);
      results.setDistribution('resubmit: SIGTERM → task re-queued', resubmitRequeueMs);
      results.setDistribution('continue: SIGTERM → awaited task finished', continueAwaited);
      results.setDistribution('continue: SIGTERM → overrunning task re-queued', continueRequeued);

      for (const kind of Object.keys(hits) as Kind[])
        expect(hits[kind], `${kind} tasks caught by a SIGTERM`).toBeGreaterThan(0);
      expect(continueAwaited.length).toBeGreaterThan(0);
      expect(continueRequeued.length).toBeGreaterThan(0);
      expect(Math.max(...exitMs), 'every worker exited within the grace period + 3 s').toBeLessThanOrEqual(
        GRACE_MS + 3000,
      );
      expect(Math.max(0, ...stopStallMs), 'stop → stalled at once').toBeLessThan(SIGNAL_SLACK_MS);
      expect(Math.max(0, ...resubmitRequeueMs), 'resubmit → re-queued at once').toBeLessThan(SIGNAL_SLACK_MS);

      results.check('every worker exited with code 0 within the grace period + 3 s of its SIGTERM');
      results.check('stop: every task caught by a SIGTERM was aborted at once, ended `stalled`, and never ran again');
      results.check(
        'resubmit: every task caught was aborted at once, re-queued without using a retry, and re-run by another worker to completion',
      );
      results.check(
        'continue: tasks able to finish within the grace period were awaited by the same worker; those running past it were re-queued when it ran out and completed elsewhere',
      );
      results.check(
        'every submitted task ended `completed` or (stop policy, caught) `stalled`; no retry consumed, no lease expired; queue structures empty',
      );
    }),
    scale(150_000, 900_000),
  );
});

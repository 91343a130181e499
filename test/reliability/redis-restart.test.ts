/**
 * Reliability 3 — Redis restarts (DESIGN.md §2.1: submissions acknowledged to a client survive a
 * Redis restart when persistence is on; processes ride out the restart without being restarted).
 *
 * A private redis-server with `--appendonly yes --appendfsync always` is restarted twice under
 * load — once killed with SIGKILL, once stopped with SHUTDOWN — while two workers, a scheduler and
 * an in-process client keep going. Every submission the client acknowledged must complete; the
 * processes must be the same ones at the end (nobody restarted them); their connections must be
 * back by themselves. Submissions that failed during the outage may or may not exist, but if they
 * exist they too must end in a terminal status.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { newTaskId } from '../../src/domain/ids.js';
import { isTerminal } from '../../src/domain/status.js';
import { scale, sleep, waitFor } from '../helpers/reliability-env.js';
import {
  readExecutions,
  readTasks,
  terminalCounts,
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
import { ResultRecorder } from '../helpers/reliability-results.js';
import { reliabilitySuite } from '../helpers/reliability-suite.js';
import { relWork } from './fixtures/tasks.js';

const WORKERS = 2;
const PRODUCERS = 3;
const LEASE_S = 10;
const OUTAGE_MS = 1000;
const RUN_BETWEEN_MS = scale(3000, 20_000);
const RESTARTS: Array<'SIGKILL' | 'SHUTDOWN'> = scale(
  ['SIGKILL', 'SHUTDOWN'],
  ['SIGKILL', 'SHUTDOWN', 'SIGKILL', 'SHUTDOWN', 'SIGKILL', 'SHUTDOWN'],
);

interface Submission {
  id: string;
  i: number;
  scheduled: boolean;
  sentAt: number;
  ackedAt: number | null;
  error: string | null;
}

const results = new ResultRecorder(
  'redis-restart',
  'Redis restart (AOF, appendfsync always)',
  'Every submission acknowledged before or during a Redis crash or restart completes; workers, scheduler and client reconnect by themselves.',
);

/** CLIENT LIST → count of connections per name. */
async function connectionsByName(admin: Redis): Promise<Map<string, number>> {
  const list = (await admin.client('LIST')) as string;
  const counts = new Map<string, number>();
  for (const line of list.split('\n')) {
    const name = /(?:^| )name=(\S*)/.exec(line)?.[1];
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

describe('reliability: Redis restart', () => {
  let admin: Redis;
  // The fixture records executions on the shared Redis, which is not restarted.
  const suite = reliabilitySuite(results, {
    tag: 'rrst',
    tasks: [relWork],
    redisArgs: ['--appendonly', 'yes', '--appendfsync', 'always'],
    extra: async (redis) => {
      admin = redis.connect();
      admin.on('error', () => undefined);
      return () => admin.disconnect();
    },
  });

  it(
    'SIGKILL and SHUTDOWN of Redis mid-run: acknowledged submissions complete, processes reconnect on their own',
    results.run(async () => {
      const { redis, stack } = suite;
      const queue = 'default';
      const env = stack.env({
        WORKER_CONCURRENT_TASKS: '8',
        WORKER_TTL: '0',
        WORKER_LEASE_TIMEOUT: String(LEASE_S),
        SCHEDULER_POLL_INTERVAL: '0.5',
        SCHEDULER_BATCH_SIZE: '50',
      });
      const workers = Array.from({ length: WORKERS }, (_, j) => spawnWorker(`rrst-worker-${j}`, env));
      const scheduler = spawnCli('scheduler', { name: 'rrst-scheduler', env });
      const procs: CliProcess[] = [...workers, scheduler];
      await Promise.all(workers.map((w) => workerIdentity(w)));
      await schedulerStarted(scheduler);

      // Producers: one submission at a time each; half immediate, half scheduled 0.3–1.5 s ahead.
      const subs: Submission[] = [];
      let producing = true;
      const producer = async () => {
        while (producing) {
          const scheduled = subs.length % 2 === 1;
          const s: Submission = {
            id: newTaskId(),
            i: subs.length,
            scheduled,
            sentAt: Date.now(),
            ackedAt: null,
            error: null,
          };
          subs.push(s);
          try {
            await stack.client.submit(
              relWork,
              { i: s.i, ms: 30 },
              { id: s.id, ...(scheduled ? { runAt: Date.now() + 300 + Math.floor(Math.random() * 1200) } : {}) },
            );
            s.ackedAt = Date.now();
          } catch (err) {
            s.error = `${(err as { code?: string }).code ?? ''} ${(err as Error).message}`.trim();
            await sleep(50);
          }
          await sleep(10);
        }
      };
      const producers = Array.from({ length: PRODUCERS }, producer);
      await sleep(RUN_BETWEEN_MS);

      const restarts: Array<Record<string, number | string | null>> = [];
      const reconnectMs = new Map<string, number[]>();
      for (const how of RESTARTS) {
        const before = await connectionsByName(admin);
        const expected = [...before].filter(([name]) => name.startsWith('jobbers-'));
        const ackedBefore = subs.filter((s) => s.ackedAt !== null).length;
        const downAt = Date.now();
        if (how === 'SIGKILL') await redis.crash();
        else await redis.shutdown();
        await sleep(OUTAGE_MS);
        await redis.launch(); // same port, same directory: the AOF is replayed
        const upAt = redis.readyAt;
        // Every process's connections come back by themselves.
        const seen = new Map<string, number>();
        await waitFor(
          'every jobbers connection to reconnect',
          async () => {
            const now = await connectionsByName(admin).catch(() => new Map<string, number>());
            for (const [name, count] of expected)
              if (!seen.has(name) && (now.get(name) ?? 0) >= count) seen.set(name, Date.now() - upAt);
            return seen.size === expected.length;
          },
          30_000,
          25,
        );
        for (const [name, ms] of seen) reconnectMs.set(name, [...(reconnectMs.get(name) ?? []), ms]);
        // First acknowledged submission and first completion after the restart.
        await waitFor(
          'a submission acknowledged after the restart',
          () => subs.some((s) => (s.ackedAt ?? 0) > upAt),
          30_000,
          10,
        );
        const completedAtUp = await stack.redis.zcard(stack.keys.queue(queue).done('completed'));
        await waitFor(
          'a task completed after the restart',
          async () => (await stack.redis.zcard(stack.keys.queue(queue).done('completed'))) > completedAtUp,
          30_000,
          10,
        );
        restarts.push({
          how,
          'outage (ms)': upAt - downAt,
          'acked before': ackedBefore,
          connections: expected.reduce((a, [, c]) => a + c, 0),
          'all reconnected (ms)': Math.max(...seen.values()),
          'first ack after (ms)': Math.min(
            ...subs.filter((s) => (s.ackedAt ?? 0) > upAt).map((s) => (s.ackedAt as number) - upAt),
          ),
        });
        await sleep(RUN_BETWEEN_MS);
      }
      producing = false;
      await Promise.all(producers);

      // ---------------------------------------------------------------- verification
      const acked = subs.filter((s) => s.ackedAt !== null);
      const failed = subs.filter((s) => s.ackedAt === null);
      await waitForTasks(
        `all ${acked.length} acknowledged tasks to complete`,
        stack,
        queue,
        acked.map((s) => s.id),
        (t) => t?.status === 'completed',
        60_000,
      );
      const states = await readTasks(
        stack.redis,
        stack.keys,
        queue,
        subs.map((s) => s.id),
      );
      const execs = await readExecutions(stack.recorder, stack.ns);
      const lost = acked.filter((s) => states.get(s.id)?.status !== 'completed');
      expect(lost, 'acknowledged submissions that did not complete').toEqual([]);
      for (const s of acked)
        expect(
          execs.get(s.i)?.some((r) => r.end !== null),
          `task ${s.i} ran`,
        ).toBe(true);
      // Failed submissions: absent, or present and finished (never stuck).
      const failedPresent = failed.filter((s) => states.get(s.id));
      await waitForTasks(
        'failed-but-stored submissions to finish',
        stack,
        queue,
        failedPresent.map((s) => s.id),
        (t) => isTerminal(t!.status),
        30_000,
      );
      await waitForEmptyQueue('queue structures to drain', stack, queue, 30_000, 250);
      // The same processes, never restarted, still running.
      for (const p of procs) expect(p.alive, `${p.name} (pid ${p.pid}) still running`).toBe(true);
      const counts = await terminalCounts(stack.redis, stack.keys, queue);
      expect(
        counts.failed + counts.stalled + counts.dropped + counts.cancelled,
        'no task ended other than completed',
      ).toBe(0);

      const dupRuns = [...execs.values()].reduce((a, runs) => a + Math.max(0, runs.length - 1), 0);
      results.set('Redis persistence', 'appendonly yes, appendfsync always');
      results.set('restarts', RESTARTS.join(', '));
      results.set('processes (restarted by the test: none)', `${WORKERS} workers, 1 scheduler, 1 in-process client`);
      results.set('submissions attempted', subs.length);
      results.set('submissions acknowledged', acked.length);
      results.set('acknowledged submissions completed', acked.length - lost.length);
      results.set('acknowledged submissions lost', lost.length);
      results.set('submissions that failed during an outage', failed.length);
      results.set('… of which stored anyway (and finished)', failedPresent.length);
      results.set('scheduled submissions acknowledged', acked.filter((s) => s.scheduled).length);
      results.set('tasks run more than once', dupRuns);
      results.set('connections that must reconnect per restart', [...reconnectMs.keys()].sort().join(', '));
      results.set('slowest reconnect after a restart (ms)', Math.max(...[...reconnectMs.values()].flat()));
      results.table(
        'Restarts',
        ['how', 'outage (ms)', 'acked before', 'connections', 'all reconnected (ms)', 'first ack after (ms)'],
        restarts.map((r) => [
          r.how as string,
          r['outage (ms)'] as number,
          r['acked before'] as number,
          r.connections as number,
          r['all reconnected (ms)'] as number,
          r['first ack after (ms)'] as number,
        ]),
      );
      const errorKinds = new Map<string, number>();
      for (const s of failed) {
        const kind = (s.error ?? '').replace(/[0-9A-HJKMNP-TV-Z]{26}/g, '<id>').slice(0, 90);
        errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
      }
      if (errorKinds.size)
        results.table(
          'Errors the client saw during the outages',
          ['error', 'count'],
          [...errorKinds].map(([e, c]) => [e, c]),
        );

      expect(acked.length).toBeGreaterThan(50);
      results.check('every acknowledged submission (immediate and scheduled) ended `completed` and its handler ran');
      results.check('submissions that failed during an outage are either absent or finished — none stuck');
      results.check('ready list, delayed set and lease set empty at the end; no task failed, stalled or was dropped');
      results.check(
        'every worker, scheduler and client connection reappeared in CLIENT LIST after each restart, and the processes are the original ones (never restarted)',
      );
    }),
    scale(120_000, 600_000),
  );
});

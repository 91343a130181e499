/**
 * Real worker processes (the jobbers_worker CLI) against real Redis and SQLite: global limits,
 * SIGKILL recovery, SIGTERM shutdown policies.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createStack, waitUntil, type Stack } from '../helpers/stack.js';
import { ROOT, spawnCli, type CliProcess } from '../helpers/processes.js';
import * as fixtures from '../fixtures/process-tasks.js';

const MODULE = join(ROOT, 'test/fixtures/process-tasks.ts');
const defs = Object.values(fixtures);

describe('worker processes', () => {
  let stack: Stack;
  let procs: CliProcess[] = [];
  beforeEach(async () => {
    stack = await createStack(defs);
    procs = [];
  });
  afterEach(async () => {
    for (const p of procs) p.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    await stack.close();
  });

  const startWorker = async (env: Record<string, string> = {}) => {
    const p = spawnCli('worker', [MODULE], { ...stack.env, WORKER_TTL: '0', ...env });
    procs.push(p);
    await p.waitForOutput(/Worker started/);
    return p;
  };
  const redis = () => stack.rt.redis;

  it('three workers never run more than the queue cap of 2 at once, and run everything', async () => {
    await stack.rt.config.saveQueue({
      name: 'capped',
      maxConcurrent: 2,
      rateNumerator: null,
      rateDenominator: null,
      ratePeriod: null,
    });
    await stack.rt.config.saveRole({ name: 'limited', queues: ['capped'] });
    await stack.rt.notifyConfigChanged();
    const key = `${stack.prefix}:cap`;
    await Promise.all([1, 2, 3].map(() => startWorker({ WORKER_ROLE: 'limited', WORKER_CONCURRENT_TASKS: '5' })));
    const n = 24;
    for (let i = 0; i < n; i++) await stack.client.submit(fixtures.measured, { key, ms: 80, i }, { queue: 'capped' });
    await waitUntil(async () => (await redis().hlen(`${key}:runs`)) === n, 60_000);
    expect(Number(await redis().get(`${key}:max`))).toBe(2);
    const runs = await redis().hvals(`${key}:runs`);
    expect(runs.every((r) => r === '1')).toBe(true);
    const counts = (await stack.rt.store.countByStatus('capped')).counts;
    expect(counts).toMatchObject({ completed: n, submitted: 0, started: 0 });
  });

  it('a task type with maxConcurrent 1 runs one at a time across two workers', async () => {
    const key = `${stack.prefix}:type`;
    await Promise.all([1, 2].map(() => startWorker({ WORKER_CONCURRENT_TASKS: '5' })));
    const n = 8;
    await stack.client.submitMany(
      fixtures.measuredSingle,
      Array.from({ length: n }, (_, i) => ({ key, ms: 60, i })),
    );
    await waitUntil(async () => (await redis().hlen(`${key}:runs`)) === n, 60_000);
    expect(Number(await redis().get(`${key}:max`))).toBe(1);
    expect((await stack.rt.store.countByStatus('default')).counts).toMatchObject({ completed: n, submitted: 0 });
  });

  it('a rate limit of 4 per second is never exceeded across workers, and no task is rejected', async () => {
    await stack.rt.config.saveQueue({
      name: 'metered',
      maxConcurrent: null,
      rateNumerator: 4,
      rateDenominator: 1,
      ratePeriod: 'second',
    });
    await stack.rt.config.saveRole({ name: 'meter', queues: ['metered'] });
    await stack.rt.notifyConfigChanged();
    const key = `${stack.prefix}:rate`;
    await Promise.all([1, 2].map(() => startWorker({ WORKER_ROLE: 'meter', WORKER_CONCURRENT_TASKS: '10' })));
    const n = 12;
    const results = await stack.client.submitMany(
      fixtures.measured,
      Array.from({ length: n }, (_, i) => ({ key, ms: 1, i })),
      { queue: 'metered' },
    );
    expect(results.every((r) => r.ok)).toBe(true);
    await waitUntil(async () => (await redis().hlen(`${key}:runs`)) === n, 60_000);
    // Start times as Redis recorded them at claim time (the moment the rate limit applies to).
    const { tasks } = await stack.rt.store.listTasks('metered', { status: 'completed', offset: 0, limit: 100 });
    const starts = tasks.map((t) => t.attemptStartedAt as number).sort((a, b) => a - b);
    expect(starts).toHaveLength(n);
    // Any window of one second holds at most 4 starts.
    for (let i = 0; i + 4 < starts.length; i++)
      expect((starts[i + 4] as number) - (starts[i] as number)).toBeGreaterThanOrEqual(1000);
    // 12 tasks at 4/s take at least two full windows.
    expect((starts[n - 1] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(2000);
  });

  it('SIGKILL mid-task: the task is re-queued after its lease expires and completed by another worker', async () => {
    const key = `${stack.prefix}:kill`;
    const w1 = await startWorker({ WORKER_LEASE_TIMEOUT: '1' });
    const { id } = await stack.client.submit(fixtures.slowRequeue, { key, ms: 800 });
    await waitUntil(async () => (await redis().llen(`${key}:started`)) === 1);
    const killedAt = Date.now();
    w1.kill('SIGKILL');
    await w1.exited;
    expect((await stack.client.getTask(id))?.status).toBe('started');
    await startWorker({ WORKER_LEASE_TIMEOUT: '1' });
    const t = await stack.client.waitForTask(id, { timeoutMs: 40_000 });
    expect(t.status).toBe('completed');
    expect(t.starts).toBe(2);
    expect(t.retryAttempt).toBe(1);
    expect(t.errors[0]).toMatchObject({ attempt: 0, type: 'LeaseExpired' });
    expect(await redis().lrange(`${key}:finished`, 0, -1)).toEqual([id]);
    // Bounded by the 1 s lease plus the next claim or recheck (generous for a loaded CI machine).
    expect(Date.now() - killedAt).toBeLessThan(30_000);
  });

  it('SIGKILL mid-task with the stall policy: the task becomes stalled, visibly, and can be resubmitted', async () => {
    const key = `${stack.prefix}:stall`;
    const w1 = await startWorker({ WORKER_LEASE_TIMEOUT: '1' });
    const { id } = await stack.client.submit(fixtures.slowStall, { key, ms: 60_000 });
    await waitUntil(async () => (await redis().llen(`${key}:started`)) === 1);
    w1.kill('SIGKILL');
    await w1.exited;
    await new Promise((r) => setTimeout(r, 1100));
    // The cleaner process recovers it without loading any task module.
    const cleaner = spawnCli('cleaner', ['--stale-time', '600'], stack.env);
    procs.push(cleaner);
    expect((await cleaner.exited).code).toBe(0);
    const t = await stack.client.getTask(id);
    expect(t?.status).toBe('stalled');
    expect(t?.errors[0]?.type).toBe('LeaseExpired');
    const listed = await stack.rt.store.listTasks('default', { status: 'stalled', offset: 0, limit: 10 });
    expect(listed.tasks.map((x) => x.id)).toEqual([id]);
    await stack.client.resubmit(id);
    expect((await stack.client.getTask(id))?.status).toBe('submitted');
  });

  it('SIGTERM applies each task’s on_shutdown policy and exits 0', async () => {
    const key = `${stack.prefix}:term`;
    const w = await startWorker({ WORKER_SHUTDOWN_GRACE: '5' });
    const stop = await stack.client.submit(fixtures.shutdownStop, { key, ms: 60_000 });
    const resub = await stack.client.submit(fixtures.shutdownResubmit, { key, ms: 60_000 });
    const cont = await stack.client.submit(fixtures.shutdownContinue, { key, ms: 1500 });
    await waitUntil(async () => (await redis().llen(`${key}:started`)) === 3);
    const t0 = Date.now();
    w.kill('SIGTERM');
    const exit = await w.exited;
    expect(exit.code).toBe(0);
    // `continue` was awaited (it needed ~1.5 s), well within the 5 s grace period.
    expect(Date.now() - t0).toBeLessThan(5000);
    const [s, r, c] = await Promise.all([stop, resub, cont].map((x) => stack.client.getTask(x.id)));
    expect(s?.status).toBe('stalled');
    expect(r?.status).toBe('submitted');
    expect(r?.retryAttempt).toBe(0);
    expect(c?.status).toBe('completed');
    expect(w.output()).toMatch(/Worker shutting down/);
    // The re-queued task runs to completion on the next worker.
    await startWorker();
    await waitUntil(
      async () => (await redis().lrange(`${key}:started`, 0, -1)).filter((x) => x === resub.id).length === 2,
    );
  });
});

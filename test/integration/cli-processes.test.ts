/** jobbers_scheduler, jobbers_cleaner and jobbers_worker as real processes; bad input fails clearly. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { echoTask } from '../../examples/tasks.js';
import { createStack, waitUntil, type Stack } from '../helpers/stack.js';
import { ROOT, spawnCli, type CliProcess } from '../helpers/processes.js';

const EXAMPLES = join(ROOT, 'examples/tasks.ts');

describe('CLI processes', () => {
  let stack: Stack;
  let procs: CliProcess[] = [];
  beforeEach(async () => {
    stack = await createStack([echoTask]);
    procs = [];
  });
  afterEach(async () => {
    for (const p of procs) p.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    await stack.close();
  });
  const spawn = (cli: string, args: string[], env: Record<string, string> = {}) => {
    const p = spawnCli(cli, args, { ...stack.env, ...env });
    procs.push(p);
    return p;
  };

  it('worker + scheduler processes run a scheduled task on time, then stop cleanly on SIGTERM', async () => {
    const worker = spawn('worker', [EXAMPLES], { WORKER_TTL: '0' });
    const scheduler = spawn('scheduler', [], { SCHEDULER_POLL_INTERVAL: '5' });
    await worker.waitForOutput(/Worker started/);
    await scheduler.waitForOutput(/Scheduler started/);
    const runAt = Date.now() + 700;
    const { id } = await stack.client.schedule(echoTask, { value: 'later' }, runAt);
    const t = await stack.client.waitForTask(id, { timeoutMs: 10_000 });
    expect(t.status).toBe('completed');
    expect(t.results).toEqual({ value: 'later' });
    // Woken by the schedule channel, not by the 5 s poll.
    expect((t.startedAt as number) - runAt).toBeLessThan(500);
    scheduler.kill('SIGTERM');
    worker.kill('SIGTERM');
    expect((await scheduler.exited).code).toBe(0);
    expect((await worker.exited).code).toBe(0);
  });

  it('WORKER_TTL: the worker exits by itself after that many tasks', async () => {
    const worker = spawn('worker', [EXAMPLES], { WORKER_TTL: '3', WORKER_CONCURRENT_TASKS: '1' });
    await worker.waitForOutput(/Worker started/);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await stack.client.submit(echoTask, { value: String(i) })).id);
    expect((await worker.exited).code).toBe(0);
    const statuses = await Promise.all(ids.map(async (id) => (await stack.client.getTask(id))?.status));
    expect(statuses.filter((s) => s === 'completed')).toHaveLength(3);
    expect(statuses.filter((s) => s === 'submitted')).toHaveLength(2);
  });

  it('a worker whose role gains a queue picks it up within a second, without restart', async () => {
    await stack.rt.config.saveQueue({
      name: 'late',
      maxConcurrent: null,
      rateNumerator: null,
      rateDenominator: null,
      ratePeriod: null,
    });
    await stack.rt.config.saveRole({ name: 'ops', queues: [] });
    const worker = spawn('worker', [EXAMPLES], { WORKER_TTL: '0', WORKER_ROLE: 'ops' });
    await worker.waitForOutput(/Worker started/);
    const { id } = await stack.client.submit(echoTask, { value: 'x' }, { queue: 'late' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await stack.client.getTask(id))?.status).toBe('submitted');
    await stack.rt.config.saveRole({ name: 'ops', queues: ['late'] });
    const changedAt = Date.now();
    await stack.rt.notifyConfigChanged();
    await waitUntil(async () => (await stack.client.getTask(id))?.status === 'completed', 5000, 10);
    expect(Date.now() - changedAt).toBeLessThan(1000);
  });

  it('the cleaner prunes old terminal tasks and reports what it did', async () => {
    const worker = spawn('worker', [EXAMPLES], { WORKER_TTL: '0' });
    await worker.waitForOutput(/Worker started/);
    const { id } = await stack.client.submit(echoTask, { value: 'x' });
    await stack.client.waitForTask(id);
    const keep = spawn('cleaner', ['--completed-task-age', '3600']);
    expect((await keep.exited).code).toBe(0);
    expect(await stack.client.getTask(id)).not.toBeNull();
    await new Promise((r) => setTimeout(r, 20));
    const prune = spawn('cleaner', ['--completed-task-age', '0']);
    expect((await prune.exited).code).toBe(0);
    expect(prune.output()).toMatch(/"pruned":1/);
    expect(await stack.client.getTask(id)).toBeNull();
  });

  it('bad input fails fast with a message naming the problem', async () => {
    // All at once: each is a separate process that must exit 1 with a clear message.
    const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
      [
        'worker',
        [EXAMPLES],
        { WORKER_CONCURRENT_TASKS: 'many' },
        /WORKER_CONCURRENT_TASKS="many" is invalid: expected an integer/,
      ],
      ['worker', ['./no/such/tasks.ts'], {}, /Task module not found: .*no\/such\/tasks\.ts/],
      ['worker', [], {}, /A task module is required/],
      ['cleaner', ['--stale-time', 'soon'], {}, /--stale-time must be a number/],
      ['scheduler', [], { REDIS_URL: 'http://localhost:6379' }, /REDIS_URL="http:\/\/localhost:6379" is invalid/],
      ['scheduler', [], { SQL_PATH: 'mysql://x/y' }, /SQL_PATH/],
      ['worker', [EXAMPLES], { TASK_ADAPTER: 'json' }, /TASK_ADAPTER=json needs the RedisJSON/],
    ];
    const runs = cases.map(([cli, args, env]) => spawn(cli, args, env));
    const exits = await Promise.all(runs.map((r) => r.exited));
    cases.forEach(([cli, , , pattern], i) => {
      expect(exits[i]?.code, `${cli} case ${i}`).toBe(1);
      expect(runs[i]?.output()).toMatch(pattern);
    });
  });
});

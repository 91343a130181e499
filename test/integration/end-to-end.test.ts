/** The original's end-to-end scenarios (spec §12.1), against real Redis and SQLite. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alwaysFailTask, echoTask, scheduledFailTask, slowTask } from '../../examples/tasks.js';
import { defineTask } from '../../src/index.js';
import { createStack, waitUntil, type Stack } from '../helpers/stack.js';

const tasks = [echoTask, alwaysFailTask, scheduledFailTask, slowTask];

describe('end-to-end scenarios', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await createStack(tasks);
    await stack.startWorker(tasks);
    await stack.startScheduler();
  });
  afterAll(async () => stack.close());

  it('echo task completes with its result and timestamps', async () => {
    const { id } = await stack.client.submit(echoTask, { value: 'hello' });
    const t = await stack.client.waitForTask(id);
    expect(t.status).toBe('completed');
    expect(t.results).toEqual({ value: 'hello' });
    expect(t.parameters).toEqual({ value: 'hello' });
    expect(t.submittedAt).toBeGreaterThan(0);
    expect(t.startedAt).toBeGreaterThanOrEqual(t.submittedAt as number);
    expect(t.completedAt).toBeGreaterThanOrEqual(t.startedAt as number);
    expect(t.errors).toEqual([]);
  });

  it('an always-failing task with 2 retries ends failed with 3 errors and lands in the DLQ', async () => {
    const { id } = await stack.client.submit(alwaysFailTask, {});
    const t = await stack.client.waitForTask(id);
    expect(t.status).toBe('failed');
    expect(t.retryAttempt).toBe(2);
    expect(t.errors.map((e) => e.error)).toEqual(['always fails', 'always fails', 'always fails']);
    expect(t.errors.map((e) => e.attempt)).toEqual([0, 1, 2]);
    expect(t.errors.every((e) => e.at > 0 && e.type === 'CustomError')).toBe(true);
    const dlq = await stack.rt.store.listDeadLetters({ limit: 10 });
    expect(dlq.map((d) => d.id)).toContain(id);
  });

  it('the same with a retry delay goes through the scheduler', async () => {
    const { id } = await stack.client.submit(scheduledFailTask, {});
    const seen = new Set<string>();
    await waitUntil(async () => {
      const t = await stack.client.getTask(id);
      if (t) seen.add(t.status);
      return t?.status === 'failed';
    });
    const t = await stack.client.waitForTask(id);
    expect(t.errors).toHaveLength(3);
    expect(t.retryAttempt).toBe(2);
    const dlq = await stack.rt.store.listDeadLetters({ name: 'scheduled_fail_task', limit: 10 });
    expect(dlq.map((d) => d.id)).toEqual([id]);
  });

  it('a long task can be cancelled while running', async () => {
    const { id } = await stack.client.submit(slowTask, { seconds: 30 });
    await waitUntil(async () => (await stack.client.getTask(id))?.status === 'started');
    const outcome = await stack.client.cancel(id);
    expect(outcome.kind).toBe('requested');
    const t = await stack.client.waitForTask(id, { timeoutMs: 5000 });
    expect(t.status).toBe('cancelled');
  });

  it('an unknown version is dropped', async () => {
    const v2 = defineTask({ name: 'echo_task', version: 2 }, async () => 'never');
    const { id } = await stack.client.submit(v2, {});
    const t = await stack.client.waitForTask(id);
    expect(t.status).toBe('dropped');
    expect(t.errors[0]?.error).toMatch(/No handler registered for echo_task v2/);
  });

  it('a queued and a scheduled task can be cancelled', async () => {
    const runAt = Date.now() + 60_000;
    const scheduled = await stack.client.schedule(echoTask, { value: 'later' }, runAt);
    expect(scheduled.status).toBe('scheduled');
    const c1 = await stack.client.cancel(scheduled.id);
    expect(c1).toMatchObject({ kind: 'cancelled', from: 'scheduled' });
    expect((await stack.client.getTask(scheduled.id))?.status).toBe('cancelled');

    // A queued task: submitted to a queue no worker consumes, then cancelled.
    await stack.rt.config.createQueue({
      name: 'parked',
      maxConcurrent: null,
      rateNumerator: null,
      rateDenominator: null,
      ratePeriod: null,
    });
    await stack.rt.notifyConfigChanged();
    const queued = await stack.client.submit(echoTask, { value: 'x' }, { queue: 'parked' });
    const c2 = await stack.client.cancel(queued.id);
    expect(c2).toMatchObject({ kind: 'cancelled', from: 'submitted' });
    const t = await stack.client.getTask(queued.id);
    expect(t?.status).toBe('cancelled');
    expect((await stack.rt.store.countByStatus('parked')).counts.submitted).toBe(0);
  });

  it('a task scheduled a little in the future runs soon after its run_at', async () => {
    const runAt = Date.now() + 300;
    const { id } = await stack.client.schedule(echoTask, { value: 'soon' }, runAt);
    const t = await stack.client.waitForTask(id, { timeoutMs: 5000 });
    expect(t.status).toBe('completed');
    expect(t.startedAt as number).toBeGreaterThanOrEqual(runAt);
    expect((t.startedAt as number) - runAt).toBeLessThan(1000);
  });
});

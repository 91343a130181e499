/**
 * POST /task/{id}/cancel and /tasks/cancel with the store's semantics (spec B10), and the
 * `cancellations_requested` counter.
 */
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type DataPoint } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTaskId } from '../../src/domain/ids.js';
import { waitUntil } from '../helpers/stack.js';
import { createHttpStack, createParkedQueue, exampleTasks, submit, type HttpStack } from './http-stack.js';

/** Collects on demand (the test process owns the global MeterProvider of its fork). */
class ManualReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const reader = new ManualReader();
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

async function cancellationsRequested(): Promise<Array<{ attrs: Record<string, unknown>; value: number }>> {
  const { resourceMetrics } = await reader.collect();
  const points = resourceMetrics.scopeMetrics
    .flatMap((s) => s.metrics)
    .filter((m) => m.descriptor.name === 'cancellations_requested')
    .flatMap((m) => m.dataPoints as DataPoint<number>[]);
  return points.map((p) => ({ attrs: p.attributes, value: p.value }));
}

describe('cancellation', () => {
  let s: HttpStack;
  const cancel = (id: string) => s.call({ method: 'POST', url: `/task/${id}/cancel` });
  const status = async (id: string) => (await s.call({ method: 'GET', url: `/task-status/${id}` })).body.status;

  beforeAll(async () => {
    s = await createHttpStack();
    await s.startWorker(exampleTasks);
    await createParkedQueue(s, 'parked');
  });
  afterAll(async () => s.close());

  it('cancels a queued task at once and counts it', async () => {
    const id = (await submit(s, { name: 'echo_task', version: 1, queue: 'parked' })).body.task.id;
    const r = await cancel(id);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ message: 'Task cancelled', task: { id, status: 'cancelled', queue: 'parked' } });
    expect((await s.rt.store.countByStatus('parked')).counts.submitted).toBe(0);
    expect(await cancellationsRequested()).toContainEqual({ attrs: { queue: 'parked', task: 'echo_task' }, value: 1 });
  });

  it('cancels a scheduled task at once (also with a body-less JSON POST, as browsers send it)', async () => {
    const r = await s.call({
      method: 'POST',
      url: '/schedule-task',
      payload: { task: { name: 'echo_task', version: 1 }, run_at: new Date(Date.now() + 3_600_000).toISOString() },
    });
    const id = r.body.task.id;
    const c = await s.call({
      method: 'POST',
      url: `/task/${id}/cancel`,
      headers: { 'content-type': 'application/json' },
    });
    expect(c.status).toBe(200);
    expect(c.body.task.status).toBe('cancelled');
    expect(await status(id)).toBe('cancelled');
  });

  it('asks the worker to stop a running task; the worker acknowledges', async () => {
    const id = (await submit(s, { name: 'slow_task', version: 1, parameters: { seconds: 30 } })).body.task.id;
    await waitUntil(async () => (await status(id)) === 'started');
    const r = await cancel(id);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ message: 'Cancellation request sent', task: { id } });
    // Read back after the request: the worker may have acknowledged already.
    expect(['started', 'cancelled']).toContain(r.body.task.status);
    await waitUntil(async () => (await status(id)) === 'cancelled', 5000);
  });

  it('answers 409 for a finished task, 404 for an unknown id, 422 for a malformed one', async () => {
    const id = (await submit(s, { name: 'echo_task', version: 1 })).body.task.id;
    await s.client.waitForTask(id);
    const before = (await cancellationsRequested()).reduce((n, p) => n + p.value, 0);
    expect(await cancel(id)).toMatchObject({
      status: 409,
      body: { detail: "Task has status 'completed' and cannot be cancelled." },
    });
    expect(await cancel(newTaskId())).toMatchObject({ status: 404, body: { detail: 'Task not found' } });
    const bad = await cancel('01ARZ3NDEKTSV4RRFFQ69G5FA%3A');
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(['path', 'task_id']);
    expect((await cancellationsRequested()).reduce((n, p) => n + p.value, 0)).toBe(before);
  });

  it('POST /tasks/cancel reports each task in request order', async () => {
    const queued = (await submit(s, { name: 'echo_task', version: 1, queue: 'parked' })).body.task.id;
    const done = (await submit(s, { name: 'echo_task', version: 1 })).body.task.id;
    await s.client.waitForTask(done);
    const ghost = newTaskId();
    const r = await s.call({ method: 'POST', url: '/tasks/cancel', payload: { task_ids: [queued, ghost, done] } });
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual([
      { task_id: queued, status: 'cancellation_requested', task_status: 'cancelled' },
      { task_id: ghost, status: 'not_found' },
      { task_id: done, status: 'error', detail: "Task has status 'completed' and cannot be cancelled." },
    ]);
    expect(await status(queued)).toBe('cancelled');
  });

  it('POST /tasks/cancel refuses a malformed id with 422 and cancels nothing', async () => {
    const queued = (await submit(s, { name: 'echo_task', version: 1, queue: 'parked' })).body.task.id;
    const r = await s.call({ method: 'POST', url: '/tasks/cancel', payload: { task_ids: [queued, 'bogus'] } });
    expect(r.status).toBe(422);
    expect(r.body.detail[0].loc).toEqual(['body', 'task_ids', 1]);
    expect(await status(queued)).toBe('submitted');
    expect((await s.call({ method: 'POST', url: '/tasks/cancel', payload: {} })).status).toBe(422);
  });
});

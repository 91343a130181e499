/** Dead-letter queue endpoints (spec §8.5, with the B23 fixes). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTaskId } from '../../src/domain/ids.js';
import { waitUntil } from '../helpers/stack.js';
import { createHttpStack, createParkedQueue, exampleTasks, submit, type HttpStack } from './http-stack.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('dead-letter queue', () => {
  let s: HttpStack;
  const failed: Record<'a' | 'b' | 'c' | 'd', string> = { a: '', b: '', c: '', d: '' };
  let completed = '';
  const get = (url: string) => s.call({ method: 'GET', url });
  const ids = (body: { tasks: Array<{ id: string }> }) => body.tasks.map((t) => t.id);

  beforeAll(async () => {
    s = await createHttpStack();
    await createParkedQueue(s, 'other');
    // The default role serves both queues, so the worker runs (and dead-letters) tasks of each.
    expect((await s.call({ method: 'POST', url: '/queues/default', payload: ['default', 'other'] })).status).toBe(200);
    const { worker } = await s.startWorker(exampleTasks);
    failed.a = (await submit(s, { name: 'always_fail_task', version: 1 })).body.task.id;
    await s.client.waitForTask(failed.a);
    failed.b = (await submit(s, { name: 'always_fail_task', version: 1 })).body.task.id;
    await s.client.waitForTask(failed.b);
    failed.c = (await submit(s, { name: 'always_fail_task', version: 1, queue: 'other' })).body.task.id;
    await s.client.waitForTask(failed.c);
    failed.d = (await submit(s, { name: 'always_fail_task', version: 1, queue: 'other' })).body.task.id;
    await s.client.waitForTask(failed.d);
    completed = (await submit(s, { name: 'echo_task', version: 1 })).body.task.id;
    await s.client.waitForTask(completed);
    // From here on no worker serves `other`, so tasks resubmitted there stay queued.
    expect((await s.call({ method: 'POST', url: '/queues/default', payload: ['default'] })).status).toBe(200);
    await waitUntil(() => worker.describe().queues.join() === 'default', 5000);
  });
  afterAll(async () => s.close());

  it('GET lists dead-lettered tasks newest first, with filters and a limit', async () => {
    const all = await get('/dead-letter-queue');
    expect(all.status).toBe(200);
    expect(ids(all.body)).toEqual([failed.d, failed.c, failed.b, failed.a]);
    expect(all.body.tasks[0]).toMatchObject({
      queue: 'other',
      status: 'failed',
      version: 1,
      last_error: 'always fails',
      retry_attempt: 2,
    });
    expect(ids((await get('/dead-letter-queue?task_name=always_fail_task&limit=10')).body)).toEqual([
      failed.d,
      failed.c,
      failed.b,
      failed.a,
    ]);
    expect(ids((await get('/dead-letter-queue?queue=default')).body)).toEqual([failed.b, failed.a]);
    expect(ids((await get('/dead-letter-queue?limit=1')).body)).toEqual([failed.d]);
    expect(ids((await get('/dead-letter-queue?task_name=always_fail_task&task_version=2')).body)).toEqual([]);
    expect(ids((await get('/dead-letter-queue?task_name=echo_task')).body)).toEqual([]);
    for (const bad of ['limit=0', 'limit=1001', 'queue=%7Bx%7D', 'task_version=v1']) {
      expect((await get(`/dead-letter-queue?${bad}`)).status).toBe(422);
    }
  });

  it('GET …/history lists each attempt with its time and error type', async () => {
    const r = await get(`/dead-letter-queue/${failed.a.toLowerCase()}/history`);
    expect(r.status).toBe(200);
    expect(r.body.task_id).toBe(failed.a.toLowerCase());
    expect(r.body.history.map((h: { attempt: number }) => h.attempt)).toEqual([0, 1, 2]);
    for (const h of r.body.history) {
      expect(h).toEqual({
        attempt: expect.any(Number),
        timestamp: expect.stringMatching(ISO),
        error: 'always fails',
        type: 'CustomError',
      });
    }
    const times = r.body.history.map((h: { timestamp: string }) => Date.parse(h.timestamp));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    const ghost = newTaskId();
    expect((await get(`/dead-letter-queue/${ghost}/history`)).body).toEqual({ task_id: ghost, history: [] });
    expect((await get('/dead-letter-queue/xyz/history')).status).toBe(422);
  });

  it('POST …/resubmit needs ids or a filter', async () => {
    const r = await s.call({
      method: 'POST',
      url: '/dead-letter-queue/resubmit',
      payload: { reset_retry_count: true },
    });
    expect(r).toMatchObject({
      status: 400,
      body: { detail: 'Provide task_ids or at least one of: queue, task_name, task_version.' },
    });
    const none = await s.call({ method: 'POST', url: '/dead-letter-queue/resubmit', payload: { task_ids: [] } });
    expect(none.body).toEqual({ resubmitted: 0, tasks: [] });
    expect(
      (await s.call({ method: 'POST', url: '/dead-letter-queue/resubmit', payload: { task_ids: ['x'] } })).status,
    ).toBe(422);
    expect(
      (await s.call({ method: 'POST', url: '/dead-letter-queue/resubmit', payload: { queue: 'a b' } })).status,
    ).toBe(422);
  });

  it('POST …/resubmit by ids takes only tasks that are in the dead-letter queue', async () => {
    const r = await s.call({
      method: 'POST',
      url: '/dead-letter-queue/resubmit',
      payload: { task_ids: [failed.d, completed, newTaskId()], reset_retry_count: true },
    });
    expect(r.status).toBe(200);
    expect(r.body.resubmitted).toBe(1);
    expect(ids(r.body)).toEqual([failed.d]);
    expect(r.body.tasks[0].retry_attempt).toBe(0);
    expect((await get(`/task-status/${completed}`)).body.status).toBe('completed');
    // The error history survives the resubmission (spec B23).
    expect((await get(`/tasks/${failed.d}`)).body.errors).toHaveLength(3);
  });

  it('POST …/resubmit by filter', async () => {
    const r = await s.call({
      method: 'POST',
      url: '/dead-letter-queue/resubmit',
      payload: { queue: 'other', reset_retry_count: false },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      resubmitted: 1,
      tasks: [{ id: failed.c, queue: 'other', status: 'submitted', retry_attempt: 2 }],
    });
    expect(ids((await get('/dead-letter-queue?queue=other')).body)).toEqual([]);
  });

  it('DELETE reports the entries actually removed and keeps the task records', async () => {
    const r = await s.call({
      method: 'DELETE',
      url: '/dead-letter-queue',
      payload: { task_ids: [failed.b, failed.b, newTaskId(), completed] },
    });
    expect(r.status).toBe(200);
    expect(r.body.removed).toBe(1);
    expect(r.body.task_ids).toHaveLength(4);
    expect(ids((await get('/dead-letter-queue?queue=default')).body)).not.toContain(failed.b);
    expect((await get(`/tasks/${failed.b}`)).body.status).toBe('failed');
    const again = await s.call({ method: 'DELETE', url: '/dead-letter-queue', payload: { task_ids: [failed.b] } });
    expect(again.body.removed).toBe(0);
    expect(
      (await s.call({ method: 'DELETE', url: '/dead-letter-queue', payload: { task_ids: ['nope'] } })).status,
    ).toBe(422);
    expect((await s.call({ method: 'DELETE', url: '/dead-letter-queue' })).status).toBe(422);
  });
});

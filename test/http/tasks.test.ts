/** Task inspection: /task-status, /tasks/{id}, /task-list, /active-tasks, /scheduled-tasks, resubmit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTaskId } from '../../src/domain/ids.js';
import { defineTask } from '../../src/index.js';
import { waitUntil } from '../helpers/stack.js';
import { createHttpStack, createParkedQueue, exampleTasks, submit, type HttpStack } from './http-stack.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('task inspection', () => {
  let s: HttpStack;
  const get = (url: string) => s.call({ method: 'GET', url });
  const finished = async (id: string) => {
    await s.client.waitForTask(id, { timeoutMs: 15_000 });
    return (await get(`/tasks/${id}`)).body;
  };

  beforeAll(async () => {
    s = await createHttpStack();
    await s.startWorker(exampleTasks);
    await createParkedQueue(s, 'listq');
    await createParkedQueue(s, 'schedq');
  });
  afterAll(async () => s.close());

  it('GET /task-status answers the summary, 404 for an unknown id and 422 for a malformed one', async () => {
    const id = (await submit(s, { name: 'echo_task', version: 1, queue: 'listq', parameters: { value: 'x' } })).body
      .task.id;
    const ok = await get(`/task-status/${id.toLowerCase()}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      id,
      name: 'echo_task',
      queue: 'listq',
      version: 1,
      parameters: { value: 'x' },
      status: 'submitted',
      retry_attempt: 0,
      submitted_at: expect.stringMatching(ISO),
    });
    expect(await get(`/task-status/${newTaskId()}`)).toMatchObject({ status: 404, body: { detail: 'Task not found' } });
    const bad = await get('/task-status/not-a-ulid');
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(['path', 'task_id']);
  });

  it('GET /tasks/{id} shows results and timestamps of a completed task', async () => {
    const id = (await submit(s, { name: 'echo_task', version: 1, parameters: { value: 'done' } })).body.task.id;
    const t = await finished(id);
    expect(t).toMatchObject({
      id,
      status: 'completed',
      results: { value: 'done' },
      errors: [],
      starts: 1,
      cancel_requested: false,
      retried_at: null,
    });
    for (const k of ['created_at', 'submitted_at', 'started_at', 'attempt_started_at', 'completed_at'])
      expect(t[k]).toMatch(ISO);
    expect(Date.parse(t.completed_at)).toBeGreaterThanOrEqual(Date.parse(t.started_at));
    expect(t).not.toHaveProperty('last_error');
    expect((await get(`/tasks/${newTaskId()}`)).status).toBe(404);
    expect((await get('/tasks/01ARZ3NDEKTSV4RRFFQ69G5FA')).status).toBe(422);
  });

  it('GET /tasks/{id} shows 64-bit integer results (msgpack BigInts) instead of failing', async () => {
    const bigTask = defineTask({ name: 'big_task', version: 1, maxRetries: 0 }, async () => ({
      small: 5n,
      big: 2n ** 62n,
    }));
    await createParkedQueue(s, 'bigq');
    await s.call({ method: 'POST', url: '/roles', payload: { name: 'bigrole', queues: ['bigq'] } });
    await s.startWorker([bigTask], { role: 'bigrole' });
    const { id } = await s.client.submit(bigTask, {}, { queue: 'bigq' });
    const t = await finished(id);
    expect(t.status).toBe('completed');
    expect(t.results).toEqual({ small: 5, big: '4611686018427387904' });
  });

  it('GET /tasks/{id} lists every failed attempt with its time and type; resubmit keeps them', async () => {
    const id = (await submit(s, { name: 'always_fail_task', version: 1 })).body.task.id;
    const t = await finished(id);
    expect(t.status).toBe('failed');
    expect(t.retry_attempt).toBe(2);
    expect(t.errors.map((e: { attempt: number }) => e.attempt)).toEqual([0, 1, 2]);
    expect(
      t.errors.every(
        (e: { timestamp: string; type: string; error: string }) =>
          ISO.test(e.timestamp) && e.type === 'CustomError' && e.error === 'always fails',
      ),
    ).toBe(true);
    expect(t.last_error).toBe('always fails');
    expect(t.retried_at).toMatch(ISO);

    const re = await s.call({ method: 'POST', url: `/tasks/${id}/resubmit`, payload: { reset_retry_count: true } });
    expect(re.status).toBe(200);
    expect(re.body.message).toBe('Task resubmitted');
    // Read back after the transition: the worker may already be running it again.
    expect(re.body.task).toMatchObject({ id, last_error: 'always fails' });
    // It fails again with a full retry budget (3 more attempts; without the reset there would be
    // one), and the earlier history is kept: 6 entries in all.
    let again: any;
    await waitUntil(async () => {
      again = (await get(`/tasks/${id}`)).body;
      return again.status === 'failed' && again.errors.length >= 6;
    }, 15_000);
    expect(again.errors.map((e: { attempt: number }) => e.attempt)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(again.retry_attempt).toBe(2);
  });

  it('POST /tasks/{id}/resubmit refuses a completed task (409), unknown (404) and malformed ids (422)', async () => {
    const id = (await submit(s, { name: 'echo_task', version: 1 })).body.task.id;
    await finished(id);
    const r = await s.call({ method: 'POST', url: `/tasks/${id}/resubmit` });
    expect(r.status).toBe(409);
    expect(r.body.detail).toBe(
      "Task has status 'completed'; only failed, stalled, cancelled or dropped tasks can be resubmitted.",
    );
    expect((await s.call({ method: 'POST', url: `/tasks/${newTaskId()}/resubmit` })).status).toBe(404);
    expect((await s.call({ method: 'POST', url: '/tasks/xyz/resubmit' })).status).toBe(422);
    const badBody = await s.call({
      method: 'POST',
      url: `/tasks/${id}/resubmit`,
      payload: { reset_retry_count: 'yes' },
    });
    expect(badBody.status).toBe(422);
  });

  describe('GET /task-list', () => {
    const ids: string[] = [];
    beforeAll(async () => {
      for (let i = 0; i < 22; i++) {
        ids.push(
          (await submit(s, { name: 'echo_task', version: 1, queue: 'listq', parameters: { value: `v${i}` } })).body.task
            .id,
        );
      }
      for (let i = 0; i < 3; i++) {
        const r = await s.call({
          method: 'POST',
          url: '/schedule-task',
          payload: {
            task: { name: 'slow_task', version: 1, queue: 'listq' },
            run_at: new Date(Date.now() + 3_600_000).toISOString(),
          },
        });
        ids.push(r.body.task.id);
      }
      await s.call({ method: 'POST', url: `/task/${ids[0]}/cancel` });
    });
    const list = (q: string) => get(`/task-list?queue=listq${q}`);

    it('pages exactly over every status with a total', async () => {
      // 22 echo (one of them cancelled) + 3 scheduled, + the one from the /task-status test.
      const seen = new Set<string>();
      for (const offset of [0, 10, 20]) {
        const { status, body } = await list(`&limit=10&offset=${offset}`);
        expect(status).toBe(200);
        expect(body.total).toBe(26);
        for (const t of body.tasks) {
          expect(seen.has(t.id)).toBe(false);
          seen.add(t.id);
          expect(t.queue).toBe('listq');
        }
      }
      expect(seen.size).toBe(26);
      for (const id of ids) expect(seen.has(id)).toBe(true);
      expect((await list('')).body.tasks).toHaveLength(10);
    });

    it('filters by status, name and version, and orders by task id', async () => {
      const sub = (await list('&status=submitted&limit=100')).body;
      expect(sub.total).toBe(22);
      expect(sub.tasks.every((t: { status: string }) => t.status === 'submitted')).toBe(true);
      expect((await list('&status=cancelled')).body).toMatchObject({
        total: 1,
        tasks: [{ id: ids[0], status: 'cancelled' }],
      });
      const slow = (await list('&task_name=slow_task&task_version=1')).body;
      expect(slow.total).toBe(3);
      expect(
        slow.tasks.every(
          (t: { status: string; scheduled_at: string }) => t.status === 'scheduled' && ISO.test(t.scheduled_at),
        ),
      ).toBe(true);
      expect((await list('&task_name=slow_task&task_version=2')).body.total).toBe(0);
      const byId = (await list('&order_by=task_id&limit=100')).body.tasks.map((t: { id: string }) => t.id);
      expect(byId).toEqual([...byId].sort());
      expect((await list('&task_name=&status=')).body.total).toBe(26); // empty values count as absent
    });

    it.each([
      ['', ['query', 'queue']],
      ['?queue=listq&limit=0', ['query', 'limit']],
      ['?queue=listq&limit=101', ['query', 'limit']],
      ['?queue=listq&limit=ten', ['query', 'limit']],
      ['?queue=listq&offset=-1', ['query', 'offset']],
      ['?queue=listq&status=running', ['query', 'status']],
      ['?queue=listq&order_by=name', ['query', 'order_by']],
      ['?queue=a:b', ['query', 'queue']],
      ['?queue=listq&task_name=*', ['query', 'task_name']],
    ])('answers 422 for %s', async (qs, loc) => {
      const { status, body } = await get(`/task-list${qs}`);
      expect(status).toBe(422);
      expect(body.detail[0].loc).toEqual(loc);
    });
  });

  it('GET /active-tasks lists running tasks of one queue or of every known queue', async () => {
    const id = (await submit(s, { name: 'slow_task', version: 1, parameters: { seconds: 30 } })).body.task.id;
    await waitUntil(async () => (await get(`/task-status/${id}`)).body.status === 'started');
    const all = await get('/active-tasks');
    expect(all.status).toBe(200);
    expect(all.body.tasks).toContainEqual(
      expect.objectContaining({ id, queue: 'default', version: 1, status: 'started' }),
    );
    expect((await get('/active-tasks?queue=default')).body.tasks.map((t: { id: string }) => t.id)).toContain(id);
    expect((await get('/active-tasks?queue=listq')).body.tasks).toEqual([]);
    expect((await get('/active-tasks?queue=no{pe}')).status).toBe(422);
    await s.call({ method: 'POST', url: `/task/${id}/cancel` });
  });

  it('GET /scheduled-tasks pages by id with an exclusive start cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await s.call({
        method: 'POST',
        url: '/schedule-task',
        payload: {
          task: { name: i < 3 ? 'echo_task' : 'slow_task', version: 1, queue: 'schedq' },
          run_at: new Date(Date.now() + 60_000 * (4 - i)).toISOString(),
        },
      });
      ids.push(r.body.task.id);
    }
    const page1 = await get('/scheduled-tasks?queue=schedq&limit=2');
    expect(page1.status).toBe(200);
    expect(page1.body.tasks.map((t: { id: string }) => t.id)).toEqual(ids.slice(0, 2));
    expect(page1.body.tasks[0]).toMatchObject({
      status: 'scheduled',
      queue: 'schedq',
      scheduled_at: expect.stringMatching(ISO),
    });
    const page2 = await get(`/scheduled-tasks?queue=schedq&limit=10&start=${ids[1]}`);
    expect(page2.body.tasks.map((t: { id: string }) => t.id)).toEqual(ids.slice(2));
    expect(
      (await get('/scheduled-tasks?queue=schedq&task_name=slow_task')).body.tasks.map((t: { id: string }) => t.id),
    ).toEqual([ids[3]]);
    expect((await get('/scheduled-tasks')).status).toBe(422);
    expect((await get('/scheduled-tasks?queue=schedq&start=zzz')).status).toBe(422);
    expect((await get('/scheduled-tasks?queue=schedq&limit=101')).status).toBe(422);
  });
});

/** POST /submit-task, /schedule-task and /tasks/bulk against real Redis and SQLite. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTaskId } from '../../src/domain/ids.js';
import { createHttpStack, submit, type HttpStack } from './http-stack.js';

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('submission', () => {
  let s: HttpStack;
  beforeAll(async () => {
    s = await createHttpStack();
  });
  afterAll(async () => s.close());

  describe('POST /submit-task', () => {
    it('stores the task with a server-generated id and answers a summary with queue and version', async () => {
      const before = Date.now();
      const { status, body } = await submit(s, { name: 'echo_task', version: 1, parameters: { value: 'hi' } });
      expect(status).toBe(200);
      expect(body.message).toBe('Task submitted successfully');
      expect(body.task).toMatchObject({
        name: 'echo_task',
        version: 1,
        queue: 'default',
        status: 'submitted',
        retry_attempt: 0,
        parameters: { value: 'hi' },
      });
      expect(body.task.id).toMatch(ULID);
      expect(body.task.submitted_at).toMatch(ISO);
      expect(Date.parse(body.task.submitted_at)).toBeGreaterThanOrEqual(before - 5);
      expect(body.task).not.toHaveProperty('last_error');
      const stored = await s.rt.store.getTask(body.task.id);
      expect(stored).toMatchObject({ status: 'submitted', name: 'echo_task', version: 1, parameters: { value: 'hi' } });
    });

    it('keeps a client id (normalised to upper case) and answers 409 when it is used again', async () => {
      const id = newTaskId().toLowerCase();
      const first = await submit(s, { id, name: 'echo_task', version: 1 });
      expect(first.status).toBe(200);
      expect(first.body.task.id).toBe(id.toUpperCase());
      // The schema default of echo_task's parameters was applied before storing.
      expect((await s.rt.store.getTask(id.toUpperCase()))?.parameters).toEqual({ value: 'default' });
      const again = await submit(s, {
        id: id.toUpperCase(),
        name: 'echo_task',
        version: 1,
        parameters: { value: 'other' },
      });
      expect(again.status).toBe(409);
      expect(again.body.detail).toContain(`Task ${id.toUpperCase()} already exists`);
      expect((await s.rt.store.getTask(id.toUpperCase()))?.parameters).toEqual({ value: 'default' });
    });

    it('ignores task fields a client may not set (status, results, errors, retry_attempt, timestamps)', async () => {
      const { status, body } = await submit(s, {
        name: 'echo_task',
        version: 1,
        status: 'completed',
        results: { forged: true },
        errors: ['forged'],
        retry_attempt: 7,
        submitted_at: '2000-01-01T00:00:00Z',
        completed_at: '2000-01-01T00:00:00Z',
      });
      expect(status).toBe(200);
      const stored = await s.rt.store.getTask(body.task.id);
      expect(stored).toMatchObject({
        status: 'submitted',
        results: null,
        errors: [],
        retryAttempt: 0,
        completedAt: null,
      });
      expect(stored?.submittedAt).toBeGreaterThan(Date.parse('2020-01-01'));
    });

    it.each([
      [{ name: 'nope', version: 1 }, 400, 'Unknown task nope v1'],
      [{ name: 'echo_task', version: 7 }, 400, 'Unknown task echo_task v7 (registered versions: 1)'],
      [{ name: 'echo_task', version: 1, parameters: { value: 3 } }, 400, 'Invalid parameters for echo_task v1: value:'],
      [{ name: 'echo_task', version: 1, queue: 'nowhere' }, 400, 'Unknown queue nowhere'],
    ])('refuses %j with %i', async (payload, code, detail) => {
      const { status, body } = await submit(s, payload);
      expect(status).toBe(code);
      expect(body.detail).toContain(detail);
    });

    it.each([
      [{ name: 'echo_task', version: 1, queue: 'a:b' }, ['body', 'queue']],
      [{ name: 'echo*{x}', version: 1 }, ['body', 'name']],
      [{ id: '01ARZ3NDEKTSV4RRFFQ69G5FA!', name: 'echo_task' }, ['body', 'id']],
      [{ id: '81ARZ3NDEKTSV4RRFFQ69G5FAV', name: 'echo_task' }, ['body', 'id']],
      [{ name: 'echo_task', version: -1 }, ['body', 'version']],
      [{ name: 'echo_task', version: 1.5 }, ['body', 'version']],
      [{ name: 'echo_task', parameters: [1, 2] }, ['body', 'parameters']],
      [{ name: 'echo_task', parameters: 'x' }, ['body', 'parameters']],
    ])('answers 422 for %j at %j', async (payload, loc) => {
      const { status, body } = await submit(s, payload);
      expect(status).toBe(422);
      expect(body.detail.map((d: { loc: unknown }) => d.loc)).toContainEqual(loc);
      expect(body.detail[0]).toEqual({ loc: expect.any(Array), msg: expect.any(String), type: expect.any(String) });
    });

    it('reports a missing field FastAPI-style', async () => {
      const { status, body } = await submit(s, { version: 1 });
      expect(status).toBe(422);
      expect(body.detail).toContainEqual({ loc: ['body', 'name'], msg: 'Field required', type: 'missing' });
      const empty = await s.call({
        method: 'POST',
        url: '/submit-task',
        headers: { 'content-type': 'application/json' },
        payload: '',
      });
      expect(empty.status).toBe(422);
      expect(empty.body.detail).toContainEqual({ loc: ['body'], msg: 'Field required', type: 'missing' });
    });

    it('refuses parameters nested deeper than 32 levels without crashing', async () => {
      // Built as text: JSON.stringify itself would overflow on this depth.
      const deep = '{"d":'.repeat(100_000) + '1' + '}'.repeat(100_000);
      const payload = `{"name":"echo_task","version":1,"parameters":${deep}}`;
      const { status, body } = await s.call({
        method: 'POST',
        url: '/submit-task',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(status).toBe(422);
      expect(body.detail[0].msg).toContain('32 levels');
    });
  });

  it('accepts and stores every submission to a rate-limited queue (limits delay starts, never reject: spec B7)', async () => {
    const q = await s.call({
      method: 'POST',
      url: '/queues',
      payload: { name: 'limited', rate_numerator: 1, rate_denominator: 1, rate_period: 'hour' },
    });
    expect(q.status).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await submit(s, { name: 'echo_task', version: 1, queue: 'limited' });
      expect(r.status).toBe(200);
      ids.push(r.body.task.id);
    }
    const stored = await Promise.all(ids.map((id) => s.rt.store.getTask(id)));
    expect(stored.map((t) => t?.status)).toEqual(['submitted', 'submitted', 'submitted']);
  });

  describe('POST /schedule-task', () => {
    it('stores a future task as scheduled and reports its run time', async () => {
      const runAt = new Date(Date.now() + 3_600_000).toISOString();
      const { status, body } = await s.call({
        method: 'POST',
        url: '/schedule-task',
        payload: { task: { name: 'echo_task', version: 1, parameters: { value: 'later' } }, run_at: runAt },
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        message: 'Task scheduled successfully',
        run_at: runAt,
        task: { status: 'scheduled', submitted_at: null },
      });
      expect((await s.rt.store.getTask(body.task.id))?.runAt).toBe(Date.parse(runAt));
      const st = await s.call({ method: 'GET', url: `/task-status/${body.task.id}` });
      expect(st.body).toMatchObject({ status: 'scheduled', scheduled_at: runAt });
    });

    it('accepts an offset or a naive time (server zone) and submits a past time at once', async () => {
      const naive = '2000-01-01T00:00:00';
      const { status, body } = await s.call({
        method: 'POST',
        url: '/schedule-task',
        payload: { task: { name: 'echo_task', version: 1 }, run_at: naive },
      });
      expect(status).toBe(200);
      expect(body.run_at).toBe(new Date(Date.parse(naive)).toISOString());
      expect(body.task.status).toBe('submitted');
      const withOffset = await s.call({
        method: 'POST',
        url: '/schedule-task',
        payload: { task: { name: 'echo_task', version: 1 }, run_at: '2099-03-12T10:00:00.123456+02:00' },
      });
      expect(withOffset.body.run_at).toBe('2099-03-12T08:00:00.123Z');
    });

    it('answers 422 for a bad run_at and 400 for an unknown task', async () => {
      const bad = await s.call({
        method: 'POST',
        url: '/schedule-task',
        payload: { task: { name: 'echo_task', version: 1 }, run_at: 'tomorrow' },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0].loc).toEqual(['body', 'run_at']);
      const missing = await s.call({
        method: 'POST',
        url: '/schedule-task',
        payload: { task: { name: 'echo_task', version: 1 } },
      });
      expect(missing.body.detail).toContainEqual({ loc: ['body', 'run_at'], msg: 'Field required', type: 'missing' });
      const unknown = await s.call({
        method: 'POST',
        url: '/schedule-task',
        payload: { task: { name: 'ghost', version: 1 }, run_at: '2099-01-01T00:00:00Z' },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.detail).toContain('Unknown task ghost v1');
    });
  });

  describe('POST /tasks/bulk', () => {
    it('stores the valid items and reports each failure with its status, in order', async () => {
      const existing = (await submit(s, { name: 'echo_task', version: 1 })).body.task.id as string;
      const fresh = newTaskId();
      const { status, body } = await s.call({
        method: 'POST',
        url: '/tasks/bulk',
        payload: {
          tasks: [
            { name: 'echo_task', version: 1, parameters: { value: 'a' } },
            { name: 'nope', version: 1 },
            { id: existing, name: 'echo_task', version: 1 },
            { id: fresh, name: 'echo_task', version: 1 },
            { id: fresh, name: 'echo_task', version: 1 },
            { name: 'echo_task', version: 1, parameters: { value: 1 } },
          ],
        },
      });
      expect(status).toBe(200);
      const r = body.results;
      expect(r.map((x: { ok: boolean; status?: number }) => (x.ok ? 200 : x.status))).toEqual([
        200, 400, 409, 200, 409, 400,
      ]);
      expect(r[0].task).toMatchObject({
        name: 'echo_task',
        queue: 'default',
        status: 'submitted',
        parameters: { value: 'a' },
      });
      expect(r[1].detail).toContain('Unknown task nope v1');
      expect(r[2].detail).toContain(`Task ${existing} already exists`);
      expect(r[3].task.id).toBe(fresh);
      expect(await s.rt.store.getTask(r[0].task.id)).not.toBeNull();
      expect(await s.rt.store.getTask(fresh)).not.toBeNull();
    });

    it('answers 422 and stores nothing when an item is malformed', async () => {
      const before = (await s.rt.store.countByStatus('default')).counts.submitted;
      const { status, body } = await s.call({
        method: 'POST',
        url: '/tasks/bulk',
        payload: {
          tasks: [
            { name: 'echo_task', version: 1 },
            { name: 'echo_task', id: 'nope' },
          ],
        },
      });
      expect(status).toBe(422);
      expect(body.detail[0].loc).toEqual(['body', 'tasks', 1, 'id']);
      expect((await s.rt.store.countByStatus('default')).counts.submitted).toBe(before);
      const empty = await s.call({ method: 'POST', url: '/tasks/bulk', payload: { tasks: [] } });
      expect(empty.status).toBe(422);
    });
  });
});

/** Queues (spec §8.6) and roles (spec §8.7): CRUD, errors, and change notification to workers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpStack, type HttpStack } from './http-stack.js';

describe('queue and role configuration', () => {
  let s: HttpStack;
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    s.call({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
  const configVersion = async () => Number((await s.rt.redis.get(s.rt.store.keys.configVersion)) ?? 0);

  beforeAll(async () => {
    s = await createHttpStack();
  });
  afterAll(async () => s.close());

  describe('queues', () => {
    it('creates (201), lists, reads and refuses a duplicate (409)', async () => {
      const v0 = await configVersion();
      const created = await call('POST', '/queues', {
        name: 'emails',
        rate_numerator: 5,
        rate_denominator: 1,
        rate_period: 'minute',
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        message: 'Queue created successfully',
        queue: { name: 'emails', max_concurrent: 10, rate_numerator: 5, rate_denominator: 1, rate_period: 'minute' },
      });
      expect(await configVersion()).toBeGreaterThan(v0);
      expect((await call('GET', '/queues')).body).toEqual({ queues: ['default', 'emails'] });
      expect((await call('GET', '/queues/emails/config')).body.queue).toMatchObject({
        name: 'emails',
        rate_period: 'minute',
      });
      const dup = await call('POST', '/queues', { name: 'emails' });
      expect(dup).toMatchObject({ status: 409, body: { detail: "Queue 'emails' already exists." } });
    });

    it('validates names and limits', async () => {
      expect((await call('POST', '/queues', { name: 'bad:name' })).status).toBe(422);
      expect((await call('POST', '/queues', { name: 'x', max_concurrent: -1 })).status).toBe(422);
      expect((await call('POST', '/queues', { name: 'x', rate_period: 'week' })).status).toBe(422);
      const partial = await call('POST', '/queues', { name: 'x', rate_numerator: 3 });
      expect(partial.status).toBe(400);
      expect(partial.body.detail).toContain('must be all set');
      expect((await call('GET', '/queues')).body.queues).not.toContain('x');
    });

    it('PUT upserts with the path name, DELETE removes (404 when absent)', async () => {
      const put = await call('PUT', '/queues/reports', { name: 'ignored', max_concurrent: null });
      expect(put.status).toBe(200);
      expect(put.body).toEqual({
        message: 'Queue updated successfully',
        queue: {
          name: 'reports',
          max_concurrent: null,
          rate_numerator: null,
          rate_denominator: null,
          rate_period: null,
        },
      });
      expect((await call('PUT', '/queues/reports', { max_concurrent: 3 })).body.queue.max_concurrent).toBe(3);
      expect((await call('GET', '/queues/reports/config')).body.queue.max_concurrent).toBe(3);
      expect((await call('GET', '/queues/ignored/config')).status).toBe(404);
      const v0 = await configVersion();
      expect(await call('DELETE', '/queues/reports')).toMatchObject({
        status: 200,
        body: { message: "Queue 'reports' deleted successfully." },
      });
      expect(await configVersion()).toBeGreaterThan(v0);
      expect(await call('DELETE', '/queues/reports')).toMatchObject({
        status: 404,
        body: { detail: "Queue 'reports' not found." },
      });
      expect(await call('GET', '/queues/reports/config')).toMatchObject({
        status: 404,
        body: { detail: "Queue 'reports' not found." },
      });
      expect((await call('PUT', '/queues/a%7Bb%7D', {})).status).toBe(422);
    });

    it("GET/POST /queues/{role} read and replace a role's queues", async () => {
      expect((await call('GET', '/queues/default')).body).toEqual({ queues: ['default'] });
      expect((await call('GET', '/queues/nobody')).body).toEqual({ queues: [] });
      const set = await call('POST', '/queues/mailers', ['emails', 'default', 'emails']);
      expect(set).toMatchObject({ status: 200, body: { message: 'Queues set successfully' } });
      expect((await call('GET', '/queues/mailers')).body).toEqual({ queues: ['default', 'emails'] });
      const unknown = await call('POST', '/queues/mailers', ['emails', 'ghost']);
      expect(unknown.status).toBe(400);
      expect(unknown.body.detail).toContain("'ghost'");
      expect((await call('GET', '/queues/mailers')).body.queues).toEqual(['default', 'emails']);
      expect((await call('POST', '/queues/mailers', { queues: [] })).status).toBe(422);
    });

    it('a queue change reaches a running worker within a second', async () => {
      const { worker, runtime } = await s.startWorker([], { role: 'watchers' });
      expect(worker.describe().queues).toEqual([]);
      await call('POST', '/queues/watchers', ['emails']);
      const deadline = Date.now() + 1500;
      while (worker.describe().queues.join() !== 'emails' && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(worker.describe().queues).toEqual(['emails']);
      // Stopped now: a later config change must not reach a worker whose stores are closing.
      await worker.stop();
      await runtime.close();
    });
  });

  describe('roles', () => {
    it('creates (201), reads, lists, and refuses an existing role even without queues (409)', async () => {
      const created = await call('POST', '/roles', { name: 'etl', queues: ['emails', 'default'] });
      expect(created).toMatchObject({
        status: 201,
        body: { message: 'Role created successfully', role: 'etl', queues: ['default', 'emails'] },
      });
      expect((await call('GET', '/roles/etl')).body).toEqual({ role: 'etl', queues: ['default', 'emails'] });
      expect((await call('GET', '/roles')).body.roles).toEqual(expect.arrayContaining(['default', 'etl']));
      expect(await call('POST', '/roles', { name: 'etl' })).toMatchObject({
        status: 409,
        body: { detail: "Role 'etl' already exists." },
      });
      expect((await call('POST', '/roles', { name: 'empty' })).status).toBe(201);
      expect(await call('POST', '/roles', { name: 'empty', queues: ['default'] })).toMatchObject({ status: 409 });
      expect((await call('GET', '/roles/empty')).body.queues).toEqual([]);
    });

    it('refuses unknown queues (400) and bad names (422)', async () => {
      const r = await call('POST', '/roles', { name: 'r1', queues: ['ghost'] });
      expect(r.status).toBe(400);
      expect(r.body.detail).toContain("'ghost'");
      expect((await call('GET', '/roles/r1')).status).toBe(404);
      expect((await call('POST', '/roles', { name: 'r:1' })).status).toBe(422);
      expect((await call('POST', '/roles', { name: 'r2', queues: ['a b'] })).status).toBe(422);
      expect((await call('GET', '/roles/*')).status).toBe(422);
    });

    it('PUT replaces queues of an existing role (404 otherwise); DELETE keeps the queues', async () => {
      const put = await call('PUT', '/roles/etl', ['emails']);
      expect(put).toMatchObject({
        status: 200,
        body: { message: 'Role updated successfully', role: 'etl', queues: ['emails'] },
      });
      expect((await call('GET', '/roles/etl')).body.queues).toEqual(['emails']);
      expect(await call('PUT', '/roles/nobody', ['emails'])).toMatchObject({
        status: 404,
        body: { detail: "Role 'nobody' not found." },
      });
      expect((await call('GET', '/roles/nobody')).status).toBe(404);
      expect((await call('PUT', '/roles/etl', ['ghost'])).status).toBe(400);
      expect(await call('DELETE', '/roles/etl')).toMatchObject({
        status: 200,
        body: { message: "Role 'etl' deleted successfully." },
      });
      expect(await call('DELETE', '/roles/etl')).toMatchObject({ status: 404 });
      expect((await call('GET', '/queues')).body.queues).toContain('emails');
    });
  });
});

/** GET /, /stats, /workers and /healthz. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { openRuntime } from '../../src/runtime/compose.js';
import { loadSettings } from '../../src/runtime/settings.js';
import { registerWorker } from '../../src/runtime/worker-registration.js';
import { pack } from '../../src/store/redis/record-codec.js';
import { TaskRegistry } from '../../src/tasks/registry.js';
import { waitUntil } from '../helpers/stack.js';
import { createHttpStack, createParkedQueue, exampleTasks, submit, type HttpStack } from './http-stack.js';

describe('system endpoints', () => {
  let s: HttpStack;
  const get = (url: string) => s.call({ method: 'GET', url });

  beforeAll(async () => {
    s = await createHttpStack();
  });
  afterAll(async () => s.close());

  it('GET /task-types gives each type its options and a parameter JSON Schema', async () => {
    const { status, body } = await get('/task-types');
    expect(status).toBe(200);
    const byName = Object.fromEntries(body.task_types.map((t: { name: string }) => [t.name, t]));
    expect(byName.echo_task).toMatchObject({
      version: 1,
      queue: 'default',
      max_retries: 0,
      dead_letter_policy: 'none',
    });
    expect(byName.echo_task.parameters_schema).toMatchObject({
      type: 'object',
      properties: { value: { type: 'string', default: 'default' } },
    });
    expect(byName.always_fail_task).toMatchObject({
      max_retries: 2,
      dead_letter_policy: 'save',
      parameters_schema: null,
    });
    expect(byName.slow_task.parameters_schema.properties.seconds.type).toBe('number');
  });

  it('GET / greets and lists the registered task types', async () => {
    const { status, body } = await get('/');
    expect(status).toBe(200);
    expect(body.message).toBe('Welcome to Task Manager!');
    expect(body.tasks).toEqual(
      expect.arrayContaining([
        ['echo_task', 1],
        ['always_fail_task', 1],
        ['scheduled_fail_task', 1],
        ['slow_task', 1],
      ]),
    );
    expect(body.tasks).toHaveLength(4);
  });

  it('GET /stats counts tasks per status for every known or configured queue', async () => {
    await createParkedQueue(s, 'idle');
    await createParkedQueue(s, 'busy');
    for (let i = 0; i < 3; i++) await submit(s, { name: 'echo_task', version: 1, queue: 'busy' });
    const cancelled = (await submit(s, { name: 'echo_task', version: 1, queue: 'busy' })).body.task.id;
    await s.call({ method: 'POST', url: `/task/${cancelled}/cancel` });
    await new Promise((r) => setTimeout(r, 20));
    const { status, body } = await get('/stats');
    expect(status).toBe(200);
    expect(body.queues.map((q: { queue: string }) => q.queue)).toEqual(['busy', 'default', 'idle']);
    const busy = body.queues[0];
    expect(busy).toMatchObject({
      queue: 'busy',
      dlq: 0,
      counts: { submitted: 3, cancelled: 1, started: 0, failed: 0, scheduled: 0 },
    });
    expect(busy.oldest_waiting_age_ms).toBeGreaterThanOrEqual(20);
    expect(body.queues[2]).toMatchObject({ queue: 'idle', oldest_waiting_age_ms: null, counts: { submitted: 0 } });
    expect(busy.counts).not.toHaveProperty('unsubmitted');
  });

  it('GET /workers lists live registrations only', async () => {
    const { worker, runtime } = await s.startWorker(exampleTasks);
    await waitUntil(() => worker.describe().state === 'running' && worker.describe().queues.length > 0);
    const registration = registerWorker(runtime.redis, runtime.store.keys, worker);
    const keys = s.rt.store.keys;
    await s.rt.redis.hset(
      keys.workers,
      'dead-worker',
      pack({ id: 'dead-worker', role: 'default', lastSeen: Date.now() - 31_000 }),
    );
    await s.rt.redis.hset(keys.workers, 'garbage', Buffer.from([0xc1]));
    try {
      let workers: Array<Record<string, unknown>> = [];
      for (let i = 0; i < 50 && workers.length === 0; i++) {
        workers = (await get('/workers')).body.workers;
        if (workers.length === 0) await new Promise((r) => setTimeout(r, 20));
      }
      expect(workers).toHaveLength(1);
      expect(workers[0]).toMatchObject({
        id: worker.id,
        role: 'default',
        pid: process.pid,
        queues: ['default'],
        concurrency: 5,
        running: [],
        state: 'running',
        started_at: expect.stringMatching(/Z$/),
        last_seen: expect.stringMatching(/Z$/),
      });
      await registration.stop();
      expect((await get('/workers')).body.workers).toEqual([]);
    } finally {
      await registration.stop();
    }
  });

  it('GET /healthz answers 200 when Redis and SQL answer, 503 naming the one that does not', async () => {
    expect(await get('/healthz')).toMatchObject({
      status: 200,
      body: { status: 'ok', checks: { redis: 'ok', sql: 'ok' } },
    });

    const rt = await openRuntime(loadSettings({ ...process.env, ...s.env }), { processName: 'healthz-test' });
    const app = await buildApp({
      runtime: rt,
      registry: new TaskRegistry(),
      settings: { apiToken: 'secret', readonlyToken: null, corsOrigins: [], bodyLimit: 1_048_576 },
    });
    try {
      await rt.config.close();
      const sqlDown = await app.inject({ method: 'GET', url: '/healthz' });
      expect(sqlDown.statusCode).toBe(503);
      expect(sqlDown.json()).toMatchObject({
        status: 'unavailable',
        checks: { redis: 'ok', sql: expect.stringMatching(/^error: /) },
      });
      expect(sqlDown.json().detail).toMatch(/^SQL database error: /);

      rt.redis.disconnect();
      const bothDown = await app.inject({ method: 'GET', url: '/api/healthz' });
      expect(bothDown.statusCode).toBe(503);
      expect(bothDown.json().detail).toMatch(/^Redis error: .*; SQL database error: /);
    } finally {
      await app.close();
      await rt.close();
    }
  });
});

/** The error model, the `/api` alias, body limits and CORS. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, stripApiPrefix } from '../../src/http/app.js';
import { openRuntime } from '../../src/runtime/compose.js';
import { loadSettings } from '../../src/runtime/settings.js';
import { TaskRegistry } from '../../src/tasks/registry.js';
import { createHttpStack, type HttpStack } from './http-stack.js';

describe('error model', () => {
  let s: HttpStack;
  beforeAll(async () => {
    s = await createHttpStack({ bodyLimit: 2048 });
  });
  afterAll(async () => s.close());

  it('answers 404 {"detail":"Not Found"} for unknown routes and methods', async () => {
    expect(await s.call({ method: 'GET', url: '/nope' })).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
    expect(await s.call({ method: 'PATCH', url: '/queues' })).toMatchObject({
      status: 404,
      body: { detail: 'Not Found' },
    });
    expect(await s.call({ method: 'GET', url: '/apis/queues' })).toMatchObject({ status: 404 });
  });

  it('answers 422 json_invalid for malformed JSON and for prototype-poisoning keys', async () => {
    for (const payload of ['{"name": "echo_task",', '{"__proto__": {"x": 1}, "name": "echo_task"}', 'nul']) {
      const r = await s.call({
        method: 'POST',
        url: '/submit-task',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(r.status).toBe(422);
      expect(r.body.detail).toEqual([
        {
          loc: ['body'],
          msg: 'JSON decode error: the body is not valid JSON (or uses a __proto__ or constructor key)',
          type: 'json_invalid',
        },
      ]);
    }
  });

  it('answers 413 for a body above JOBBERS_BODY_LIMIT and 415 for a non-JSON body', async () => {
    const big = await s.call({
      method: 'POST',
      url: '/submit-task',
      payload: { name: 'echo_task', parameters: { value: 'x'.repeat(4096) } },
    });
    expect(big).toMatchObject({
      status: 413,
      body: { detail: 'Request body is larger than 2048 bytes (JOBBERS_BODY_LIMIT)' },
    });
    const form = await s.call({
      method: 'POST',
      url: '/submit-task',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=echo_task',
    });
    expect(form.status).toBe(415);
    expect(form.body.detail).toContain('send application/json');
  });

  it('answers 400 for a URL that cannot be decoded', async () => {
    const r = await s.call({ method: 'GET', url: '/task-status/%E0%A4%A' });
    expect(r.status).toBe(400);
    expect(r.body.detail).toMatch(/^Malformed request URL/);
  });

  it('serves every route under /api as well', async () => {
    expect(stripApiPrefix('/api')).toBe('/');
    expect(stripApiPrefix('/api?x=1')).toBe('/?x=1');
    expect(stripApiPrefix('/api/queues/default')).toBe('/queues/default');
    expect(stripApiPrefix('/apiary')).toBe('/apiary');
    expect((await s.call({ method: 'GET', url: '/api' })).body.message).toBe('Welcome to Task Manager!');
    expect((await s.call({ method: 'GET', url: '/api/queues' })).body).toEqual({ queues: ['default'] });
    const sub = await s.call({ method: 'POST', url: '/api/submit-task', payload: { name: 'echo_task', version: 1 } });
    expect(sub.status).toBe(200);
    expect((await s.call({ method: 'GET', url: `/api/task-status/${sub.body.task.id}` })).body.id).toBe(
      sub.body.task.id,
    );
    expect((await s.call({ method: 'GET', url: '/api/task-list' })).body.detail[0].loc).toEqual(['query', 'queue']);
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const r = await s.call({ method: 'GET', url: '/queues', headers: { origin: 'https://evil.example' } });
    expect(r.res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('logs an unexpected failure and answers 500 {"detail":"Internal Server Error"}', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _enc, cb) {
          lines.push(String(chunk));
          cb();
        },
      }),
    );
    const rt = await openRuntime(loadSettings({ ...process.env, ...s.env }), { processName: 'error-test' });
    const app = await buildApp({
      runtime: rt,
      registry: new TaskRegistry(),
      settings: { apiToken: null, readonlyToken: null, corsOrigins: [], bodyLimit: 1024 },
      logger,
    });
    try {
      rt.redis.disconnect(); // A real outage, not a mock: every store call now fails.
      const r = await app.inject({ method: 'GET', url: '/task-list?queue=default' });
      expect(r.statusCode).toBe(500);
      expect(r.json()).toEqual({ detail: 'Internal Server Error' });
      const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request failed');
      expect(logged?.level).toBe(50);
      expect(logged?.err?.message).toMatch(/Connection is closed/);
    } finally {
      await app.close();
      await rt.close();
    }
  });
});

describe('CORS', () => {
  let s: HttpStack;
  beforeAll(async () => {
    s = await createHttpStack({ corsOrigins: ['https://ui.example'], apiToken: 'tok' });
  });
  afterAll(async () => s.close());

  it('answers preflights without a token and marks responses for allowed origins only', async () => {
    const pre = await s.call({
      method: 'OPTIONS',
      url: '/api/submit-task',
      headers: { origin: 'https://ui.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.res.headers['access-control-allow-origin']).toBe('https://ui.example');
    expect(pre.res.headers['access-control-allow-headers']).toContain('Authorization');
    const get = await s.call({
      method: 'GET',
      url: '/queues',
      headers: { origin: 'https://ui.example', authorization: 'Bearer tok' },
    });
    expect(get.status).toBe(200);
    expect(get.res.headers['access-control-allow-origin']).toBe('https://ui.example');
    const other = await s.call({
      method: 'GET',
      url: '/queues',
      headers: { origin: 'https://evil.example', authorization: 'Bearer tok' },
    });
    expect(other.res.headers['access-control-allow-origin']).toBeUndefined();
    const otherPre = await s.call({
      method: 'OPTIONS',
      url: '/submit-task',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(otherPre.status).toBe(401);
  });
});

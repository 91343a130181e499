/**
 * Bearer-token auth, checked on every registered route (listRoutes), so a route added later
 * cannot escape: mutating routes refuse a missing, a wrong and the read-only token; reads accept
 * the read-only token; public routes (/healthz, the API description) need none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes, type RouteInfo } from '../../src/http/app.js';
import { newTaskId } from '../../src/domain/ids.js';
import { createHttpStack, type HttpStack } from './http-stack.js';

const FULL = 'full-token-0123456789';
const READONLY = 'read-only-token-9876';
const READS = new Set(['GET', 'HEAD']);

/** A concrete URL for a route pattern: valid-looking ids and names, so auth is all that can fail. */
function concrete(url: string): string {
  return url
    .replace(':task_id', newTaskId())
    .replace(/:(queue_name|role_name|role)/, 'authq')
    .replace('*', 'index.html');
}

describe('auth', () => {
  let s: HttpStack;
  let routes: RouteInfo[];
  const send = (r: RouteInfo, token?: string) =>
    s.call({
      method: r.method as 'GET',
      url: concrete(r.url),
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });

  beforeAll(async () => {
    s = await createHttpStack({ apiToken: FULL, readonlyToken: READONLY });
    await s.app.ready();
    routes = [...listRoutes(s.app)];
  });
  afterAll(async () => s.close());

  it('knows the routes (guards against an empty iteration)', () => {
    const mutating = routes.filter((r) => !READS.has(r.method) && r.method !== 'OPTIONS');
    expect(mutating.length).toBeGreaterThanOrEqual(15);
    expect(routes.filter((r) => r.public).map((r) => r.url)).toEqual(
      expect.arrayContaining(['/healthz', '/openapi.json']),
    );
    expect(routes.find((r) => r.url === '/task-list')?.public).toBe(false);
  });

  it('every non-public route refuses a missing or a wrong token with 401', async () => {
    for (const r of routes.filter((x) => !x.public)) {
      for (const token of [undefined, 'wrong', `${FULL}x`, FULL.slice(0, -1)]) {
        const res = await send(r, token);
        expect({ route: `${r.method} ${r.url}`, token, status: res.status }).toEqual({
          route: `${r.method} ${r.url}`,
          token,
          status: 401,
        });
        if (r.method !== 'HEAD') expect(typeof res.body.detail).toBe('string');
      }
    }
  });

  it('the read-only token may read but gets 403 on every mutating route', async () => {
    for (const r of routes.filter((x) => !x.public)) {
      const res = await send(r, READONLY);
      const expected = READS.has(r.method) ? 'allowed' : 403;
      expect({ route: `${r.method} ${r.url}`, got: [401, 403].includes(res.status) ? res.status : 'allowed' }).toEqual({
        route: `${r.method} ${r.url}`,
        got: expected,
      });
    }
  });

  it('the full token passes auth everywhere', async () => {
    for (const r of routes) {
      const res = await send(r, FULL);
      expect({ route: `${r.method} ${r.url}`, status: res.status }).not.toEqual({
        route: `${r.method} ${r.url}`,
        status: 401,
      });
      expect(res.status).not.toBe(403);
    }
  });

  it('public routes need no token', async () => {
    expect((await s.call({ method: 'GET', url: '/healthz' })).status).toBe(200);
    expect((await s.call({ method: 'GET', url: '/api/healthz' })).status).toBe(200);
    expect((await s.call({ method: 'GET', url: '/openapi.json' })).body.openapi).toBe('3.1.0');
    const data = await s.call({ method: 'GET', url: '/queues' });
    expect(data.status).toBe(401);
    expect(data.res.headers['www-authenticate']).toBe('Bearer');
    expect(
      (await s.call({ method: 'GET', url: '/queues', headers: { authorization: `Bearer ${READONLY}` } })).body,
    ).toEqual({ queues: ['default'] });
    expect(
      (await s.call({ method: 'GET', url: '/queues', headers: { authorization: `bearer  ${FULL}` } })).status,
    ).toBe(200);
    expect((await s.call({ method: 'GET', url: '/queues', headers: { authorization: `Basic ${FULL}` } })).status).toBe(
      401,
    );
  });

  it('a mutation with the read-only token changes nothing', async () => {
    const r = await s.call({
      method: 'POST',
      url: '/queues',
      payload: { name: 'sneaky' },
      headers: { authorization: `Bearer ${READONLY}` },
    });
    expect(r).toMatchObject({ status: 403, body: { detail: expect.stringContaining('read-only token') } });
    expect(await s.rt.config.getQueue('sneaky')).toBeNull();
    const ok = await s.call({
      method: 'POST',
      url: '/queues',
      payload: { name: 'allowed' },
      headers: { authorization: `Bearer ${FULL}` },
    });
    expect(ok.status).toBe(201);
  });
});

describe('auth with only a read-only token', () => {
  let s: HttpStack;
  beforeAll(async () => {
    s = await createHttpStack({ readonlyToken: READONLY });
  });
  afterAll(async () => s.close());

  it('allows reads with it and nothing else', async () => {
    const auth = { authorization: `Bearer ${READONLY}` };
    expect((await s.call({ method: 'GET', url: '/roles', headers: auth })).status).toBe(200);
    expect((await s.call({ method: 'GET', url: '/roles' })).status).toBe(401);
    expect((await s.call({ method: 'POST', url: '/roles', headers: auth, payload: { name: 'r' } })).status).toBe(403);
  });
});

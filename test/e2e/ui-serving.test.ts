/**
 * src/http/ui.ts: the Manager serving a console build at /ui/ (static files, SPA fallback,
 * caching), and staying out of the way when there is no build.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type AppDeps } from '../../src/http/app.js';
import { registerUi } from '../../src/http/ui.js';
import { TaskRegistry } from '../../src/tasks/registry.js';

/** The routes under test never reach the runtime: any use of it is a failure. */
function noRuntime(): AppDeps['runtime'] {
  const fail = (): never => {
    throw new Error('the runtime is not available in this test');
  };
  const proxy: unknown = new Proxy(fail, { get: () => proxy, apply: fail });
  return proxy as AppDeps['runtime'];
}

async function makeApp(distDir: string, logs: string[] = []): Promise<{ app: FastifyInstance; registered: boolean }> {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const app = await buildApp({
    runtime: noRuntime(),
    registry: new TaskRegistry(),
    settings: { apiToken: null, readonlyToken: null, corsOrigins: [], bodyLimit: 1_048_576 },
    logger: pino({ level: 'info' }, stream),
  });
  const registered = await registerUi(app, { distDir });
  await app.ready();
  return { app, registered };
}

describe('registerUi', () => {
  let dist = '';
  let app: FastifyInstance;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'jobbers-ui-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    ({ app } = await makeApp(dist));
  });

  afterAll(async () => {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves the app shell at /ui/ and for any client-side route, never cached', async () => {
    for (const url of ['/ui/', '/ui/tasks/01JQC31AJP7TSA9X8AEP64XG08?x=1', '/ui/dlq']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root">');
    }
    const bare = await app.inject({ url: '/ui' });
    expect(bare.statusCode).toBe(302);
    expect(bare.headers.location).toBe('/ui/');
  });

  it('serves hashed assets as immutable, and a missing asset is a 404, not the shell', async () => {
    const asset = await app.inject({ url: '/ui/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await app.inject({ url: '/ui/assets/gone-000.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).not.toContain('<div id="root">');
  });

  it('leaves the API and its JSON 404s alone', async () => {
    const res = await app.inject({ url: '/api/no-such-route' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: expect.any(String) });
  });

  it('does nothing but log a hint when there is no build', async () => {
    const logs: string[] = [];
    const empty = mkdtempSync(join(tmpdir(), 'jobbers-ui-empty-'));
    const { app: bare, registered } = await makeApp(empty, logs);
    try {
      expect(registered).toBe(false);
      expect((await bare.inject({ url: '/ui/' })).statusCode).toBe(404);
      expect(logs.join('')).toContain('npm run build -w frontend');
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

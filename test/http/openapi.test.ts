/**
 * The OpenAPI document: the checked-in openapi.json is current, the served one is the same,
 * jobbers_openapi writes it without Redis or SQL, and it documents every API route once.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes } from '../../src/http/app.js';
import { buildOpenApiDocument, formatOpenApiDocument } from '../../src/http/openapi.js';
import { createHttpStack, type HttpStack } from './http-stack.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REGENERATE =
  'openapi.json is out of date with the route schemas: run `node --import tsx src/cli/openapi.ts` and commit the result';

describe('OpenAPI document', () => {
  let doc: Record<string, any>;
  let s: HttpStack;
  beforeAll(async () => {
    doc = await buildOpenApiDocument();
    s = await createHttpStack();
  });
  afterAll(async () => s.close());

  it('matches the checked-in openapi.json', async () => {
    const text = await readFile(join(ROOT, 'openapi.json'), 'utf8').catch(() => 'null');
    // Compared as JSON (key order included), so a formatter run over the file does not matter.
    let checkedIn: unknown = null;
    try {
      checkedIn = JSON.parse(text);
    } catch {
      // Unparsable counts as out of date.
    }
    expect(JSON.stringify(checkedIn) === JSON.stringify(doc), REGENERATE).toBe(true);
  });

  it('is what the Manager serves at /openapi.json (and /api/openapi.json)', async () => {
    const served = await s.call({ method: 'GET', url: '/openapi.json' });
    expect(served.status).toBe(200);
    expect(served.body).toEqual(JSON.parse(JSON.stringify(doc)));
    expect((await s.call({ method: 'GET', url: '/api/openapi.json' })).body).toEqual(served.body);
    const ui = await s.call({ method: 'GET', url: '/docs' });
    expect(ui.status).toBe(200);
    expect(ui.res.headers['content-type']).toContain('text/html');
    expect(ui.body).toContain('swagger');
  });

  it('documents every API route once, at its root path, with a unique operationId', async () => {
    await s.app.ready();
    const apiRoutes = listRoutes(s.app).filter((r) => r.method !== 'HEAD' && !r.public);
    const documented = Object.entries(doc.paths as Record<string, Record<string, { operationId?: string }>>).flatMap(
      ([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, id: op.operationId })),
    );
    const expected = apiRoutes.map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(documented.map((d) => d.key).sort()).toEqual([...expected, 'GET /healthz'].sort());
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api'))).toEqual([]);
    const ids = documented.map((d) => d.id);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('jobbers_openapi writes the same document without Redis or SQL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jobbers-openapi-'));
    try {
      const out = join(dir, 'spec.json');
      const stdout = await new Promise<string>((done, fail) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', 'src/cli/openapi.ts', out],
          // Unreachable services: the command must not need them.
          {
            cwd: ROOT,
            env: { ...process.env, REDIS_URL: 'redis://127.0.0.1:1', SQL_PATH: 'postgresql://nobody@127.0.0.1:1/x' },
            timeout: 30_000,
          },
          (err, so, se) => (err ? fail(new Error(`${err.message}\n${se}`)) : done(so)),
        );
      });
      expect(stdout.trim()).toBe(`OpenAPI spec written to ${out}`);
      expect(await readFile(out, 'utf8')).toBe(formatOpenApiDocument(doc));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

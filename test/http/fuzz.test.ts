/**
 * Generated requests for every operation of the OpenAPI document (test/http/openapi-arbitraries.ts):
 * thousands of malformed requests must produce zero 5xx, every error must carry `detail`, and
 * Redis must gain no key except those of tasks the API accepted.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAME_RE } from '../../src/domain/names.js';
import { createHttpStack, createParkedQueue, type HttpStack } from './http-stack.js';
import { deepSubmission, operationsOf, requestFor, type GeneratedRequest } from './openapi-arbitraries.js';

/** FUZZ_RUNS=20000 for a longer local run; the default keeps CI near a quarter of a minute. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);

describe('generated requests', () => {
  let s: HttpStack;
  let before: Set<string>;
  const acceptedQueues = new Set<string>();
  let acceptedTasks = 0;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    s = await createHttpStack();
    await createParkedQueue(s, 'parked');
    before = new Set(await s.rt.redis.keys(`${s.prefix}:*`));
  });
  afterAll(async () => s.close());

  /** Remembers what the API accepted, so the keyspace check knows which keys may exist. */
  function recordAccepted(req: GeneratedRequest, status: number, body: any): void {
    if (status !== 200) return;
    const tasks =
      req.operation === 'POST /tasks/bulk'
        ? (body.results as Array<{ ok: boolean; task?: { queue: string } }>).filter((r) => r.ok).map((r) => r.task!)
        : ['POST /submit-task', 'POST /schedule-task'].includes(req.operation)
          ? [body.task as { queue: string }]
          : [];
    for (const t of tasks) {
      acceptedQueues.add(t.queue);
      acceptedTasks++;
    }
  }

  it(`answers ${RUNS} generated requests without a 5xx`, async () => {
    const doc = (await s.call({ method: 'GET', url: '/openapi.json' })).body;
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThanOrEqual(30);
    // Valid submissions mixed in, so accepted tasks (and their keys) exist to tell apart.
    const validSubmit = fc
      .record({ value: fc.string({ maxLength: 30 }), queue: fc.constantFrom(undefined, 'default') })
      .map(({ value, queue }): GeneratedRequest => ({
        method: 'POST',
        url: '/submit-task',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ name: 'echo_task', version: 1, queue, parameters: { value } }),
        operation: 'POST /submit-task',
      }));
    const anyRequest = fc
      .oneof(
        // Built once per operation: building arbitraries (regex compilation) is the costly part.
        { weight: 12, arbitrary: fc.oneof(...ops.map((op) => requestFor(doc, op))) },
        { weight: 1, arbitrary: validSubmit },
        { weight: 1, arbitrary: deepSubmission('parked') },
      )
      .map((r) =>
        // Counterexamples print truncated: a 100 kB body would bury the report.
        Object.assign(r, {
          [fc.toStringMethod]: () => `${r.method} ${r.url.slice(0, 300)} ${String(r.payload).slice(0, 300)}`,
        }),
      );

    await fc.assert(
      fc.asyncProperty(anyRequest, async (req) => {
        const res = await s.app.inject({
          method: req.method as 'GET',
          url: req.url,
          headers: req.headers,
          payload: req.payload,
        });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        const where = `${req.operation} → ${req.method} ${req.url.slice(0, 200)} ${String(req.payload).slice(0, 200)}`;
        expect(res.statusCode, `${where}\n${res.body.slice(0, 500)}`).toBeLessThan(500);
        if (res.statusCode >= 400 && req.method !== 'HEAD') {
          expect(typeof res.json().detail === 'string' || Array.isArray(res.json().detail), where).toBe(true);
        }
        if (res.statusCode < 300 && req.method !== 'HEAD') recordAccepted(req, res.statusCode, res.json());
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    // The mix really exercised both sides.
    expect(acceptedTasks).toBeGreaterThan(0);
    expect([...statuses.keys()].filter((c) => c >= 400 && c < 500).length).toBeGreaterThanOrEqual(4);
  });

  it('left no Redis key behind except those of accepted tasks', async () => {
    const p = s.prefix;
    const allowed = new RegExp(
      `^${p}:(queues|config-version|\\{(${NAME_RE.source.slice(1, -1)})\\}:(tasks|results|errors|ready|wake|delayed|leases|rate|dlq|done:(completed|failed|cancelled|stalled|dropped)))$`,
    );
    const after = await s.rt.redis.keys(`${p}:*`);
    const added = after.filter((k) => !before.has(k));
    const unexpected = added.filter((k) => {
      const m = allowed.exec(k);
      return !m || (m[2] !== undefined && !acceptedQueues.has(m[2]));
    });
    expect(unexpected).toEqual([]);
    // Every stored task is one the API reported as accepted: no half-stored rejections.
    let stored = 0;
    for (const q of acceptedQueues) stored += await s.rt.redis.hlen(s.rt.store.keys.queue(q).tasks);
    expect(stored).toBe(acceptedTasks);
    expect(before.size + added.length).toBe(after.length);
  });
});

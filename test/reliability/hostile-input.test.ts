/**
 * Reliability 6 — hostile input (DESIGN.md §2.7: bad input gets a clear error, never a crash or a
 * half-written task; names are validated before they reach Redis keys).
 *
 * Every call below must be refused with a JobbersError carrying a stable code (client API) or a
 * 4xx with a `detail` (Manager HTTP API, src/http/app.ts), and must leave the Redis keyspace under
 * the test's prefix byte-for-byte unchanged (compared with DUMP digests before and after each
 * call). Calls that are accepted (huge but valid parameters, the valid half of a bulk request)
 * may only add their own tasks.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { idToBytes } from '../../src/domain/ids.js';
import { ERRORS, JobbersError } from '../../src/errors.js';
import { buildApp } from '../../src/http/app.js';
import { defineTask } from '../../src/index.js';
import { loadSettings } from '../../src/runtime/settings.js';
import { TaskRegistry } from '../../src/tasks/registry.js';
import { FIXTURE_TASKS, SHARED_REDIS_URL } from '../helpers/reliability-env.js';
import { createReliabilityStack, keyspaceDigest, type ReliabilityStack } from '../helpers/reliability-probe.js';
import { killAllChildren, spawnCli } from '../helpers/reliability-procs.js';
import { ResultRecorder } from '../helpers/reliability-results.js';

const plain = defineTask({ name: 'hostile_plain', version: 1 }, async () => 'ok');
const typed = defineTask(
  { name: 'hostile_typed', version: 2, params: z.object({ n: z.number().int(), s: z.string().max(10) }) },
  async () => 'ok',
);
const TASKS = [plain, typed];

const KEY_CHARS = ['*', '?', '[', ']', '{', '}', ':', '{default}', 'a:b', 'a*', 'x{y}z', '\\'];
const UNICODE_AND_CONTROL = [
  '',
  ' ',
  'é',
  'émoji😀',
  '名前',
  '\u0000',
  'a\u0000b',
  '\n',
  'a\nb',
  '\r\n',
  '\t',
  '\u202e',
  '\uFEFF',
  '\u001b[31m',
  'a b',
  '-lead',
  '.lead',
  'x'.repeat(129),
  '../../etc',
  '%2A',
];
const BAD_IDS: unknown[] = [
  '',
  'x',
  '*',
  '{default}',
  ':',
  '01ARZ3NDEKTSV4RRFFQ69G5FA', // 25 characters
  '01ARZ3NDEKTSV4RRFFQ69G5FAVV', // 27 characters
  '81ARZ3NDEKTSV4RRFFQ69G5FAV', // first character above 7: 130-bit overflow
  '01ARZ3NDEKTSV4RRFFQ69G5FAI', // I, L, O, U are not Crockford
  '01ARZ3NDEKTSV4RRFFQ69G5FA*',
  '01ARZ3NDEKTSV4RRFFQ69G5FA\u0000',
  '01ARZ3NDEKTSV4RRFFQ69G5FAé',
  ' 01ARZ3NDEKTSV4RRFFQ69G5FAV',
  '0'.repeat(100_000),
  null,
  undefined,
  42,
  {},
  ['01ARZ3NDEKTSV4RRFFQ69G5FAV'],
];

const results = new ResultRecorder(
  'hostile-input',
  'Hostile input (client API and Manager HTTP API)',
  'Malformed ids, huge or deeply nested bodies, unicode and control characters, key-pattern characters in names, unknown tasks and wrong types are each refused with a clear error (a JobbersError code, or a 4xx with `detail`), and nothing is written to Redis.',
);

function short(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}

describe('reliability: hostile input', () => {
  let stack: ReliabilityStack;
  let app: FastifyInstance;
  /** Errors the app logged (a 5xx answer is explained by its stack here). */
  const serverErrors: string[] = [];
  let probe: Redis;
  let refused = 0;
  let accepted = 0;
  const codes = new Map<string, number>();
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    stack = await createReliabilityStack({ tag: 'hostile', redisUrl: SHARED_REDIS_URL, tasks: TASKS });
    probe = new Redis(SHARED_REDIS_URL, { connectionName: 'reliability-probe' });
    const logger = {
      level: 'error',
      error: (o: { err?: Error }) => void serverErrors.push(String(o?.err?.stack ?? JSON.stringify(o)).slice(0, 2000)),
      fatal: () => undefined,
      warn: () => undefined,
      info: () => undefined,
      debug: () => undefined,
      trace: () => undefined,
      silent: () => undefined,
      child: () => logger,
    };
    app = await buildApp({
      runtime: stack.client.runtime,
      registry: new TaskRegistry(TASKS),
      settings: { apiToken: null, readonlyToken: null, corsOrigins: [], bodyLimit: 256 * 1024 },
      logger: logger as unknown as NonNullable<Parameters<typeof buildApp>[0]['logger']>,
    });
    // One accepted task first, so the queue's keys exist and "nothing written" is a real comparison.
    await stack.client.submit(plain, { warm: true });
  });

  afterAll(async () => {
    await killAllChildren();
    results.set('hostile calls refused', refused);
    results.set('calls accepted (valid but extreme input)', accepted);
    results.table(
      'Client errors by code',
      ['code', 'count'],
      [...codes].sort().map(([c, n]) => [c, n]),
    );
    results.table(
      'HTTP answers by status',
      ['status', 'count'],
      [...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => [s, n]),
    );
    results.save();
    await app?.close();
    probe?.disconnect();
    await stack?.close();
  });

  /** Runs `fn`, which must throw a JobbersError with `code`, and checks the keyspace did not change. */
  async function refusedByClient(label: string, code: string | string[], fn: () => Promise<unknown>): Promise<void> {
    const before = await keyspaceDigest(probe, stack.prefix);
    let error: unknown = null;
    try {
      await fn();
    } catch (err) {
      error = err;
    }
    const after = await keyspaceDigest(probe, stack.prefix);
    expect(error, `${label}: refused`).toBeInstanceOf(JobbersError);
    const je = error as JobbersError;
    expect([code].flat(), `${label}: code (${je.message.slice(0, 120)})`).toContain(je.code);
    expect(je.message.length, `${label}: the message stays short, whatever the input size`).toBeLessThan(400);
    expect(je.httpStatus, label).toBeGreaterThanOrEqual(400);
    expect(je.httpStatus, label).toBeLessThan(500);
    expect(after, `${label}: nothing written`).toEqual(before);
    refused++;
    codes.set(je.code, (codes.get(je.code) ?? 0) + 1);
  }

  /** An HTTP request that must get a 4xx with `detail`, leaving the keyspace unchanged. */
  async function refusedByHttp(label: string, req: InjectOptions): Promise<number> {
    const before = await keyspaceDigest(probe, stack.prefix);
    const logged = serverErrors.length;
    const res = await app.inject(req);
    if (res.statusCode >= 500)
      throw new Error(
        `${label}: ${res.statusCode} ${res.body.slice(0, 200)}; server error: ${serverErrors.slice(logged).join(' | ').slice(0, 1500)}`,
      );
    const after = await keyspaceDigest(probe, stack.prefix);
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    expect(res.statusCode, `${label}: ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, `${label}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
    const body = JSON.parse(res.body) as { detail?: unknown };
    expect(body.detail, `${label}: has a detail`).toBeDefined();
    // Some 4xx quote the offending input (Fastify's URL errors do); the answer must not outgrow the request.
    const requestSize = String(req.url ?? '').length + String(req.payload ?? '').length;
    expect(res.body.length, `${label}: the answer stays small`).toBeLessThan(requestSize + 4000);
    expect(after, `${label}: nothing written`).toEqual(before);
    refused++;
    return res.statusCode;
  }

  it(
    'client: malformed task ids are refused by every operation',
    results.run(async () => {
      for (const id of BAD_IDS) {
        const l = `id ${short(id)}`;
        await refusedByClient(`getTask(${l})`, ERRORS.invalidTaskId.code, () => stack.client.getTask(id as string));
        await refusedByClient(`cancel(${l})`, ERRORS.invalidTaskId.code, () => stack.client.cancel(id as string));
        await refusedByClient(`resubmit(${l})`, ERRORS.invalidTaskId.code, () => stack.client.resubmit(id as string));
        await refusedByClient(`waitForTask(${l})`, ERRORS.invalidTaskId.code, () =>
          stack.client.waitForTask(id as string, { timeoutMs: 50 }),
        );
        if (id !== null && id !== undefined) {
          await refusedByClient(`submit with ${l}`, ERRORS.invalidTaskId.code, () =>
            stack.client.submit(plain, {}, { id: id as string }),
          );
        }
      }
      // A well-formed id that does not exist, and one that does (twice).
      await refusedByClient('cancel of an unknown id', ERRORS.taskNotFound.code, () =>
        stack.client.cancel('01ARZ3NDEKTSV4RRFFQ69G5FAV'),
      );
      expect(await stack.client.getTask('01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBeNull();
      const { id } = await stack.client.submit(plain, { dup: 1 });
      accepted++;
      await refusedByClient('duplicate id', ERRORS.duplicateTask.code, () =>
        stack.client.submit(plain, { dup: 2 }, { id }),
      );
      await refusedByClient('duplicate id in lower case', ERRORS.duplicateTask.code, () =>
        stack.client.submit(plain, { dup: 3 }, { id: id.toLowerCase() }),
      );
      await refusedByClient('resubmit of a waiting task', ERRORS.notResubmittable.code, () =>
        stack.client.resubmit(id),
      );
      results.check(
        'malformed ids (wrong length, non-Crockford characters, 130-bit overflow, key-pattern and control characters, 100 kB strings, non-strings) → `JOBBERS_ERR_INVALID_TASK_ID` from getTask, cancel, resubmit, waitForTask and submit; nothing written',
      );
    }),
  );

  it(
    'client: key-pattern, unicode and control characters in task, queue and role names',
    results.run(async () => {
      for (const bad of [...KEY_CHARS, ...UNICODE_AND_CONTROL]) {
        await refusedByClient(`task name ${short(bad)}`, [ERRORS.invalidName.code], () => stack.client.submit(bad, {}));
        await refusedByClient(`queue name ${short(bad)}`, [ERRORS.invalidName.code], () =>
          stack.client.submit(plain, {}, { queue: bad }),
        );
        await refusedByClient(`create queue ${short(bad)}`, ERRORS.invalidName.code, () =>
          stack.client.runtime.config.createQueue({
            name: bad,
            maxConcurrent: null,
            rateNumerator: null,
            rateDenominator: null,
            ratePeriod: null,
          }),
        );
        await refusedByClient(`create role ${short(bad)}`, ERRORS.invalidName.code, () =>
          stack.client.runtime.config.createRole({ name: bad, queues: [] }),
        );
        expect(() => loadSettings({ WORKER_ROLE: bad }), `WORKER_ROLE=${short(bad)}`).toThrow(/WORKER_ROLE/);
        // JOBBERS_PREFIX has its own rule (letters, digits, `_ . -`, 1-32 characters): only test what breaks it.
        if (!/^[A-Za-z0-9_.-]{1,32}$/.test(bad)) {
          expect(() => loadSettings({ JOBBERS_PREFIX: bad || '*' }), `JOBBERS_PREFIX=${short(bad)}`).toThrow(
            /JOBBERS_PREFIX/,
          );
        }
      }
      // Valid-looking names that are not configured.
      for (const q of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'nope']) {
        await refusedByClient(`unknown queue ${q}`, ERRORS.unknownQueue.code, () =>
          stack.client.submit(plain, {}, { queue: q }),
        );
      }
      expect(await stack.client.runtime.config.listQueues()).toEqual(['default']);
      expect(await stack.client.runtime.config.listRoles()).toEqual(['default']);
      results.check(
        '`* ? [ ] { } :`, empty, whitespace, unicode, RTL override, BOM, NUL, ESC, newline and over-long names → `JOBBERS_ERR_INVALID_NAME` for task names, queue names, queue and role creation; `WORKER_ROLE` / `JOBBERS_PREFIX` refused by settings; SQL config unchanged',
      );
    }),
  );

  it(
    'a worker started with a hostile WORKER_ROLE exits at once with a message naming it, writing nothing',
    results.run(async () => {
      const before = await keyspaceDigest(probe, stack.prefix);
      const w = spawnCli('worker', {
        name: 'hostile-role-worker',
        env: stack.env({ WORKER_ROLE: 'jobs:{default}*' }),
        args: [FIXTURE_TASKS],
      });
      const exit = await w.exited;
      expect(exit.code).toBe(1);
      expect(w.output()).toMatch(/WORKER_ROLE="jobs:\{default\}\*" is invalid/);
      expect(await keyspaceDigest(probe, stack.prefix)).toEqual(before);
      refused++;
      results.check(
        '`jobbers_worker` with `WORKER_ROLE="jobs:{default}*"` exits 1 naming the variable; nothing written',
      );
    }),
  );

  it(
    'client: unknown tasks and wrong types',
    results.run(async () => {
      await refusedByClient('unknown task', ERRORS.unknownTask.code, () => stack.client.submit('no_such_task', {}));
      await refusedByClient('unknown version', ERRORS.unknownTask.code, () =>
        stack.client.submit('hostile_plain', {}, { version: 7 }),
      );
      for (const v of ['1', -1, 1.5, NaN, Infinity, null, {}]) {
        await refusedByClient(`version ${short(v)}`, [ERRORS.badRequest.code, ERRORS.unknownTask.code], () =>
          stack.client.submit('hostile_plain', {}, { version: v as number }),
        );
      }
      for (const p of [[1, 2], 'x', 5, true]) {
        await refusedByClient(`parameters ${short(p)}`, ERRORS.invalidParameters.code, () =>
          stack.client.submit(plain, p as unknown as Record<string, unknown>),
        );
      }
      for (const p of [
        {},
        { n: 'x', s: 'y' },
        { n: 1.5, s: 'y' },
        { n: 1, s: 'way too long string' },
        { n: 1, s: 5 },
      ]) {
        await refusedByClient(`typed parameters ${short(JSON.stringify(p))}`, ERRORS.invalidParameters.code, () =>
          stack.client.submit(typed, p),
        );
      }
      for (const runAt of ['tomorrow', NaN, -1, Infinity, {}]) {
        await refusedByClient(`runAt ${short(runAt)}`, ERRORS.badRequest.code, () =>
          stack.client.submit(plain, {}, { runAt: runAt as number }),
        );
      }
      for (const q of [5, {}, [], true]) {
        await refusedByClient(`queue ${short(q)}`, ERRORS.invalidName.code, () =>
          stack.client.submit(plain, {}, { queue: q as unknown as string }),
        );
      }
      for (const name of [null, undefined, 5, {}, []]) {
        await refusedByClient(`task ${short(name)}`, [ERRORS.invalidName.code, ERRORS.unknownTask.code], () =>
          stack.client.submit(name as unknown as string, {}),
        );
      }
      // A bulk submission: the valid items are stored, each invalid one gets its own error.
      const hlen = () => probe.hlen(stack.keys.queue('default').tasks);
      const before = await hlen();
      const res = await stack.client.submitMany(typed, [
        { n: 1, s: 'a' },
        { n: 'x' },
        { n: 2, s: 'b' },
        [] as unknown as Record<string, unknown>,
        { n: 3, s: 'x'.repeat(11) },
      ]);
      expect(res.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
        'ok',
        ERRORS.invalidParameters.code,
        'ok',
        ERRORS.invalidParameters.code,
        ERRORS.invalidParameters.code,
      ]);
      expect(await hlen()).toBe(before + 2);
      accepted += 2;
      results.check(
        'unknown task names and versions → `JOBBERS_ERR_UNKNOWN_TASK`; wrong version, run_at, queue and parameter types, and schema violations → `JOBBERS_ERR_BAD_REQUEST` / `JOBBERS_ERR_INVALID_PARAMETERS` / `JOBBERS_ERR_INVALID_NAME`; a mixed bulk submission stores exactly its valid items',
      );
    }),
  );

  it(
    '[regression] client: unserialisable, cyclic and deeply nested parameters are refused with JOBBERS_ERR_INVALID_PARAMETERS',
    results.run(
      async () => {
        // Parameters that are not plain JSON reach msgpack in the store: a BigInt is stored and reads
        // back as a (lossy above 2^53) number, or escapes as RangeError beyond 64 bits; a Symbol
        // escapes as a plain Error; submitMany() with a non-array as TypeError. (Cyclic and very deep
        // parameters escaped as RangeError until commit 142e44c added the depth limit.)
        let deep: Record<string, unknown> = {};
        const root = deep;
        for (let i = 0; i < 5000; i++) deep = deep.a = {};
        const cyclic: Record<string, unknown> = { a: 1 };
        cyclic.self = cyclic;
        const cases: Array<[string, () => Promise<unknown>, string]> = [
          ['5000 levels deep', () => stack.client.submit(plain, root), ERRORS.invalidParameters.code],
          ['cyclic', () => stack.client.submit(plain, cyclic), ERRORS.invalidParameters.code],
          ['BigInt value', () => stack.client.submit(plain, { n: 10n }), ERRORS.invalidParameters.code],
          ['BigInt beyond 64 bits', () => stack.client.submit(plain, { n: 2n ** 70n }), ERRORS.invalidParameters.code],
          ['Symbol value', () => stack.client.submit(plain, { s: Symbol('x') }), ERRORS.invalidParameters.code],
          [
            'submitMany(non-array)',
            () => stack.client.submitMany(plain, 'x' as unknown as Array<Record<string, unknown>>),
            ERRORS.badRequest.code,
          ],
        ];
        const seen: string[] = [];
        const expected: string[] = [];
        for (const [label, call, code] of cases) {
          const before = JSON.stringify([...(await keyspaceDigest(probe, stack.prefix))]);
          const outcome = await Promise.resolve()
            .then(call)
            .then(
              (value) => ({ value, error: null as unknown }),
              (error: unknown) => ({ value: null, error }),
            );
          const written = JSON.stringify([...(await keyspaceDigest(probe, stack.prefix))]) !== before;
          const e = outcome.error as Error | null;
          let text =
            e === null
              ? 'accepted'
              : e instanceof JobbersError
                ? e.code
                : `${e.constructor.name}: ${String(e.message).slice(0, 60)}`;
          if (written) {
            const id = (outcome.value as { id?: string } | null)?.id;
            const detail = id ? (await app.inject({ method: 'GET', url: `/tasks/${id}` })).statusCode : '-';
            const list = (await app.inject({ method: 'GET', url: '/task-list?queue=default&limit=100' })).statusCode;
            text += ` and stored (then GET /tasks/{id} → ${detail}, GET /task-list → ${list})`;
            // Take it out again, so the other tests' keyspace comparisons start clean.
            if (id) {
              await probe.hdel(stack.keys.queue('default').tasks, idToBytes(id));
              await probe.lrem(stack.keys.queue('default').ready, 0, idToBytes(id));
            }
          }
          seen.push(`${label}: ${text}`);
          expected.push(`${label}: ${code}`);
        }
        expect(seen).toEqual(expected);
      },
      {
        bug: {
          title:
            'Client submissions are not checked for plain-JSON parameters: a BigInt is stored and reads back as a number (silently lossy above 2^53) or escapes as RangeError beyond 64 bits, a Symbol escapes as a plain Error, and submitMany() with a non-array throws TypeError — instead of JOBBERS_ERR_INVALID_PARAMETERS / JOBBERS_ERR_BAD_REQUEST with nothing written',
          fix: 'src/services/task-service.ts, TaskService.prepare(): extend the nestingDepth() walk added in 142e44c into a plain-JSON check that throws ERRORS.invalidParameters on bigint, symbol and function values (and non-plain objects such as Map/Set, which are silently stored as {} / arrays today); src/client.ts, JobbersClient.submitMany(): throw ERRORS.badRequest when paramsList is not an array.',
        },
      },
    ),
  );

  it(
    'HTTP API: malformed ids, names and types get a 4xx with detail, nothing written',
    results.run(async () => {
      const enc = encodeURIComponent;
      for (const id of BAD_IDS.filter((v): v is string => typeof v === 'string' && v.length < 1000)) {
        await refusedByHttp(`GET /tasks/${short(id)}`, { method: 'GET', url: `/tasks/${enc(id)}` });
        await refusedByHttp(`GET /task-status/${short(id)}`, { method: 'GET', url: `/task-status/${enc(id)}` });
        await refusedByHttp(`POST /task/${short(id)}/cancel`, { method: 'POST', url: `/task/${enc(id)}/cancel` });
        await refusedByHttp(`POST /tasks/${short(id)}/resubmit`, { method: 'POST', url: `/tasks/${enc(id)}/resubmit` });
      }
      await refusedByHttp('a 100 kB id in the path', { method: 'GET', url: `/tasks/${'0'.repeat(100_000)}` });
      await refusedByHttp('raw % in the path', { method: 'GET', url: '/tasks/%E0%A4%A' });
      for (const bad of [...KEY_CHARS, ...UNICODE_AND_CONTROL]) {
        await refusedByHttp(`submit name ${short(bad)}`, {
          method: 'POST',
          url: '/submit-task',
          payload: { name: bad, version: 1 },
        });
        await refusedByHttp(`submit queue ${short(bad)}`, {
          method: 'POST',
          url: '/submit-task',
          payload: { name: 'hostile_plain', version: 1, queue: bad },
        });
        await refusedByHttp(`create queue ${short(bad)}`, { method: 'POST', url: '/queues', payload: { name: bad } });
        await refusedByHttp(`create role ${short(bad)}`, {
          method: 'POST',
          url: '/roles',
          payload: { name: bad, queues: [] },
        });
        if (bad !== '') await refusedByHttp(`GET /queues/${short(bad)}`, { method: 'GET', url: `/queues/${enc(bad)}` });
      }
      await refusedByHttp('unknown task', {
        method: 'POST',
        url: '/submit-task',
        payload: { name: 'no_such_task', version: 1 },
      });
      await refusedByHttp('unknown queue', {
        method: 'POST',
        url: '/submit-task',
        payload: { name: 'hostile_plain', version: 1, queue: 'nope' },
      });
      for (const body of [
        { name: 'hostile_plain', version: '1' },
        { name: 'hostile_plain', version: -1 },
        { name: 'hostile_plain', version: 1.5 },
        { name: 123, version: 1 },
        { name: ['hostile_plain'], version: 1 },
        { name: 'hostile_plain', version: 1, parameters: [] },
        { name: 'hostile_plain', version: 1, parameters: 'x' },
        { name: 'hostile_plain', version: 1, id: 123 },
        { name: 'hostile_typed', version: 2, parameters: { n: 'x', s: 'y' } },
        {},
        [],
        'x',
        null,
      ]) {
        await refusedByHttp(`submit ${short(JSON.stringify(body))}`, {
          method: 'POST',
          url: '/submit-task',
          payload: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
      }
      let nested = '{"a":1}';
      for (let i = 0; i < 10_000; i++) nested = `{"a":${nested}}`;
      await refusedByHttp('10,000 levels of nesting', {
        method: 'POST',
        url: '/submit-task',
        payload: `{"name":"hostile_plain","version":1,"parameters":${nested}}`,
        headers: { 'content-type': 'application/json' },
      });
      await refusedByHttp('__proto__ key', {
        method: 'POST',
        url: '/submit-task',
        payload: '{"name":"hostile_plain","version":1,"parameters":{"__proto__":{"x":1}}}',
        headers: { 'content-type': 'application/json' },
      });
      await refusedByHttp('malformed JSON', {
        method: 'POST',
        url: '/submit-task',
        payload: '{"name":',
        headers: { 'content-type': 'application/json' },
      });
      expect(
        await refusedByHttp('a body over JOBBERS_BODY_LIMIT', {
          method: 'POST',
          url: '/submit-task',
          payload: JSON.stringify({ name: 'hostile_plain', version: 1, parameters: { s: 'x'.repeat(300 * 1024) } }),
          headers: { 'content-type': 'application/json' },
        }),
      ).toBe(413);
      expect(
        await refusedByHttp('application/xml body', {
          method: 'POST',
          url: '/submit-task',
          payload: '<task/>',
          headers: { 'content-type': 'application/xml' },
        }),
      ).toBe(415);
      await refusedByHttp('bulk over 1000 items', {
        method: 'POST',
        url: '/tasks/bulk',
        payload: { tasks: Array.from({ length: 1001 }, () => ({ name: 'hostile_plain', version: 1 })) },
      });
      await refusedByHttp('schedule with a bad run_at', {
        method: 'POST',
        url: '/schedule-task',
        payload: { task: { name: 'hostile_plain', version: 1 }, run_at: 'tomorrow' },
      });
      results.check(
        'HTTP: the same ids and names in paths and bodies, wrong JSON types, 10,000-level nesting, `__proto__` keys, malformed JSON, an over-limit body (413), a wrong media type (415), an oversized bulk request and a bad run_at each get a 4xx with `detail` — never a 5xx — and nothing is written',
      );
    }),
  );
  it(
    'client: huge but valid input is stored intact; huge invalid input gets a short error',
    results.run(async () => {
      const big = 'x'.repeat(5 * 1024 * 1024);
      const { id } = await stack.client.submit(plain, { big, unicode: 'émoji😀\u0000名前' });
      accepted++;
      const t = await stack.client.getTask(id);
      expect((t?.parameters as { big: string }).big.length).toBe(big.length);
      expect((t?.parameters as { unicode: string }).unicode).toBe('émoji😀\u0000名前');
      await refusedByClient('1 MB task name', ERRORS.invalidName.code, () =>
        stack.client.submit('a'.repeat(1024 * 1024), {}),
      );
      await refusedByClient('1 MB queue name', ERRORS.invalidName.code, () =>
        stack.client.submit(plain, {}, { queue: 'q'.repeat(1024 * 1024) }),
      );
      await refusedByClient('1 MB task id', ERRORS.invalidTaskId.code, () =>
        stack.client.getTask('0'.repeat(1024 * 1024)),
      );
      const many = await stack.client.submitMany(
        plain,
        Array.from({ length: 20_000 }, (_, i) => ({ i })),
      );
      expect(many.every((r) => r.ok)).toBe(true);
      accepted += many.length;
      results.check(
        'a 5 MB parameter (with unicode and NUL) round-trips intact; 20,000 tasks in one submitMany are all stored; 1 MB names and ids are refused with messages under 400 characters',
      );
    }),
  );
});

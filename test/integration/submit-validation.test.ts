/** Bad submissions through the client API: each a clear JobbersError, nothing written. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoTask } from '../../examples/tasks.js';
import { ERRORS, JobbersError } from '../../src/index.js';
import { createStack, type Stack } from '../helpers/stack.js';

describe('submission validation', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await createStack([echoTask]);
  });
  afterAll(async () => stack.close());

  const keyCount = async () => (await stack.rt.redis.keys(`${stack.prefix}:*`)).length;

  const cases: Array<[string, () => Promise<unknown>, string, RegExp]> = [
    [
      'unknown task',
      () => stack.client.submit('no_such_task', {}),
      ERRORS.unknownTask.code,
      /Unknown task no_such_task v0/,
    ],
    [
      'unknown version',
      () => stack.client.submit('echo_task', {}, { version: 9 }),
      ERRORS.unknownTask.code,
      /registered versions: 1/,
    ],
    [
      'wrong parameter type',
      () => stack.client.submit(echoTask, { value: 42 }),
      ERRORS.invalidParameters.code,
      /Invalid parameters for echo_task v1: value: /,
    ],
    [
      'parameters not an object',
      () => stack.client.submit(echoTask, [1, 2] as never),
      ERRORS.invalidParameters.code,
      /must be a JSON object/,
    ],
    [
      'unknown queue',
      () => stack.client.submit(echoTask, {}, { queue: 'nowhere' }),
      ERRORS.unknownQueue.code,
      /Unknown queue nowhere/,
    ],
    [
      'key characters in a queue name',
      () => stack.client.submit(echoTask, {}, { queue: 'a:{b}*' }),
      ERRORS.invalidName.code,
      /Queue name "a:\{b\}\*" is invalid/,
    ],
    [
      'control characters in a task name',
      () => stack.client.submit('bad\nname', {}),
      ERRORS.invalidName.code,
      /Task name/,
    ],
    [
      'malformed id',
      () => stack.client.submit(echoTask, {}, { id: 'not-a-ulid' }),
      ERRORS.invalidTaskId.code,
      /is not a ULID/,
    ],
    [
      'parameters nested 10,000 levels deep',
      () => {
        let deep: Record<string, unknown> = {};
        for (let i = 0; i < 10_000; i++) deep = { d: deep };
        return stack.client.submit('echo_task', deep, { version: 1 });
      },
      ERRORS.invalidParameters.code,
      /nested deeper than 32 levels/,
    ],
    ['bad run_at', () => stack.client.submit(echoTask, {}, { runAt: Number.NaN }), ERRORS.badRequest.code, /run_at/],
  ];

  for (const [label, call, code, message] of cases) {
    it(`rejects ${label}`, async () => {
      const before = await keyCount();
      const err = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(JobbersError);
      expect((err as JobbersError).code).toBe(code);
      expect((err as JobbersError).message).toMatch(message);
      expect((err as JobbersError).httpStatus).toBeLessThan(500);
      expect(await keyCount()).toBe(before);
    });
  }

  it('a duplicate id is a 409-class error and the first task is untouched', async () => {
    const first = await stack.client.submit(echoTask, { value: 'one' });
    const err = await stack.client.submit(echoTask, { value: 'two' }, { id: first.id }).catch((e: JobbersError) => e);
    expect((err as JobbersError).code).toBe(ERRORS.duplicateTask.code);
    expect((err as JobbersError).httpStatus).toBe(409);
    expect((await stack.client.getTask(first.id))?.parameters).toEqual({ value: 'one' });
  });

  it('bulk submission reports per-item errors and stores only the valid items', async () => {
    const res = await stack.client.submitMany(echoTask, [{ value: 'a' }, { value: 5 }, { value: 'c' }]);
    expect(res.map((r) => r.ok)).toEqual([true, false, true]);
    const bad = res[1];
    expect(bad && !bad.ok && bad.error.code).toBe(ERRORS.invalidParameters.code);
  });
});

/**
 * Example task module: the four tasks of the original's end-to-end suite (spec §3.8), used by the
 * quickstart demo, docker-compose and the end-to-end tests.
 */
import { z } from 'zod';
import { defineTask } from '../src/index.js';

export class CustomError extends Error {
  override name = 'CustomError';
}

export const echoTask = defineTask(
  { name: 'echo_task', version: 1, maxRetries: 0, params: z.object({ value: z.string().default('default') }) },
  async ({ value }) => ({ value }),
);

export const alwaysFailTask = defineTask(
  { name: 'always_fail_task', version: 1, maxRetries: 2, retryDelay: null, expectedErrors: [CustomError], deadLetterPolicy: 'save' },
  async () => {
    throw new CustomError('always fails');
  },
);

export const scheduledFailTask = defineTask(
  {
    name: 'scheduled_fail_task',
    version: 1,
    maxRetries: 2,
    retryDelay: 0,
    backoff: 'constant',
    expectedErrors: [CustomError],
    deadLetterPolicy: 'save',
  },
  async () => {
    throw new CustomError('scheduled fail');
  },
);

export const slowTask = defineTask(
  { name: 'slow_task', version: 1, maxRetries: 0, params: z.object({ seconds: z.number().positive().default(30) }) },
  async ({ seconds }, ctx) => {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, seconds * 1000);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(ctx.signal.reason);
      });
    });
    return {};
  },
);

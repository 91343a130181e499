/**
 * An HTTP test stack: test/helpers/stack.ts (random Redis prefix, private SQLite, real stores)
 * plus the Manager app built on its runtime, driven in-process with `inject()`.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { alwaysFailTask, echoTask, scheduledFailTask, slowTask } from '../../examples/tasks.js';
import { buildApp, type AppDeps } from '../../src/http/app.js';
import { TaskRegistry } from '../../src/tasks/registry.js';
import { createStack, type Stack } from '../helpers/stack.js';

export const exampleTasks = [echoTask, alwaysFailTask, scheduledFailTask, slowTask];

export interface HttpStack extends Stack {
  app: FastifyInstance;
  /** inject() + parsed JSON body. */
  call(opts: InjectOptions): Promise<{ status: number; body: any; res: LightMyRequestResponse }>;
}

export async function createHttpStack(
  settings: Partial<AppDeps['settings']> = {},
  logger?: AppDeps['logger'],
): Promise<HttpStack> {
  const stack = await createStack(exampleTasks);
  const app = await buildApp({
    runtime: stack.rt,
    registry: new TaskRegistry(exampleTasks),
    settings: { apiToken: null, readonlyToken: null, corsOrigins: [], bodyLimit: 1_048_576, ...settings },
    logger,
  });
  const close = stack.close.bind(stack);
  return Object.assign(stack, {
    app,
    async call(opts: InjectOptions) {
      const res = await app.inject(opts);
      let body: any = res.body;
      try {
        body = res.body === '' ? undefined : JSON.parse(res.body);
      } catch {
        // Not JSON (e.g. /docs HTML): keep the text.
      }
      return { status: res.statusCode, body, res };
    },
    async close() {
      await app.close();
      await close();
    },
  });
}

/** Creates a queue through the API (no role membership, so no worker takes its tasks). */
export async function createParkedQueue(s: HttpStack, name: string): Promise<void> {
  const { status } = await s.call({ method: 'POST', url: '/queues', payload: { name, max_concurrent: null } });
  if (status !== 201) throw new Error(`creating queue ${name} answered ${status}`);
}

export function submit(s: HttpStack, body: Record<string, unknown>) {
  return s.call({ method: 'POST', url: '/submit-task', payload: body });
}

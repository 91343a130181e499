/** `GET /` (spec §8.1): a greeting and the Manager's registered task types. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../deps.js';
import type { TaskDefinition } from '../../tasks/define-task.js';

const TaskTypeSchema = z.object({
  name: z.string(),
  version: z.number().int(),
  queue: z.string().describe('Queue used when a submission names none.'),
  max_retries: z.number().int(),
  timeout: z.number().nullable(),
  dead_letter_policy: z.enum(['none', 'save']),
  on_shutdown: z.enum(['stop', 'resubmit', 'continue']),
  max_concurrent: z.number().int().nullable(),
  parameters_schema: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('JSON Schema of the parameters (input side), or null when the task declares none.'),
});

/** JSON Schema of a task's parameters; null when it has none or it cannot be expressed. */
function parametersSchema(def: TaskDefinition): Record<string, unknown> | null {
  if (!def.params) return null;
  try {
    return z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const IndexResponse = z.object({
  message: z.string(),
  tasks: z
    .array(z.tuple([z.string(), z.number().int()]))
    .describe('Registered (name, version) pairs of the task module the Manager loaded.'),
});

export const rootRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/',
    {
      schema: {
        operationId: 'getRegisteredTasks',
        summary: 'Greeting and registered task types',
        tags: ['index'],
        response: { 200: IndexResponse },
      },
    },
    async () => ({
      message: 'Welcome to Task Manager!',
      tasks: deps.registry.list().map((d): [string, number] => [d.name, d.version]),
    }),
  );

  // Computed once: the registry does not change while the Manager runs.
  const taskTypes = deps.registry.list().map((d) => ({
    name: d.name,
    version: d.version,
    queue: d.queue,
    max_retries: d.maxRetries,
    timeout: d.timeout,
    dead_letter_policy: d.deadLetterPolicy,
    on_shutdown: d.onShutdown,
    max_concurrent: d.maxConcurrent,
    parameters_schema: parametersSchema(d),
  }));
  app.get(
    '/task-types',
    {
      schema: {
        operationId: 'getTaskTypes',
        summary: 'Registered task types with their options and parameter JSON Schemas',
        tags: ['index'],
        response: { 200: z.object({ task_types: z.array(TaskTypeSchema) }) },
      },
    },
    async () => ({ task_types: taskTypes }),
  );
};

/** `GET /` (spec §8.1): a greeting and the Manager's registered task types. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../deps.js';

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
};

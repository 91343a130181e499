/** One task: `GET /task-status/{id}` (spec §8.3), `GET /tasks/{id}` and `POST /tasks/{id}/resubmit`. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../deps.js';
import { ScheduledTaskSummary, TaskDetail, TaskIdParams, TaskSummary, errorResponses } from '../schemas/common.js';
import { toDetail, toScheduledSummary, toSummary } from '../serializers.js';

const ResubmitBody = z
  .object({
    reset_retry_count: z.boolean().default(true).describe('Start again with the full retry budget (default true).'),
  })
  .nullish();

const ResubmitResponse = z.object({ message: z.string(), task: TaskSummary });

export const taskRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { tasks } = deps.runtime;

  app.get(
    '/task-status/:task_id',
    {
      schema: {
        operationId: 'getTaskStatus',
        summary: 'Task summary (with scheduled_at when scheduled)',
        tags: ['tasks'],
        params: TaskIdParams,
        response: { 200: ScheduledTaskSummary, ...errorResponses(404, 422) },
      },
    },
    async (req) => toScheduledSummary(await tasks.get(req.params.task_id)),
  );

  app.get(
    '/tasks/:task_id',
    {
      schema: {
        operationId: 'getTask',
        summary: 'Full task record: parameters, results, every error with its time, all timestamps',
        tags: ['tasks'],
        params: TaskIdParams,
        response: { 200: TaskDetail, ...errorResponses(404, 422) },
      },
    },
    async (req) => toDetail(await tasks.get(req.params.task_id)),
  );

  app.post(
    '/tasks/:task_id/resubmit',
    {
      schema: {
        operationId: 'resubmitTask',
        summary: 'Send a failed, stalled, cancelled or dropped task back to its queue',
        description: 'The error history is kept. 409 when the task is in any other status.',
        tags: ['tasks'],
        params: TaskIdParams,
        body: ResubmitBody,
        response: { 200: ResubmitResponse, ...errorResponses(404, 409, 422) },
      },
    },
    async (req) => {
      await tasks.resubmit(req.params.task_id, req.body?.reset_retry_count ?? true);
      return { message: 'Task resubmitted', task: toSummary(await tasks.get(req.params.task_id)) };
    },
  );
};

/**
 * Cancellation (spec §8.4) with the store's race-free semantics (spec B10): a submitted or
 * scheduled task is cancelled at once; a started task gets a persisted "cancel requested" flag,
 * its worker is told and acknowledges by finishing it as cancelled (or lease recovery does, if
 * the worker died). Each accepted request increments `cancellations_requested`.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { isJobbersError } from '../../errors.js';
import { recordCancellationRequested } from '../../telemetry/instruments.js';
import type { AppDeps } from '../deps.js';
import { TaskId, TaskIdParams, TaskStatusSchema, TaskSummary, errorResponses } from '../schemas/common.js';
import { toSummary } from '../serializers.js';

const CancelResponse = z.object({
  message: z.string().describe('"Task cancelled" (was waiting) or "Cancellation request sent" (was running).'),
  task: TaskSummary,
});

const BulkCancelBody = z.object({ task_ids: z.array(TaskId).max(1000) });

const BulkCancelItem = z.object({
  task_id: z.string(),
  status: z.enum(['cancellation_requested', 'not_found', 'error']),
  task_status: TaskStatusSchema.optional().describe(
    'Status after the request: cancelled, or started while its worker stops it.',
  ),
  detail: z.string().optional(),
});

export const cancellationRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { tasks } = deps.runtime;

  /** Cancels one task; returns its status afterwards. Throws the catalogue's 404/409. */
  async function cancel(id: string): Promise<{ cancelled: boolean }> {
    const outcome = await tasks.cancel(id);
    recordCancellationRequested({ queue: outcome.queue ?? '', task: outcome.name ?? '' });
    return { cancelled: outcome.kind === 'cancelled' };
  }

  app.post(
    '/task/:task_id/cancel',
    {
      schema: {
        operationId: 'cancelTask',
        summary: 'Cancel a submitted, scheduled or running task',
        tags: ['cancellation'],
        params: TaskIdParams,
        response: { 200: CancelResponse, ...errorResponses(404, 409, 422) },
      },
    },
    async (req) => {
      const { cancelled } = await cancel(req.params.task_id);
      const task = await tasks.get(req.params.task_id);
      return { message: cancelled ? 'Task cancelled' : 'Cancellation request sent', task: toSummary(task) };
    },
  );

  app.post(
    '/tasks/cancel',
    {
      schema: {
        operationId: 'cancelTasks',
        summary: 'Cancel many tasks',
        description: 'Per-task outcome in request order; a malformed id makes the whole request a 422.',
        tags: ['cancellation'],
        body: BulkCancelBody,
        response: { 200: z.object({ results: z.array(BulkCancelItem) }), ...errorResponses(422) },
      },
    },
    async (req) => {
      const results = await Promise.all(
        req.body.task_ids.map(async (id): Promise<z.output<typeof BulkCancelItem>> => {
          try {
            const { cancelled } = await cancel(id);
            return { task_id: id, status: 'cancellation_requested', task_status: cancelled ? 'cancelled' : 'started' };
          } catch (err) {
            if (isJobbersError(err, 'taskNotFound')) return { task_id: id, status: 'not_found' };
            if (isJobbersError(err) && err.httpStatus < 500)
              return { task_id: id, status: 'error', detail: err.message };
            throw err;
          }
        }),
      );
      return { results };
    },
  );
};

/**
 * Dead-letter queue (spec §8.5). Fixes of spec B23: history entries carry their time and error
 * type, resubmission keeps the error history, and DELETE reports how many entries it removed.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { TaskRecord } from '../../domain/task.js';
import { ERRORS, isJobbersError } from '../../errors.js';
import type { AppDeps } from '../deps.js';
import {
  AttemptErrorSchema,
  QueueName,
  TaskId,
  TaskIdParams,
  TaskName,
  TaskSummary,
  TaskVersion,
  blankAsAbsent,
  errorResponses,
  intQuery,
} from '../schemas/common.js';
import { toAttemptError, toSummary } from '../serializers.js';

const DlqQuery = z.object({
  queue: blankAsAbsent(QueueName.optional()),
  task_name: blankAsAbsent(TaskName.optional()),
  task_version: blankAsAbsent(intQuery(0, 2_147_483_647).optional()),
  limit: blankAsAbsent(intQuery(1, 1000).default(100)).describe('1-1000 (default 100).'),
});

const TaskIdsBody = z.object({ task_ids: z.array(TaskId).max(1000) });

const ResubmitBody = z.object({
  task_ids: z.array(TaskId).max(1000).nullish().describe('Resubmit these (ignored unless in the dead-letter queue).'),
  queue: QueueName.nullish(),
  task_name: TaskName.nullish(),
  task_version: TaskVersion.nullish(),
  reset_retry_count: z.boolean().default(true),
  limit: z.number().int().min(1).max(1000).default(100).describe('With a filter: at most this many tasks.'),
});

const HistoryResponse = z.object({
  task_id: z.string(),
  history: z.array(AttemptErrorSchema).describe('One entry per failed attempt, oldest first.'),
});

/** The tasks among `tasks` that are in their queue's dead-letter set. */
export const deadLetterRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const rt = deps.runtime;

  app.get(
    '/dead-letter-queue',
    {
      schema: {
        operationId: 'getDeadLetterQueue',
        summary: 'Dead-lettered tasks, newest first',
        tags: ['dead-letter-queue'],
        querystring: DlqQuery,
        response: { 200: z.object({ tasks: z.array(TaskSummary) }), ...errorResponses(422) },
      },
    },
    async (req) => {
      const q = req.query;
      const tasks = await rt.store.listDeadLetters({
        queue: q.queue,
        name: q.task_name,
        version: q.task_version,
        limit: q.limit,
      });
      return { tasks: tasks.map(toSummary) };
    },
  );

  app.get(
    '/dead-letter-queue/:task_id/history',
    {
      schema: {
        operationId: 'getDeadLetterHistory',
        summary: "A task's failed attempts with their times",
        description: 'An empty history when the task does not exist (any more).',
        tags: ['dead-letter-queue'],
        params: TaskIdParams,
        response: { 200: HistoryResponse, ...errorResponses(422) },
      },
    },
    async (req) => {
      const task = await rt.store.getTask(req.params.task_id.toUpperCase());
      return { task_id: req.params.task_id, history: (task?.errors ?? []).map(toAttemptError) };
    },
  );

  app.delete(
    '/dead-letter-queue',
    {
      schema: {
        operationId: 'removeFromDeadLetterQueue',
        summary: 'Remove entries from the dead-letter queue (the task records are kept)',
        tags: ['dead-letter-queue'],
        body: TaskIdsBody,
        response: {
          200: z.object({
            removed: z.number().int().describe('Entries actually removed.'),
            task_ids: z.array(z.string()),
          }),
          ...errorResponses(422),
        },
      },
    },
    async (req) => {
      const ids = [...new Set(req.body.task_ids.map((id) => id.toUpperCase()))];
      // One id per call: RedisTaskStore.removeDeadLetters undercounts when given several ids at
      // once (its concurrent callbacks each do `removed += await …`), and the count is the point.
      const counts = await Promise.all(ids.map((id) => rt.store.removeDeadLetters([id])));
      return { removed: counts.reduce((a, b) => a + b, 0), task_ids: req.body.task_ids };
    },
  );

  app.post(
    '/dead-letter-queue/resubmit',
    {
      schema: {
        operationId: 'resubmitFromDeadLetterQueue',
        summary: 'Send dead-lettered tasks back to their queues, by id or by filter',
        tags: ['dead-letter-queue'],
        body: ResubmitBody,
        response: {
          200: z.object({ resubmitted: z.number().int(), tasks: z.array(TaskSummary) }),
          ...errorResponses(400, 422),
        },
      },
    },
    async (req) => {
      const b = req.body;
      let candidates: TaskRecord[];
      if (b.task_ids != null) {
        const ids = [...new Set(b.task_ids.map((id) => id.toUpperCase()))];
        const found = (await rt.store.getTasks(ids)).filter((t): t is TaskRecord => t !== null);
        candidates = await rt.store.filterDeadLettered(found);
      } else if (b.queue != null || b.task_name != null || b.task_version != null) {
        candidates = await rt.store.listDeadLetters({
          queue: b.queue ?? undefined,
          name: b.task_name ?? undefined,
          version: b.task_version ?? undefined,
          limit: b.limit,
        });
      } else {
        throw ERRORS.badRequest.make('Provide task_ids or at least one of: queue, task_name, task_version.');
      }
      const resubmitted: string[] = [];
      for (const t of candidates) {
        try {
          await rt.tasks.resubmit(t.id, b.reset_retry_count);
          resubmitted.push(t.id);
        } catch (err) {
          // Raced with another resubmit or a cleaner run: report only what this call did.
          if (!isJobbersError(err) || err.httpStatus >= 500) throw err;
        }
      }
      const tasks = (await rt.store.getTasks(resubmitted)).filter((t): t is TaskRecord => t !== null);
      return { resubmitted: resubmitted.length, tasks: tasks.map(toSummary) };
    },
  );
};

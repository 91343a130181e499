/**
 * Listings of spec §8.3: `/task-list` (every status, exact pagination — spec B21),
 * `/active-tasks` and `/scheduled-tasks` (ULID order with an exclusive `start` cursor).
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../deps.js';
import {
  QueueName,
  ScheduledTaskSummary,
  TaskDetail,
  TaskId,
  TaskName,
  TaskStatusSchema,
  TaskSummary,
  errorResponses,
  intQuery,
  blankAsAbsent,
} from '../schemas/common.js';
import { toDetail, toScheduledSummary, toSummary } from '../serializers.js';

/** Upper bound on `offset`: deep pages cost a scan, and no UI pages this far. */
const MAX_OFFSET = 1_000_000;

const TaskListQuery = z.object({
  queue: QueueName,
  limit: blankAsAbsent(intQuery(1, 100).default(10)).describe('Page size, 1-100 (default 10).'),
  offset: blankAsAbsent(intQuery(0, MAX_OFFSET).default(0)).describe('Tasks to skip (default 0).'),
  order_by: blankAsAbsent(z.enum(['submitted_at', 'task_id']).default('submitted_at')).describe(
    'submitted_at (default): running, then queued oldest first, scheduled soonest first, then finished newest first; task_id: ULID order.',
  ),
  task_name: blankAsAbsent(TaskName.optional()),
  task_version: blankAsAbsent(intQuery(0, 2_147_483_647).optional()),
  status: blankAsAbsent(TaskStatusSchema.optional()),
});

const ScheduledQuery = z.object({
  queue: QueueName,
  limit: blankAsAbsent(intQuery(1, 100).default(10)).describe('Page size, 1-100 (default 10).'),
  start: blankAsAbsent(TaskId.optional()).describe(
    'Exclusive cursor: only tasks with a larger id (the last id of the previous page).',
  ),
  task_name: blankAsAbsent(TaskName.optional()),
  task_version: blankAsAbsent(intQuery(0, 2_147_483_647).optional()),
});

const ActiveQuery = z.object({ queue: blankAsAbsent(QueueName.optional()).describe('Default: every known queue.') });

const TaskListResponse = z.object({
  tasks: z.array(TaskDetail),
  total: z.number().int().describe('Tasks matching the filters, over all pages.'),
});

export const taskListRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { store } = deps.runtime;

  app.get(
    '/task-list',
    {
      schema: {
        operationId: 'getTaskList',
        summary: "A page of a queue's tasks, any status",
        tags: ['tasks'],
        querystring: TaskListQuery,
        response: { 200: TaskListResponse, ...errorResponses(422) },
      },
    },
    async (req) => {
      const q = req.query;
      const { tasks, total } = await store.listTasks(q.queue, {
        status: q.status,
        name: q.task_name,
        version: q.task_version,
        offset: q.offset,
        limit: q.limit,
        orderBy: q.order_by,
      });
      return { tasks: tasks.map(toDetail), total };
    },
  );

  app.get(
    '/active-tasks',
    {
      schema: {
        operationId: 'getActiveTasks',
        summary: 'Running tasks of one queue, or of every known queue',
        tags: ['tasks'],
        querystring: ActiveQuery,
        response: { 200: z.object({ tasks: z.array(TaskSummary) }), ...errorResponses(422) },
      },
    },
    async (req) => {
      const queues = req.query.queue ? [req.query.queue] : await store.knownQueues();
      const lists = await Promise.all(queues.map((q) => store.listActive(q)));
      return { tasks: lists.flat().map(toSummary) };
    },
  );

  app.get(
    '/scheduled-tasks',
    {
      schema: {
        operationId: 'getScheduledTasks',
        summary: 'Scheduled tasks and delayed retries of a queue, by id',
        tags: ['tasks'],
        querystring: ScheduledQuery,
        response: { 200: z.object({ tasks: z.array(ScheduledTaskSummary) }), ...errorResponses(422) },
      },
    },
    async (req) => {
      const q = req.query;
      const tasks = await store.listScheduled(q.queue, {
        name: q.task_name,
        version: q.task_version,
        after: q.start?.toUpperCase(),
        limit: q.limit,
      });
      return { tasks: tasks.map(toScheduledSummary) };
    },
  );
};

/**
 * Submission (spec §8.2) plus `POST /tasks/bulk`.
 *
 * Only the fields of SubmitTaskBody are read; anything else a client sends (status, results,
 * errors, retry_attempt, timestamps, ...) is dropped by the schema and never stored (spec B9).
 * The server generates the id when none is given; an id that exists answers 409. Rate limits
 * delay starts, they never reject a submission (spec B7): an accepted task always runs.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { SubmitInput } from '../../services/task-service.js';
import { currentTraceparent, startSubmitSpan } from '../../telemetry/tracing.js';
import type { AppDeps } from '../deps.js';
import {
  Parameters,
  QueueName,
  TaskId,
  TaskName,
  TaskSummary,
  TaskVersion,
  errorResponses,
} from '../schemas/common.js';
import { iso, toSummary } from '../serializers.js';

const SubmitTaskBody = z
  .object({
    id: TaskId.nullish().describe('ULID chosen by the client; omit it to have the server generate one.'),
    name: TaskName,
    version: TaskVersion.optional().describe('Task type version (default 0).'),
    queue: QueueName.nullish().describe("Target queue; default: the task type's queue, else `default`."),
    parameters: Parameters.optional(),
  })
  .meta({
    id: 'SubmitTaskRequest',
    description: 'A task to run. Other task fields (status, results, errors, ...) are ignored.',
  });

type SubmitBody = z.output<typeof SubmitTaskBody>;

const SubmitResponse = z.object({ message: z.string(), task: TaskSummary });

const ScheduleBody = z.object({
  task: SubmitTaskBody,
  run_at: z.iso
    .datetime({ offset: true, local: true })
    .describe('When to run, ISO-8601; without an offset the server time zone applies.'),
});

const ScheduleResponse = z.object({
  message: z.string(),
  task: TaskSummary,
  run_at: z.string().meta({ format: 'date-time' }),
});

const BulkBody = z.object({ tasks: z.array(SubmitTaskBody).min(1).max(1000) });

const BulkResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), task: TaskSummary }),
  z.object({ ok: z.literal(false), status: z.number().int(), detail: z.string() }),
]);
const BulkResponse = z.object({
  results: z.array(BulkResult).describe('One entry per submitted task, in request order.'),
});

function toInput(body: SubmitBody, runAt: number | null = null): SubmitInput {
  return {
    id: body.id ?? null,
    name: body.name,
    version: body.version,
    queue: body.queue ?? null,
    parameters: body.parameters,
    runAt,
    // Inside startSubmitSpan: links every later attempt's span to this submission's trace.
    traceparent: currentTraceparent(),
  };
}

export const submissionRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { tasks } = deps.runtime;

  app.post(
    '/submit-task',
    {
      schema: {
        operationId: 'submitTask',
        summary: 'Submit a task',
        tags: ['submission'],
        body: SubmitTaskBody,
        response: { 200: SubmitResponse, ...errorResponses(400, 409, 422) },
      },
    },
    async (req) => {
      const task = await startSubmitSpan(req.body.name, {}, () => tasks.submit(toInput(req.body)));
      return { message: 'Task submitted successfully', task: toSummary(task) };
    },
  );

  app.post(
    '/schedule-task',
    {
      schema: {
        operationId: 'scheduleTask',
        summary: 'Submit a task to run at a given time',
        tags: ['submission'],
        body: ScheduleBody,
        response: { 200: ScheduleResponse, ...errorResponses(400, 409, 422) },
      },
    },
    async (req) => {
      const runAt = Date.parse(req.body.run_at);
      const task = await startSubmitSpan(req.body.task.name, { scheduled: true }, () =>
        tasks.submit(toInput(req.body.task, runAt)),
      );
      return { message: 'Task scheduled successfully', task: toSummary(task), run_at: iso(runAt) ?? req.body.run_at };
    },
  );

  app.post(
    '/tasks/bulk',
    {
      schema: {
        operationId: 'submitTasks',
        summary: 'Submit many tasks in one call',
        description:
          'Each task is validated and stored on its own: the response lists, in request order, the stored ' +
          'task or the status and message it would have got from /submit-task. A malformed request (422) stores nothing.',
        tags: ['submission'],
        body: BulkBody,
        response: { 200: BulkResponse, ...errorResponses(422) },
      },
    },
    async (req) => {
      const inputs = req.body.tasks;
      // One span for the batch: every task of it carries the same traceparent.
      const results = await startSubmitSpan('bulk', { 'task.count': inputs.length }, () =>
        tasks.submitMany(inputs.map((b) => toInput(b))),
      );
      return {
        results: results.map((r) =>
          r.ok
            ? { ok: true as const, task: toSummary(r.task) }
            : { ok: false as const, status: r.error.httpStatus, detail: r.error.message },
        ),
      };
    },
  );
};

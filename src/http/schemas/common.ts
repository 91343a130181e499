/**
 * Building blocks shared by the route schemas. They are zod schemas so that one definition gives
 * request validation (422 on mismatch), response serialisation and the OpenAPI document.
 *
 * Names and ids are checked here, before any handler runs, so nothing malformed reaches a Redis
 * key or a Lua script (spec B20, B30). The patterns mirror src/domain/names.ts and ids.ts.
 */
import { z } from 'zod';
import { NAME_RE, NAME_RULE, TASK_NAME_RE, TASK_NAME_RULE } from '../../domain/names.js';
import { TASK_STATUSES } from '../../domain/status.js';

// The character class spells out both cases: JSON-schema patterns carry no `i` flag.
const ULID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}$/;

export const TaskId = z
  .string()
  .regex(ULID_PATTERN, 'must be a ULID: 26 Crockford base32 characters, the first from 0 to 7')
  .describe('Task id: a ULID (26 Crockford base32 characters).');

export const QueueName = z.string().regex(NAME_RE, `must be ${NAME_RULE}`).describe(`Queue name: ${NAME_RULE}.`);
export const RoleName = z.string().regex(NAME_RE, `must be ${NAME_RULE}`).describe(`Role name: ${NAME_RULE}.`);
export const TaskName = z
  .string()
  .regex(TASK_NAME_RE, `must be ${TASK_NAME_RULE}`)
  .describe(`Task name: ${TASK_NAME_RULE}.`);

export const TaskStatusSchema = z.enum(TASK_STATUSES).meta({ id: 'TaskStatus' });

/** Largest integer the API accepts for counts and versions (SQL `integer`, Lua-safe). */
export const MAX_INT = 2_147_483_647;
export const TaskVersion = z.number().int().min(0).max(MAX_INT);

/**
 * Nesting allowed inside `parameters`. Deeper values would overflow the stack of the msgpack
 * encoder or of JSON.stringify (a 500); no real task needs more.
 */
export const MAX_PARAMETER_DEPTH = 32;

/** Depth of a JSON value, computed without recursion so hostile input cannot overflow the stack. */
export function jsonDepth(value: unknown, stopAt: number): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > max) max = d + 1;
    if (max > stopAt) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

export const Parameters = z
  .record(z.string(), z.unknown())
  .refine((v) => jsonDepth(v, MAX_PARAMETER_DEPTH) <= MAX_PARAMETER_DEPTH, {
    message: `must not nest deeper than ${MAX_PARAMETER_DEPTH} levels`,
  })
  .describe('Keyword arguments of the task function (a JSON object).');

/** Integer query parameter: query strings are text, so digits are converted before the range check. */
export function intQuery(min: number, max: number) {
  return z.preprocess(
    (v) => (typeof v === 'string' && /^-?\d{1,16}$/.test(v) ? Number(v) : v),
    z.number().int().min(min).max(max),
  );
}

/**
 * Query parameter where an empty value (`?task_name=`, as HTML forms send it) counts as absent;
 * pass `schema.optional()` or `schema.default(x)`.
 */
export function blankAsAbsent<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === '' ? undefined : v), schema);
}

const ValidationItem = z.object({
  loc: z.array(z.union([z.string(), z.number()])),
  msg: z.string(),
  type: z.string(),
});

export const ErrorResponse = z
  .object({
    detail: z.union([z.string(), z.array(ValidationItem)]),
  })
  .meta({ id: 'ErrorResponse', description: 'Error body: a message, or a list of validation problems (422).' });

/** Response map entries for the error statuses a route documents. */
export function errorResponses(...codes: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(codes.map((c) => [c, ErrorResponse]));
}

export const Message = z.object({ message: z.string() });

/** Response times: ISO-8601 UTC strings made by Date#toISOString (no need to re-validate them). */
const IsoTime = z.string().meta({ format: 'date-time' });
export const NullableTime = IsoTime.nullable();

export const TaskSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    queue: z.string(),
    version: z.number().int(),
    parameters: z.record(z.string(), z.unknown()),
    status: TaskStatusSchema,
    retry_attempt: z.number().int(),
    submitted_at: NullableTime,
    last_error: z.string().optional().describe('Message of the last failed attempt; absent when none failed.'),
  })
  .meta({ id: 'TaskSummary' });

export const ScheduledTaskSummary = TaskSummary.extend({
  scheduled_at: NullableTime.optional().describe('When a scheduled task becomes due.'),
}).meta({ id: 'ScheduledTaskSummary' });

export const AttemptErrorSchema = z
  .object({
    attempt: z.number().int().describe('0-based attempt number that failed.'),
    timestamp: IsoTime,
    error: z.string(),
    type: z.string().nullable().describe('Error class name, when known.'),
  })
  .meta({ id: 'AttemptError' });

export const TaskDetail = z
  .object({
    id: z.string(),
    name: z.string(),
    queue: z.string(),
    version: z.number().int(),
    parameters: z.record(z.string(), z.unknown()),
    status: TaskStatusSchema,
    retry_attempt: z.number().int(),
    max_retries: z.number().int(),
    starts: z.number().int().describe('How many times a worker started the task.'),
    results: z.unknown().describe('Return value of the task function (null until completed).'),
    errors: z.array(AttemptErrorSchema),
    last_error: z.string().optional(),
    created_at: NullableTime,
    submitted_at: NullableTime,
    started_at: NullableTime,
    retried_at: NullableTime.describe('Start of the latest attempt when it was not the first.'),
    attempt_started_at: NullableTime,
    heartbeat_at: NullableTime,
    completed_at: NullableTime,
    scheduled_at: NullableTime.describe('Due time of a scheduled task.'),
    lease_expires_at: NullableTime.describe('Lease deadline of a started task.'),
    cancel_requested: z.boolean(),
    dead_letter_policy: z.enum(['none', 'save']),
    lease_expiry_policy: z.enum(['requeue', 'stall']),
    traceparent: z.string().nullable(),
  })
  .meta({ id: 'TaskDetail' });

export const TaskIdParams = z.object({ task_id: TaskId });

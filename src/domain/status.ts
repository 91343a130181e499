/**
 * Task statuses and the state machine they form.
 *
 * The exact strings are part of the compatibility contract (spec §2.2). Each status also has a
 * one-byte code used in the Redis record header; the Lua scripts use the same numbers.
 *
 * State machine (every arrow is one atomic Lua script in src/store/redis/lua):
 *
 *   (new) ──submit──────────────► submitted ──claim────────► started ──complete──► completed
 *   (new) ──schedule────────────► scheduled ──promote──────► submitted
 *   submitted|scheduled ──cancel─► cancelled
 *   started ──cancel─────────────► started + cancel flag ──worker ack──► cancelled
 *   started ──retry (immediate)──► submitted          (attempt + 1, error recorded)
 *   started ──retry (delayed)────► scheduled          (attempt + 1, error recorded)
 *   started ──fail───────────────► failed (+ DLQ when dead_letter_policy = save)
 *   started ──drop (unknown type)► dropped
 *   started ──shutdown: stop─────► stalled
 *   started ──shutdown: resubmit─► submitted          (no attempt consumed)
 *   started ──lease expired──────► submitted (policy requeue, budget left) | stalled
 *   failed (in DLQ) | stalled ──resubmit──► submitted
 *
 * `unsubmitted` exists for compatibility (a client-side record not yet stored); no stored task
 * is ever left in it.
 */
export const TASK_STATUSES = [
  'unsubmitted',
  'submitted',
  'started',
  'completed',
  'cancelled',
  'stalled',
  'failed',
  'dropped',
  'scheduled',
] as const;

export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Header byte for each status; index in TASK_STATUSES. Mirrored in lua/*.lua. */
export const STATUS_CODE: Readonly<Record<TaskStatus, number>> = Object.freeze(
  Object.fromEntries(TASK_STATUSES.map((s, i) => [s, i])) as Record<TaskStatus, number>,
);

export function statusFromCode(code: number): TaskStatus {
  const status = TASK_STATUSES[code];
  if (status === undefined) throw new Error(`Unknown task status code ${code} in stored record`);
  return status;
}

export function isTaskStatus(value: unknown): value is TaskStatus {
  return typeof value === 'string' && (TASK_STATUSES as readonly string[]).includes(value);
}

/** Statuses a task can still leave by itself. */
export const ACTIVE_STATUSES: readonly TaskStatus[] = ['submitted', 'started', 'scheduled'];
/** Statuses with no automatic way out (cleaner age-based pruning applies to these). */
export const TERMINAL_STATUSES: readonly TaskStatus[] = ['completed', 'failed', 'cancelled', 'stalled', 'dropped'];
/** Statuses the cancel API accepts. */
export const CANCELLABLE_STATUSES: readonly TaskStatus[] = ['submitted', 'started', 'scheduled'];
/** Statuses from which an operator may resubmit a task. */
export const RESUBMITTABLE_STATUSES: readonly TaskStatus[] = ['failed', 'stalled', 'cancelled', 'dropped'];

export function isTerminal(status: TaskStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

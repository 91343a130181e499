/** Names the views use for the server's shapes. All of them come from the generated contract. */
import type * as S from './schema.gen';

export type TaskStatus = S.TaskStatus;
export type TaskSummary = S.TaskSummary;
export type ScheduledTaskSummary = S.ScheduledTaskSummary;
export type TaskDetail = S.TaskDetail;
export type AttemptError = S.AttemptError;
export type QueueConfig = S.QueueConfig;
export type QueueStats = S.GetStatsResponse['queues'][number];
export type StoredStatus = keyof QueueStats['counts'];
export type WorkerInfo = S.GetWorkersResponse['workers'][number];
export type RatePeriod = NonNullable<QueueConfig['rate_period']>;
export type ValidationProblem = Exclude<S.ErrorResponse['detail'], string>[number];

export type TaskListQuery = S.GetTaskListQuery;
export type TaskListPage = S.GetTaskListResponse;
export type ScheduledQuery = S.GetScheduledTasksQuery;
export type DeadLetterQuery = S.GetDeadLetterQueueQuery;
export type SubmitTaskBody = S.SubmitTaskBody;
export type QueueConfigBody = S.CreateQueueBody;
export type DeadLetterResubmitBody = S.ResubmitFromDeadLetterQueueBody;
export type BulkCancelResult = S.CancelTasksResponse['results'][number];

/** Statuses in the order the UI lists them (waiting → running → finished). */
export const STATUS_ORDER = [
  'submitted',
  'scheduled',
  'started',
  'completed',
  'failed',
  'cancelled',
  'stalled',
  'dropped',
] as const satisfies readonly StoredStatus[];

/** Statuses a cancel request applies to, and those a resubmit applies to (server rules). */
export const CANCELLABLE: readonly TaskStatus[] = ['submitted', 'scheduled', 'started'];
export const RESUBMITTABLE: readonly TaskStatus[] = ['failed', 'stalled', 'cancelled', 'dropped'];
export const FINISHED: readonly TaskStatus[] = ['completed', 'failed', 'cancelled', 'stalled', 'dropped'];

/** A task type the Manager can run, with its parameter schema when the server exposes one. */
export interface TaskType {
  name: string;
  version: number;
  parametersSchema: import('./json-schema').JsonSchema | null;
}

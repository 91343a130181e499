/**
 * The task store: everything the client, the Manager, the worker, the scheduler and the cleaner
 * do with task state. Every mutating method is one atomic transition (DESIGN.md §2.2).
 * The Redis implementation is src/store/redis/redis-task-store.ts.
 */
import type { QueueLimits } from '../domain/queue-config.js';
import type { TaskStatus } from '../domain/status.js';
import type { AttemptError, NewTask, TaskRecord } from '../domain/task.js';

export type SubmitOutcome = 'stored' | 'duplicate';

/** A task a worker has claimed: it owns the lease identified by (owner, starts). */
export interface ClaimedTask {
  id: string;
  queue: string;
  name: string;
  version: number;
  parameters: Record<string, unknown>;
  retryAttempt: number;
  maxRetries: number;
  starts: number;
  submittedAt: number;
  createdAt: number;
  attemptStartedAt: number;
  traceparent: string | null;
  deadLetter: boolean;
}

export interface Completion {
  id: string;
  starts: number;
  results: unknown;
}

export interface ClaimRequest {
  queue: string;
  /** Worker token; with `starts` it fences every later report about the task. */
  owner: number;
  leaseMs: number;
  /** How many tasks the worker can take now (0: only report completions). */
  want: number;
  limits: QueueLimits;
  completions: Completion[];
}

export interface ClaimResult {
  /** One per completion: true when recorded, false when the lease had been lost. */
  completed: boolean[];
  claimed: ClaimedTask[];
  /** >0 when the queue's rate limit is exhausted: try again in this many ms. */
  retryAfterMs: number;
  recovered: number;
  /** Redis server time (epoch ms) of the call. */
  now: number;
}

export interface LeaseRef {
  id: string;
  starts: number;
}

export type RenewOutcome = 'renewed' | 'cancel-requested' | 'lost';

export type FinishStatus = 'failed' | 'dropped' | 'cancelled' | 'stalled';

export type CancelOutcome =
  | { kind: 'cancelled'; from: TaskStatus }
  | { kind: 'requested' }
  | { kind: 'not-cancellable'; status: TaskStatus }
  | { kind: 'not-found' };

export type ResubmitOutcome =
  { kind: 'resubmitted' } | { kind: 'not-allowed'; status: TaskStatus } | { kind: 'not-found' };

export interface ListPage {
  /** Filters; all optional. */
  status?: TaskStatus;
  name?: string;
  version?: number;
  offset: number;
  limit: number;
  orderBy?: 'submitted_at' | 'task_id';
}

export interface QueueCounts {
  queue: string;
  counts: Record<TaskStatus, number>;
  dlq: number;
  oldestWaitingAgeMs: number | null;
}

export interface TaskStore {
  // submission
  /**
   * Stores new tasks (submitted, or scheduled when run_at is in the future), one outcome per task
   * in input order; a task whose id exists is a duplicate and nothing is written for it. Atomic per
   * queue. Adapters may join calls made at the same moment into one round trip (the Redis one
   * does, per tick) as long as each task's outcome is what separate calls would have given.
   */
  submit(tasks: NewTask[]): Promise<SubmitOutcome[]>;
  // reads
  getTask(id: string, queueHint?: string): Promise<TaskRecord | null>;
  getTasks(ids: string[]): Promise<Array<TaskRecord | null>>;
  listTasks(queue: string, page: ListPage): Promise<{ tasks: TaskRecord[]; total: number }>;
  listActive(queue: string): Promise<TaskRecord[]>;
  listScheduled(
    queue: string,
    opts: { name?: string; version?: number; after?: string; limit: number },
  ): Promise<TaskRecord[]>;
  countByStatus(queue: string): Promise<QueueCounts>;
  knownQueues(): Promise<string[]>;
  // worker
  claim(req: ClaimRequest): Promise<ClaimResult>;
  renewLeases(queue: string, owner: number, leases: Array<LeaseRef & { leaseMs: number }>): Promise<RenewOutcome[]>;
  retry(
    queue: string,
    owner: number,
    lease: LeaseRef,
    opts: { runAt: number | null; consumeAttempt: boolean; error: AttemptError | null },
  ): Promise<'done' | 'stale' | 'cancel-requested'>;
  finish(
    queue: string,
    owner: number,
    lease: LeaseRef,
    opts: { status: FinishStatus; error: AttemptError | null; deadLetter: boolean },
  ): Promise<boolean>;
  /** Per-type concurrency limits ("name@version" → limit, null = none) of one queue. */
  setTypeLimits(queue: string, limits: Array<{ type: string; limit: number | null }>): Promise<number>;
  /** Blocks until one of the queues may have work, or the timeout; returns the queue or null. */
  waitForWork(queues: string[], timeoutMs: number): Promise<string | null>;
  // operators
  cancel(id: string): Promise<CancelOutcome & { queue?: string; name?: string }>;
  resubmit(id: string, opts: { resetRetryCount: boolean }): Promise<ResubmitOutcome>;
  // dead-letter queue
  listDeadLetters(opts: { queue?: string; name?: string; version?: number; limit: number }): Promise<TaskRecord[]>;
  removeDeadLetters(ids: string[]): Promise<number>;
  /** The subset of `tasks` currently in the dead-letter queue, in input order. */
  filterDeadLettered<T extends { id: string; queue: string }>(tasks: T[]): Promise<T[]>;
  // scheduler
  promoteDue(
    queue: string,
    limit: number,
  ): Promise<{ promoted: Array<{ id: string; name: string; runAt: number }>; nextDueAt: number | null; now: number }>;
  // cleaner
  recoverExpiredLeases(queue: string, limit: number): Promise<number>;
  pruneTerminal(queue: string, olderThan: number): Promise<number>;
  pruneDeadLetters(queue: string, olderThan: number): Promise<number>;
  pruneWaiting(queue: string, min: number, max: number): Promise<number>;
  pruneRateLog(queue: string, olderThan: number): Promise<number>;
}

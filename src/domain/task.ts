/** The task record as the library, the API and the UI see it. */
import type { TaskStatus } from './status.js';

export type JsonObject = { [key: string]: unknown };

/** One failed attempt: kept for every attempt, with its time (fixes spec B23). */
export interface AttemptError {
  /** 0-based attempt number that failed. */
  attempt: number;
  /** Epoch milliseconds when the failure was recorded. */
  at: number;
  /** Error message. */
  error: string;
  /** Error class name, when known ("TimeoutError", "LeaseExpired", ...). */
  type?: string;
}

/** What a worker does with a running task when it is asked to shut down (DESIGN.md §2.4). */
export const SHUTDOWN_POLICIES = ['stop', 'resubmit', 'continue'] as const;
export type ShutdownPolicy = (typeof SHUTDOWN_POLICIES)[number];

export const DEAD_LETTER_POLICIES = ['none', 'save'] as const;
export type DeadLetterPolicy = (typeof DEAD_LETTER_POLICIES)[number];

/** What recovery does with a task whose lease expired (its worker died or hung). */
export const LEASE_EXPIRY_POLICIES = ['requeue', 'stall'] as const;
export type LeaseExpiryPolicy = (typeof LEASE_EXPIRY_POLICIES)[number];

export interface TaskRecord {
  id: string;
  name: string;
  version: number;
  queue: string;
  parameters: JsonObject;
  status: TaskStatus;
  /** Retries consumed so far (0 on the first attempt). */
  retryAttempt: number;
  /** Retry budget recorded at submission. */
  maxRetries: number;
  /** Number of times a worker started this task (also the lease fencing counter). */
  starts: number;
  createdAt: number | null;
  submittedAt: number | null;
  startedAt: number | null;
  /** Start of the current (or last) attempt. */
  attemptStartedAt: number | null;
  completedAt: number | null;
  heartbeatAt: number | null;
  /** When a scheduled task becomes due (epoch ms). */
  runAt: number | null;
  /** Lease deadline of a started task (epoch ms). */
  leaseExpiresAt: number | null;
  cancelRequested: boolean;
  deadLetterPolicy: DeadLetterPolicy;
  leaseExpiryPolicy: LeaseExpiryPolicy;
  results: unknown;
  errors: AttemptError[];
  /** W3C traceparent of the submission, carried to every attempt. */
  traceparent: string | null;
}

/** A submission request before it is stored. */
export interface NewTask {
  id: string;
  name: string;
  version: number;
  queue: string;
  parameters: JsonObject;
  /** Epoch ms; when set and in the future the task is stored as `scheduled`. */
  runAt?: number | null;
  maxRetries: number;
  deadLetterPolicy: DeadLetterPolicy;
  leaseExpiryPolicy: LeaseExpiryPolicy;
  traceparent?: string | null;
}

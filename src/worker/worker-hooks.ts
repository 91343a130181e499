/** Observation points of the worker; telemetry implements them, tests may too. */
import type { ClaimedTask } from '../ports/task-store.js';

export interface AttemptReport {
  task: ClaimedTask;
  /** Status the attempt left the task in (e.g. `submitted` or `scheduled` for a retry). */
  status: string;
  durationMs: number;
  /** First submission → now, when the task reached a terminal status; else null. */
  endToEndMs: number | null;
  retried: boolean;
  deadLettered: boolean;
}

export interface WorkerHooks {
  taskSelected?(task: ClaimedTask, role: string, timeInQueueMs: number): void;
  attemptFinished?(report: AttemptReport): void;
  /** Runs the attempt inside a tracing span, when telemetry is on. */
  wrapAttempt?<T>(task: ClaimedTask, fn: () => Promise<T>): Promise<T>;
}

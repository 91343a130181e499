/** Observation points of the worker; telemetry implements them, tests may too. */
import type { ClaimedTask } from '../ports/task-store.js';

/** A tracing span around one attempt (telemetry's SpanScope fits). */
export interface AttemptSpan {
  /** Runs `fn` with the span active. */
  run<T>(fn: () => T): T;
  /** Ends the span; with an error message its status is ERROR. */
  end(errorMessage?: string): void;
}

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
  /**
   * Opens a tracing span for the attempt, or returns null when tracing is off. The worker runs
   * the handler inside it and ends it when the attempt settles.
   */
  openAttemptSpan?(task: ClaimedTask): AttemptSpan | null;
}

/** What a handler receives besides its parameters. */
export interface TaskLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  /** Lets hot paths skip building debug fields nobody will see. */
  isDebugEnabled?(): boolean;
}

export interface TaskContext {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly queue: string;
  /** Retries consumed before this attempt (0 on the first attempt). */
  readonly attempt: number;
  /**
   * Aborted on cancellation, timeout or worker shutdown; `signal.reason` says which
   * (a TaskAbortError). Pass it to fetch(), timers and child processes.
   */
  readonly signal: AbortSignal;
  /** Renews the lease; required within maxHeartbeatInterval when the task type sets one. */
  heartbeat(): Promise<void>;
  readonly logger: TaskLogger;
}

export type AbortCause = 'cancelled' | 'timeout' | 'shutdown' | 'lease-lost';

/** The reason carried by ctx.signal when the worker aborts a task. */
export class TaskAbortError extends Error {
  readonly abortCause: AbortCause;
  constructor(cause: AbortCause, message: string) {
    super(message);
    this.name = cause === 'timeout' ? 'TimeoutError' : 'TaskAbortError';
    this.abortCause = cause;
  }
}

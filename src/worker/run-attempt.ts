/**
 * Runs one attempt of a claimed task and decides what it became. Pure decision logic plus the
 * handler call; persisting the outcome is the worker's job.
 *
 * Decision table (spec §6.4, with the original's defects fixed):
 *   no definition for (name, version)           → dropped
 *   parameters fail the schema                  → failed (no retry: retrying cannot fix them)
 *   handler returned                            → completed (the return value is the result)
 *   aborted: cancel requested                   → cancelled
 *   aborted: shutdown                           → per onShutdown: stop → stalled, resubmit →
 *                                                 re-queued without using a retry
 *   aborted: lease lost                         → nothing (someone else owns the task now)
 *   timeout, or an expected error, retries left → retry (after the backoff delay, if any)
 *   anything else, or no retries left           → failed (+ DLQ when deadLetterPolicy = save)
 */
import { computeRetryDelay } from '../domain/backoff.js';
import type { AttemptError } from '../domain/task.js';
import type { ClaimedTask, FinishStatus } from '../ports/task-store.js';
import { TaskAbortError, type TaskContext, type TaskLogger } from '../tasks/context.js';
import type { TaskDefinition } from '../tasks/define-task.js';
import { formatZodIssues } from '../services/task-service.js';

export type AttemptOutcome =
  | { kind: 'complete'; results: unknown }
  /** runAt: epoch ms for the scheduler, or null to go straight back to the ready list. */
  | { kind: 'retry'; runAt: number | null; consumeAttempt: boolean; error: AttemptError | null }
  | { kind: 'finish'; status: FinishStatus; error: AttemptError | null; deadLetter: boolean }
  | { kind: 'abandon' };

function errorEntry(task: ClaimedTask, err: unknown, fallbackType?: string): AttemptError {
  const e = err as { message?: unknown; name?: unknown } | null;
  const message = e && typeof e.message === 'string' ? e.message : String(err);
  const type = e && typeof e.name === 'string' ? e.name : fallbackType;
  return { attempt: task.retryAttempt, at: Date.now(), error: message.slice(0, 4000), ...(type ? { type } : {}) };
}

/**
 * One attempt of a claimed task: the handler call, the context the handler receives (the attempt
 * is its `ctx`) and the abort state.
 *
 * Lifecycle: created → run() → settled, exactly once, by whichever comes first: the handler
 * returning or throwing, a parameter check failing, or abort() (cancel, timeout, shutdown, lease
 * lost). abort() settles at once, so the lifecycle finishes even if the handler ignores its
 * signal. The outcome goes to `onSettled`. Callbacks rather than a promise chain per attempt:
 * this is the hottest path of a busy worker, and every promise is an allocation.
 *
 * The AbortSignal is created only when the handler reads ctx.signal: creating one costs more
 * (EventTarget set-up) than all the rest of a no-op task's bookkeeping, and most handlers never
 * look at it.
 */
export class Attempt implements TaskContext {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly queue: string;
  readonly attempt: number;
  aborted = false;
  reason: unknown = undefined;
  private controller: AbortController | null = null;
  private settled = false;
  private timer: NodeJS.Timeout | undefined = undefined;

  constructor(
    readonly task: ClaimedTask,
    private readonly def: TaskDefinition | undefined,
    readonly logger: TaskLogger,
    private readonly renewLease: (attempt: Attempt) => Promise<void>,
    private readonly onSettled: (attempt: Attempt, outcome: AttemptOutcome) => void,
  ) {
    this.id = task.id;
    this.name = task.name;
    this.version = task.version;
    this.queue = task.queue;
    this.attempt = task.retryAttempt;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** ctx.heartbeat(); an arrow so that `const { heartbeat } = ctx` works too. */
  heartbeat = (): Promise<void> => this.renewLease(this);

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    if (this.def) this.settle(this.decide(reason));
  }

  run(): void {
    const { task, def } = this;
    if (!def) {
      const error = new Error(`No handler registered for ${task.name} v${task.version} on this worker`);
      this.settle({
        kind: 'finish',
        status: 'dropped',
        error: errorEntry(task, error, 'UnknownTask'),
        deadLetter: false,
      });
      return;
    }
    let params: unknown = task.parameters;
    if (def.params) {
      const res = def.params.safeParse(task.parameters);
      if (!res.success) {
        const issues = formatZodIssues(res.error.issues);
        const error = errorEntry(
          task,
          new Error(`Invalid parameters for ${task.name} v${task.version}: ${issues}`),
          'InvalidParameters',
        );
        this.settle({ kind: 'finish', status: 'failed', error, deadLetter: def.deadLetterPolicy === 'save' });
        return;
      }
      params = res.data;
    }
    if (this.aborted) return; // aborted before it could start (e.g. shutdown); already settled
    if (def.timeout !== null) {
      const seconds = def.timeout;
      this.timer = setTimeout(
        () => this.abort(new TaskAbortError('timeout', `Task ${task.id} timed out after ${seconds} seconds`)),
        seconds * 1000,
      );
    }
    try {
      const result = def.handler(params, this);
      if (isThenable(result)) {
        result.then(
          (value) => this.complete(value),
          (err: unknown) => this.fail(err),
        );
      } else {
        this.complete(result);
      }
    } catch (err) {
      this.fail(err);
    }
  }

  private complete(value: unknown): void {
    this.settle({ kind: 'complete', results: value === undefined ? null : value });
  }

  private fail(err: unknown): void {
    // The abort reason decides, even when the handler threw its own AbortError in response.
    this.settle(this.decide(this.aborted ? this.reason : err));
  }

  /** decideFailure, guarded: a throwing isExpectedError callback fails the task instead. */
  private decide(err: unknown): AttemptOutcome {
    try {
      return decideFailure(this.task, this.def as TaskDefinition, err);
    } catch (decisionError) {
      const error = errorEntry(this.task, decisionError, 'ErrorClassificationFailed');
      return { kind: 'finish', status: 'failed', error, deadLetter: this.def?.deadLetterPolicy === 'save' };
    }
  }

  private settle(outcome: AttemptOutcome): void {
    if (this.settled) return;
    this.settled = true;
    if (this.timer) clearTimeout(this.timer);
    this.onSettled(this, outcome);
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}

export function decideFailure(task: ClaimedTask, def: TaskDefinition, err: unknown): AttemptOutcome {
  const deadLetter = def.deadLetterPolicy === 'save';
  if (err instanceof TaskAbortError) {
    switch (err.abortCause) {
      case 'cancelled':
        return { kind: 'finish', status: 'cancelled', error: null, deadLetter: false };
      case 'lease-lost':
        return { kind: 'abandon' };
      case 'shutdown':
        if (def.onShutdown === 'stop') {
          return { kind: 'finish', status: 'stalled', error: errorEntry(task, err, 'Shutdown'), deadLetter: false };
        }
        // resubmit, and continue after its grace period ran out: back in line, no retry used.
        return { kind: 'retry', runAt: null, consumeAttempt: false, error: null };
      case 'timeout':
        break;
    }
  }
  const retryable = (err instanceof TaskAbortError && err.abortCause === 'timeout') || def.isExpectedError(err);
  const error = errorEntry(task, err);
  if (retryable && task.retryAttempt < def.maxRetries) {
    const delaySeconds = def.retryDelay === null ? null : computeRetryDelay(def, task.retryAttempt);
    return {
      kind: 'retry',
      // A retryDelay (even 0) goes through the scheduler, as in the original (spec §2.5).
      runAt: delaySeconds === null ? null : Date.now() + delaySeconds * 1000,
      consumeAttempt: true,
      error,
    };
  }
  return { kind: 'finish', status: 'failed', error, deadLetter };
}

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
import { TaskAbortError, type TaskContext } from '../tasks/context.js';
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
 * Aborts an attempt: aborts ctx.signal for the handler and settles the attempt at once, so the
 * lifecycle finishes even if the handler ignores the signal. The AbortSignal is created only when
 * the handler reads ctx.signal: creating one costs more (EventTarget set-up) than all the rest of
 * a no-op task's bookkeeping, and most handlers never look at it.
 */
export class AttemptAbort {
  private controller: AbortController | null = null;
  private reject: ((reason: unknown) => void) | null = null;
  aborted = false;
  reason: unknown = undefined;

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    this.reject?.(reason);
  }

  /** Settles with `work`, or rejects with the abort reason if that comes first. */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.aborted) return Promise.reject(this.reason);
    return new Promise<T>((resolve, reject) => {
      this.reject = reject;
      work.then(resolve, reject);
    });
  }
}

export async function runAttempt(
  task: ClaimedTask,
  def: TaskDefinition | undefined,
  ctx: TaskContext,
  abort: AttemptAbort,
): Promise<AttemptOutcome> {
  if (!def) {
    return {
      kind: 'finish',
      status: 'dropped',
      error: errorEntry(
        task,
        new Error(`No handler registered for ${task.name} v${task.version} on this worker`),
        'UnknownTask',
      ),
      deadLetter: false,
    };
  }
  let params: unknown = task.parameters;
  if (def.params) {
    const res = def.params.safeParse(task.parameters);
    if (!res.success) {
      const error = errorEntry(
        task,
        new Error(`Invalid parameters for ${task.name} v${task.version}: ${formatZodIssues(res.error.issues)}`),
        'InvalidParameters',
      );
      return { kind: 'finish', status: 'failed', error, deadLetter: def.deadLetterPolicy === 'save' };
    }
    params = res.data;
  }
  let timer: NodeJS.Timeout | undefined;
  if (def.timeout !== null) {
    const seconds = def.timeout;
    timer = setTimeout(
      () => abort.abort(new TaskAbortError('timeout', `Task ${task.id} timed out after ${seconds} seconds`)),
      seconds * 1000,
    );
  }
  try {
    const results = await abort.race(Promise.resolve().then(() => def.handler(params, ctx)));
    return { kind: 'complete', results: results === undefined ? null : results };
  } catch (err) {
    // The abort reason decides, even when the handler threw its own AbortError in response.
    const reason = abort.aborted ? abort.reason : err;
    return decideFailure(task, def, reason);
  } finally {
    if (timer) clearTimeout(timer);
  }
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

/** One log line per state transition (the original's wording, spec §10.3); routine ones at debug level. */
import type { ClaimedTask } from '../ports/task-store.js';
import type { TaskLogger } from '../tasks/context.js';
import type { AttemptOutcome } from './run-attempt.js';

export function logOutcome(log: TaskLogger, debug: boolean, task: ClaimedTask, outcome: AttemptOutcome): void {
  const fields = { task_id: task.id, task: task.name, queue: task.queue, attempt: task.retryAttempt + 1 };
  if (outcome.kind === 'complete') {
    if (debug) log.debug(`Task ${task.id} completed.`, fields);
  } else if (outcome.kind === 'retry') {
    const why = outcome.error ? `: ${outcome.error.error}` : ' (worker shutting down)';
    if (outcome.runAt === null) log.info(`Task ${task.id} requeued for immediate retry${why}`, fields);
    else log.info(`Task ${task.id} scheduled for retry at ${new Date(outcome.runAt).toISOString()}${why}`, fields);
  } else if (outcome.kind === 'finish') {
    const error = outcome.error?.error ?? '';
    if (outcome.status === 'dropped')
      log.error(`Dropping unknown task ${task.name} v${task.version} id=${task.id}.`, fields);
    else if (outcome.status === 'failed') {
      log.warn(`Task ${task.id} failed with error: ${error}`, fields);
      if (outcome.deadLetter) log.info(`Task ${task.id} sent to dead letter queue.`, fields);
    } else if (outcome.status === 'cancelled') log.info(`Task ${task.id} cancelled.`, fields);
    else log.warn(`Task ${task.id} stalled: ${error}`, fields);
  } else {
    log.warn(`Task ${task.id} lease was lost; another worker owns it now.`, fields);
  }
}

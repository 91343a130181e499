/** Worker hooks backed by the instrument catalogue and tracing helpers (src/telemetry). */
import type { TaskStatus } from '../domain/status.js';
import { recordAttemptOutcome, recordDeadLettered, recordRetry, recordTaskSelected } from '../telemetry/instruments.js';
import { openTaskSpan, SPAN_NAMES, tracingActive } from '../telemetry/tracing.js';
import type { WorkerHooks } from '../worker/worker-hooks.js';

export function telemetryHooks(): WorkerHooks {
  return {
    taskSelected(task, role) {
      recordTaskSelected({
        queue: task.queue,
        role,
        task: task.name,
        readyAt: task.submittedAt || null,
        now: task.attemptStartedAt,
      });
    },
    attemptFinished(r) {
      if (r.status === 'abandoned') return;
      const attrs = { queue: r.task.queue, task: r.task.name, version: r.task.version };
      if (r.retried) recordRetry(attrs);
      if (r.deadLettered) recordDeadLettered(attrs);
      recordAttemptOutcome({
        queue: r.task.queue,
        task: r.task.name,
        status: r.status as TaskStatus,
        attemptStartedAt: r.task.attemptStartedAt,
        firstSubmittedAt: r.task.createdAt || null,
      });
    },
    openAttemptSpan(task) {
      if (!tracingActive()) return null;
      return openTaskSpan(task.traceparent, SPAN_NAMES.execute, {
        'task.id': task.id,
        'task.name': task.name,
        'task.version': task.version,
        'task.queue': task.queue,
        'task.attempt': task.retryAttempt,
      });
    },
  };
}

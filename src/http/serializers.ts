/**
 * Domain records (camelCase, epoch ms) → API JSON (snake_case, ISO-8601 UTC), the shapes of
 * spec §2.7. Summaries also carry `queue` and `version` (spec B29).
 */
import type { z } from 'zod';
import type { QueueConfig } from '../domain/queue-config.js';
import type { AttemptError, TaskRecord } from '../domain/task.js';
import type { TaskStatus } from '../domain/status.js';
import type { AttemptErrorSchema, ScheduledTaskSummary, TaskDetail, TaskSummary } from './schemas/common.js';
import type { QueueConfigJson } from './schemas/config.js';

export function iso(ms: number | null | undefined): string | null {
  return ms == null || !Number.isFinite(ms) || ms <= 0 ? null : new Date(ms).toISOString();
}

/** What a summary needs; both stored records and fresh submissions provide it. */
export interface SummarySource {
  id: string;
  name: string;
  queue: string;
  version: number;
  parameters: Record<string, unknown>;
  status: TaskStatus;
  retryAttempt?: number;
  submittedAt: number | null;
  runAt?: number | null;
  errors?: AttemptError[];
}

export function toSummary(t: SummarySource): z.output<typeof TaskSummary> {
  const out: z.output<typeof TaskSummary> = {
    id: t.id,
    name: t.name,
    queue: t.queue,
    version: t.version,
    parameters: t.parameters,
    status: t.status,
    retry_attempt: t.retryAttempt ?? 0,
    submitted_at: iso(t.submittedAt),
  };
  const last = t.errors?.[t.errors.length - 1];
  if (last) out.last_error = last.error;
  return out;
}

/** Summary plus `scheduled_at` when the task waits for its run time. */
export function toScheduledSummary(t: SummarySource): z.output<typeof ScheduledTaskSummary> {
  const out: z.output<typeof ScheduledTaskSummary> = toSummary(t);
  if (t.status === 'scheduled' && t.runAt) out.scheduled_at = iso(t.runAt);
  return out;
}

export function toAttemptError(e: AttemptError): z.output<typeof AttemptErrorSchema> {
  return {
    attempt: e.attempt,
    timestamp: iso(e.at) ?? new Date(0).toISOString(),
    error: e.error,
    type: e.type ?? null,
  };
}

export function toDetail(t: TaskRecord): z.output<typeof TaskDetail> {
  const out: z.output<typeof TaskDetail> = {
    id: t.id,
    name: t.name,
    queue: t.queue,
    version: t.version,
    parameters: t.parameters,
    status: t.status,
    retry_attempt: t.retryAttempt,
    max_retries: t.maxRetries,
    starts: t.starts,
    results: t.results ?? null,
    errors: t.errors.map(toAttemptError),
    created_at: iso(t.createdAt),
    submitted_at: iso(t.submittedAt),
    started_at: iso(t.startedAt),
    retried_at: t.starts > 1 ? iso(t.attemptStartedAt) : null,
    attempt_started_at: iso(t.attemptStartedAt),
    heartbeat_at: iso(t.heartbeatAt),
    completed_at: iso(t.completedAt),
    scheduled_at: iso(t.runAt),
    lease_expires_at: iso(t.leaseExpiresAt),
    cancel_requested: t.cancelRequested,
    dead_letter_policy: t.deadLetterPolicy,
    lease_expiry_policy: t.leaseExpiryPolicy,
    traceparent: t.traceparent,
  };
  const last = t.errors[t.errors.length - 1];
  if (last) out.last_error = last.error;
  return out;
}

export function toQueueConfigJson(c: QueueConfig): z.output<typeof QueueConfigJson> {
  return {
    name: c.name,
    max_concurrent: c.maxConcurrent,
    rate_numerator: c.rateNumerator,
    rate_denominator: c.rateDenominator,
    rate_period: c.ratePeriod,
  };
}

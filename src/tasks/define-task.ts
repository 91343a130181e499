/**
 * defineTask: declares a task type — its `(name, version)`, options and handler.
 *
 * @example
 * export const sendEmail = defineTask(
 *   { name: 'send_email', version: 1, params: z.object({ to: z.string().email() }), maxRetries: 5, retryDelay: 10 },
 *   async ({ to }, ctx) => { await mailer.send(to, { signal: ctx.signal }); return { sent: true }; },
 * );
 */
import type { z } from 'zod';
import { BACKOFF_STRATEGIES, type BackoffStrategy } from '../domain/backoff.js';
import { isValidTaskName } from '../domain/names.js';
import {
  DEAD_LETTER_POLICIES,
  LEASE_EXPIRY_POLICIES,
  SHUTDOWN_POLICIES,
  type DeadLetterPolicy,
  type LeaseExpiryPolicy,
  type ShutdownPolicy,
} from '../domain/task.js';
import { ERRORS } from '../errors.js';
import type { TaskContext } from './context.js';

type ErrorClass = abstract new (...args: any[]) => Error;

export interface TaskOptions<P> {
  name: string;
  version: number;
  /** Wall-clock limit per attempt, in seconds. Expiry aborts ctx.signal and counts as a retryable error. */
  timeout?: number | null;
  /** Retries after the first attempt (so attempts = maxRetries + 1). Default 3. */
  maxRetries?: number;
  /** Seconds before a retry; null (default) re-queues at once without the scheduler. */
  retryDelay?: number | null;
  /** Default `exponential`. */
  backoff?: BackoffStrategy;
  /** Cap on a computed retry delay, in seconds. Default 3600. */
  maxRetryDelay?: number;
  /** Errors that use the retry path; any other error fails the task at once. */
  expectedErrors?: ErrorClass[] | ((err: unknown) => boolean);
  /**
   * Seconds within which the handler must call ctx.heartbeat(). When set, the lease is renewed
   * only by heartbeats, so a hung handler (not only a dead worker) is detected.
   */
  maxHeartbeatInterval?: number | null;
  /** `save` keeps permanently failed tasks in the dead-letter queue. Default `none`. */
  deadLetterPolicy?: DeadLetterPolicy;
  /** What a worker does with this task when it shuts down. Default `stop`. */
  onShutdown?: ShutdownPolicy;
  /** What happens when the worker running it dies: `requeue` (default, while retries last) or `stall`. */
  onLeaseExpiry?: LeaseExpiryPolicy;
  /** Running tasks of this type allowed at once across all workers (per queue); null = no limit. */
  maxConcurrent?: number | null;
  /** Parameter schema (zod), validated on submission and again before execution. */
  params?: z.ZodType<P>;
  /** Queue used when a submission names none. Default `default`. */
  queue?: string;
}

export type TaskHandler<P, R> = (params: P, ctx: TaskContext) => Promise<R> | R;

export interface TaskDefinition<P = any, R = unknown> {
  readonly kind: 'jobbers.task';
  readonly name: string;
  readonly version: number;
  readonly timeout: number | null;
  readonly maxRetries: number;
  readonly retryDelay: number | null;
  readonly backoff: BackoffStrategy;
  readonly maxRetryDelay: number;
  readonly maxHeartbeatInterval: number | null;
  readonly deadLetterPolicy: DeadLetterPolicy;
  readonly onShutdown: ShutdownPolicy;
  readonly onLeaseExpiry: LeaseExpiryPolicy;
  readonly maxConcurrent: number | null;
  readonly params: z.ZodType<P> | null;
  readonly queue: string;
  readonly handler: TaskHandler<P, R>;
  /** True when `err` should be retried (expected error or timeout). */
  isExpectedError(err: unknown): boolean;
}

export function isTaskDefinition(value: unknown): value is TaskDefinition {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'jobbers.task';
}

function fail(name: string, version: unknown, problem: string): never {
  throw ERRORS.invalidTaskDefinition.make(
    `defineTask(${JSON.stringify(name)}, version ${String(version)}): ${problem}`,
  );
}

function optionalSeconds(opts: TaskOptions<unknown>, key: keyof TaskOptions<unknown>): number | null {
  const v = opts[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    fail(opts.name, opts.version, `${key} must be a number of seconds ≥ 0, got ${String(v)}`);
  return v;
}

export function defineTask<P = Record<string, unknown>, R = unknown>(
  opts: TaskOptions<P>,
  handler: TaskHandler<P, R>,
): TaskDefinition<P, R> {
  if (!isValidTaskName(opts?.name))
    fail(
      String(opts?.name),
      opts?.version,
      'name must be letters, digits, "_", "-", ".", "/" or "@" (1-128 characters)',
    );
  if (!Number.isInteger(opts.version) || opts.version < 0)
    fail(opts.name, opts.version, 'version must be an integer ≥ 0');
  if (typeof handler !== 'function') fail(opts.name, opts.version, 'the handler must be a function');
  const maxRetries = opts.maxRetries ?? 3;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 65535)
    fail(opts.name, opts.version, 'maxRetries must be an integer from 0 to 65535');
  const backoff = opts.backoff ?? 'exponential';
  if (!BACKOFF_STRATEGIES.includes(backoff))
    fail(opts.name, opts.version, `backoff must be one of ${BACKOFF_STRATEGIES.join(', ')}`);
  const deadLetterPolicy = opts.deadLetterPolicy ?? 'none';
  if (!DEAD_LETTER_POLICIES.includes(deadLetterPolicy))
    fail(opts.name, opts.version, `deadLetterPolicy must be one of ${DEAD_LETTER_POLICIES.join(', ')}`);
  const onShutdown = opts.onShutdown ?? 'stop';
  if (!SHUTDOWN_POLICIES.includes(onShutdown))
    fail(opts.name, opts.version, `onShutdown must be one of ${SHUTDOWN_POLICIES.join(', ')}`);
  const onLeaseExpiry = opts.onLeaseExpiry ?? 'requeue';
  if (!LEASE_EXPIRY_POLICIES.includes(onLeaseExpiry))
    fail(opts.name, opts.version, `onLeaseExpiry must be one of ${LEASE_EXPIRY_POLICIES.join(', ')}`);
  const maxConcurrent = opts.maxConcurrent ?? null;
  if (maxConcurrent !== null && (!Number.isInteger(maxConcurrent) || maxConcurrent < 1))
    fail(opts.name, opts.version, 'maxConcurrent must be an integer ≥ 1 or null');
  const expected = opts.expectedErrors;
  const isExpectedError =
    typeof expected === 'function'
      ? (err: unknown) => (expected as (e: unknown) => boolean)(err)
      : (err: unknown) => (expected ?? []).some((cls) => err instanceof cls);
  return Object.freeze({
    kind: 'jobbers.task' as const,
    name: opts.name,
    version: opts.version,
    timeout: optionalSeconds(opts as TaskOptions<unknown>, 'timeout'),
    maxRetries,
    retryDelay: optionalSeconds(opts as TaskOptions<unknown>, 'retryDelay'),
    backoff,
    // 0 is a real cap here ("retry at once"); the original turned it into 3600 (spec §3.1).
    maxRetryDelay: optionalSeconds(opts as TaskOptions<unknown>, 'maxRetryDelay') ?? 3600,
    maxHeartbeatInterval: optionalSeconds(opts as TaskOptions<unknown>, 'maxHeartbeatInterval'),
    deadLetterPolicy,
    onShutdown,
    onLeaseExpiry,
    maxConcurrent,
    params: opts.params ?? null,
    queue: opts.queue ?? 'default',
    handler,
    isExpectedError,
  });
}

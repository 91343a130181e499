/**
 * Public API. Everything importable from "jobbers" is listed here; nothing else is public.
 */
// Defining tasks
export { defineTask, isTaskDefinition } from './tasks/define-task.js';
export type { TaskDefinition, TaskOptions, TaskHandler } from './tasks/define-task.js';
export type { TaskContext, TaskLogger, AbortCause } from './tasks/context.js';
export { TaskAbortError } from './tasks/context.js';
export { TaskRegistry } from './tasks/registry.js';
export { loadTaskModule } from './tasks/load-task-module.js';

// Using tasks from an application
export { createClient, JobbersClient } from './client.js';
export type { ClientOptions, SubmitOptions } from './client.js';
export type { TaskRecordSummary, BulkSubmitResult } from './services/task-service.js';

// Model
export { TASK_STATUSES, isTerminal } from './domain/status.js';
export type { TaskStatus } from './domain/status.js';
export type { TaskRecord, AttemptError, ShutdownPolicy, DeadLetterPolicy, LeaseExpiryPolicy } from './domain/task.js';
export type { BackoffStrategy } from './domain/backoff.js';
export type { QueueConfig, RoleConfig, RatePeriod } from './domain/queue-config.js';
export { newTaskId, isValidTaskId } from './domain/ids.js';

// Errors
export { JobbersError, ERRORS, isJobbersError } from './errors.js';

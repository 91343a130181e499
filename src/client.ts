/**
 * The client library: submit, schedule, inspect and cancel tasks without the Manager.
 *
 * @example
 * const client = await createClient({ redisUrl: 'redis://localhost:6379' });
 * const { id } = await client.submit(sendEmail, { to: 'a@example.com' });
 * const done = await client.waitForTask(id, { timeoutMs: 10_000 });
 */
import type { TaskRecord } from './domain/task.js';
import { ERRORS } from './errors.js';
import { openRuntime, type Runtime } from './runtime/compose.js';
import { loadSettings } from './runtime/settings.js';
import type { BulkSubmitResult, SubmitInput, TaskRecordSummary } from './services/task-service.js';
import { isTaskDefinition, type TaskDefinition } from './tasks/define-task.js';
import { TaskRegistry } from './tasks/registry.js';
import { currentTraceparent, startSubmitSpan } from './telemetry/tracing.js';
import { isTerminal } from './domain/status.js';

export interface ClientOptions {
  /** Defaults to REDIS_URL, then redis://localhost:6379. */
  redisUrl?: string;
  /** Defaults to SQL_PATH, then sqlite+aiosqlite:///jobbers.db. */
  sqlPath?: string;
  /** Redis key prefix. Defaults to JOBBERS_PREFIX, then "jobbers". */
  prefix?: string;
  /** When given, submissions by name are checked against these definitions. */
  tasks?: TaskDefinition[];
}

export interface SubmitOptions {
  id?: string;
  queue?: string;
  version?: number;
  /** Run no earlier than this time. */
  runAt?: Date | number;
}

type TaskRef = TaskDefinition | string;

export class JobbersClient {
  constructor(private readonly rt: Runtime) {}

  private input(
    task: TaskRef,
    params: Record<string, unknown> | undefined,
    opts: SubmitOptions,
  ): { input: SubmitInput; def?: TaskDefinition } {
    const def = isTaskDefinition(task) ? task : undefined;
    const runAt = opts.runAt instanceof Date ? opts.runAt.getTime() : opts.runAt;
    return {
      def,
      input: {
        id: opts.id,
        name: def ? def.name : (task as string),
        version: opts.version ?? def?.version,
        queue: opts.queue,
        parameters: params ?? {},
        runAt: runAt ?? null,
        traceparent: currentTraceparent(),
      },
    };
  }

  /** Submits one task; throws a JobbersError (unknown queue, invalid parameters, duplicate id, ...). */
  submit(task: TaskRef, params?: Record<string, unknown>, opts: SubmitOptions = {}): Promise<TaskRecordSummary> {
    const name = isTaskDefinition(task) ? task.name : String(task);
    return startSubmitSpan(name, {}, () => {
      const { input, def } = this.input(task, params, opts);
      return this.rt.tasks.submit(input, def);
    });
  }

  /** Submits many tasks of one type in one round trip per queue; results in input order. */
  submitMany(
    task: TaskRef,
    paramsList: Array<Record<string, unknown>>,
    opts: Omit<SubmitOptions, 'id'> = {},
  ): Promise<BulkSubmitResult[]> {
    if (!Array.isArray(paramsList)) throw ERRORS.badRequest.make('submitMany takes an array of parameter objects');
    const first = this.input(task, {}, opts);
    const inputs = paramsList.map((p) => ({ ...first.input, parameters: p }));
    return this.rt.tasks.submitMany(inputs, first.def);
  }

  schedule(
    task: TaskRef,
    params: Record<string, unknown>,
    runAt: Date | number,
    opts: Omit<SubmitOptions, 'runAt'> = {},
  ) {
    return this.submit(task, params, { ...opts, runAt });
  }

  getTask(id: string): Promise<TaskRecord | null> {
    return this.rt.tasks.get(id).catch((err: unknown) => {
      if ((err as { code?: string }).code === ERRORS.taskNotFound.code) return null;
      throw err;
    });
  }

  /** Polls until the task reaches a terminal status (completed, failed, cancelled, stalled, dropped). */
  async waitForTask(id: string, opts: { timeoutMs?: number; pollMs?: number } = {}): Promise<TaskRecord> {
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    for (;;) {
      const task = await this.getTask(id);
      if (task && isTerminal(task.status)) return task;
      if (Date.now() > deadline) {
        throw new Error(
          `Task ${id} did not finish within ${opts.timeoutMs ?? 30_000} ms (status: ${task?.status ?? 'not found'})`,
        );
      }
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 50));
    }
  }

  cancel(id: string) {
    return this.rt.tasks.cancel(id);
  }

  resubmit(id: string, opts: { resetRetryCount?: boolean } = {}) {
    return this.rt.tasks.resubmit(id, opts.resetRetryCount ?? true);
  }

  /** The underlying runtime, for advanced use (store, config). */
  get runtime(): Runtime {
    return this.rt;
  }

  close(): Promise<void> {
    return this.rt.close();
  }
}

export async function createClient(opts: ClientOptions = {}): Promise<JobbersClient> {
  const env = { ...process.env };
  if (opts.redisUrl) env.REDIS_URL = opts.redisUrl;
  if (opts.sqlPath) env.SQL_PATH = opts.sqlPath;
  if (opts.prefix) env.JOBBERS_PREFIX = opts.prefix;
  const settings = loadSettings(env);
  const registry = opts.tasks ? new TaskRegistry(opts.tasks) : undefined;
  const rt = await openRuntime(settings, { processName: 'jobbers-client', registry });
  return new JobbersClient(rt);
}

/**
 * Use cases shared by the HTTP API and the client library: submit (one or many), schedule,
 * cancel, resubmit. Every rule about what may be submitted lives here, so both entry points
 * answer bad input with the same clear error.
 */
import { isValidName, isValidTaskName, NAME_RULE, TASK_NAME_RULE } from '../domain/names.js';
import { isValidTaskId, newTaskId, normalizeTaskId } from '../domain/ids.js';
import type { NewTask, TaskRecord } from '../domain/task.js';
import { ERRORS, JobbersError } from '../errors.js';
import type { CancelOutcome, TaskStore } from '../ports/task-store.js';
import type { TaskDefinition } from '../tasks/define-task.js';
import type { TaskRegistry } from '../tasks/registry.js';
import type { QueueDirectory } from './queue-directory.js';

export interface SubmitInput {
  /** ULID; generated when omitted. */
  id?: string | null;
  name: string;
  version?: number;
  queue?: string | null;
  parameters?: Record<string, unknown>;
  /** Epoch ms; in the future → stored as `scheduled` and dispatched by the scheduler. */
  runAt?: number | null;
  traceparent?: string | null;
}

export interface TaskServiceDeps {
  store: TaskStore;
  queues: QueueDirectory;
  /** When given, submissions must name a registered (name, version) and pass its schema. */
  registry?: TaskRegistry;
}

export type BulkSubmitResult = { ok: true; task: TaskRecordSummary } | { ok: false; error: JobbersError };

/** What a submission returns without a second read. */
export interface TaskRecordSummary {
  id: string;
  name: string;
  version: number;
  queue: string;
  parameters: Record<string, unknown>;
  status: 'submitted' | 'scheduled';
  submittedAt: number | null;
  runAt: number | null;
}

export function formatZodIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .slice(0, 10)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(parameters)'}: ${i.message}`)
    .join('; ');
}

export class TaskService {
  constructor(private readonly deps: TaskServiceDeps) {}

  /**
   * Validates and builds the record to store; throws a JobbersError naming the problem. Every
   * check but the queue's existence (which needs the config): synchronous, per item.
   */
  private validate(input: SubmitInput, def?: TaskDefinition): NewTask {
    if (!input || typeof input !== 'object')
      throw ERRORS.badRequest.make('A submission must be an object with at least a name');
    if (input.id != null && !isValidTaskId(input.id))
      throw ERRORS.invalidTaskId.make(
        `Task id "${String(input.id).slice(0, 40)}" is not a ULID (26 Crockford base32 characters); omit it to have one generated`,
      );
    const id = input.id == null ? newTaskId() : normalizeTaskId(input.id);
    if (!isValidTaskName(input.name))
      throw ERRORS.invalidName.make(`Task name "${String(input.name).slice(0, 80)}" is invalid: use ${TASK_NAME_RULE}`);
    const version = input.version ?? def?.version ?? 0;
    if (!Number.isInteger(version) || version < 0)
      throw ERRORS.badRequest.make(`Task version must be an integer ≥ 0, got ${String(version)}`);
    const registered = def ?? this.deps.registry?.get(input.name, version);
    if (this.deps.registry && !registered) {
      const known = this.deps.registry
        .list()
        .filter((d) => d.name === input.name)
        .map((d) => d.version);
      const hint = known.length
        ? ` (registered versions: ${known.join(', ')})`
        : '; check the task module loaded by the manager';
      throw ERRORS.unknownTask.make(`Unknown task ${input.name} v${version}${hint}`);
    }
    const parameters = input.parameters ?? {};
    if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
      throw ERRORS.invalidParameters.make(
        `Invalid parameters for ${input.name} v${version}: parameters must be a JSON object`,
      );
    }
    const problem = jsonProblem(parameters, MAX_PARAMETER_DEPTH, 'parameters');
    if (problem) throw ERRORS.invalidParameters.make(`Invalid parameters for ${input.name} v${version}: ${problem}`);
    let validated = parameters;
    if (registered?.params) {
      const res = registered.params.safeParse(parameters);
      if (!res.success) {
        throw ERRORS.invalidParameters.make(
          `Invalid parameters for ${input.name} v${version}: ${formatZodIssues(res.error.issues)}`,
        );
      }
      validated = res.data as Record<string, unknown>;
    }
    const queue = input.queue ?? registered?.queue ?? 'default';
    if (!isValidName(queue))
      throw ERRORS.invalidName.make(`Queue name "${String(queue).slice(0, 80)}" is invalid: use ${NAME_RULE}`);
    if (input.runAt != null && (!Number.isFinite(input.runAt) || input.runAt < 0)) {
      throw ERRORS.badRequest.make(`run_at must be a valid time, got ${String(input.runAt)}`);
    }
    return {
      id,
      name: input.name,
      version,
      queue,
      parameters: validated,
      runAt: input.runAt ?? null,
      maxRetries: registered?.maxRetries ?? 3,
      deadLetterPolicy: registered?.deadLetterPolicy ?? 'none',
      leaseExpiryPolicy: registered?.onLeaseExpiry ?? 'requeue',
      traceparent: input.traceparent ?? null,
    };
  }

  private async checkQueue(queue: string): Promise<void> {
    if (!(await this.deps.queues.exists(queue))) throw unknownQueue(queue);
  }

  /** One submission. A plain promise chain, not an async function: this is the hottest client call. */
  submit(input: SubmitInput, def?: TaskDefinition): Promise<TaskRecordSummary> {
    let task: NewTask;
    try {
      task = this.validate(input, def);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    const known = this.deps.queues.existsCached(task.queue);
    if (known === false) return Promise.reject(unknownQueue(task.queue));
    const stored =
      known === null
        ? this.checkQueue(task.queue).then(() => this.deps.store.submit([task]))
        : this.deps.store.submit([task]);
    return stored.then(([outcome]) => {
      if (outcome === 'duplicate') throw duplicate(task.id);
      return summarize(task);
    });
  }

  /** Validates every item first; stores the valid ones in one round trip per queue. */
  async submitMany(inputs: SubmitInput[], def?: TaskDefinition): Promise<BulkSubmitResult[]> {
    if (!Array.isArray(inputs)) throw ERRORS.badRequest.make('submitMany takes an array of submissions');
    const validated = inputs.map((input): { task: NewTask } | { error: JobbersError } => {
      try {
        return { task: this.validate(input, def) };
      } catch (error) {
        return { error: toJobbersError(error) };
      }
    });
    // Each distinct queue is looked up once, not once per item.
    const queueErrors = new Map<string, JobbersError | null>();
    for (const p of validated) {
      if (!('task' in p) || queueErrors.has(p.task.queue)) continue;
      queueErrors.set(
        p.task.queue,
        await this.checkQueue(p.task.queue).then(
          () => null,
          (error: unknown) => toJobbersError(error),
        ),
      );
    }
    const prepared = validated.map((p) => {
      const error = 'task' in p ? queueErrors.get(p.task.queue) : null;
      return error ? { error } : p;
    });
    const valid = prepared.flatMap((p) => ('task' in p ? [p.task] : []));
    const ids = new Set<string>();
    const outcomes = valid.length ? await this.deps.store.submit(valid) : [];
    let j = 0;
    return prepared.map((p) => {
      if ('error' in p) return { ok: false, error: p.error };
      const outcome = outcomes[j++];
      // Two items with one id in the same batch: the store keeps the first, the second is a duplicate.
      if (outcome === 'duplicate' || ids.has(p.task.id)) return { ok: false, error: duplicate(p.task.id) };
      ids.add(p.task.id);
      return { ok: true, task: summarize(p.task) };
    });
  }

  async get(id: string): Promise<TaskRecord> {
    const task = await this.deps.store.getTask(checkId(id));
    if (!task) throw ERRORS.taskNotFound.make('Task not found');
    return task;
  }

  async cancel(id: string): Promise<CancelOutcome & { queue?: string; name?: string }> {
    const outcome = await this.deps.store.cancel(checkId(id));
    if (outcome.kind === 'not-found') throw ERRORS.taskNotFound.make('Task not found');
    if (outcome.kind === 'not-cancellable') {
      throw ERRORS.notCancellable.make(`Task has status '${outcome.status}' and cannot be cancelled.`);
    }
    return outcome;
  }

  async resubmit(id: string, resetRetryCount = true): Promise<void> {
    const outcome = await this.deps.store.resubmit(checkId(id), { resetRetryCount });
    if (outcome.kind === 'not-found') throw ERRORS.taskNotFound.make('Task not found');
    if (outcome.kind === 'not-allowed') {
      throw ERRORS.notResubmittable.make(
        `Task has status '${outcome.status}'; only failed, stalled, cancelled or dropped tasks can be resubmitted.`,
      );
    }
  }
}

/** Deeper parameters are refused: they serve no task and would overflow encoders' stacks. */
export const MAX_PARAMETER_DEPTH = 32;

/**
 * Why a value is not plain JSON within `depth` levels, or null. Parameters cross processes and
 * languages, so BigInt, functions, symbols, class instances (Map, Set, Date, ...), non-finite
 * numbers, cycles and absurd nesting are refused here instead of failing inside an encoder.
 */
function jsonProblem(value: unknown, depth: number, path: string): string | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : `${path}: ${String(value)} is not a JSON number`;
    case 'object':
      break;
    default:
      return `${path}: a ${typeof value} is not JSON`;
  }
  if (value === null) return null;
  if (depth <= 0) return `nested deeper than ${MAX_PARAMETER_DEPTH} levels; flatten them`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = jsonProblem(value[i], depth - 1, `${path}[${i}]`);
      if (p) return p;
    }
    return null;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    return `${path}: a ${(value as object).constructor?.name ?? 'class instance'} is not a plain JSON object`;
  }
  for (const [k, v] of Object.entries(value)) {
    const p = jsonProblem(v, depth - 1, `${path}.${k}`);
    if (p) return p;
  }
  return null;
}

function checkId(id: string): string {
  if (!isValidTaskId(id))
    throw ERRORS.invalidTaskId.make(
      `Task id "${String(id).slice(0, 40)}" is not a ULID (26 Crockford base32 characters)`,
    );
  return normalizeTaskId(id);
}

function unknownQueue(queue: string): JobbersError {
  return ERRORS.unknownQueue.make(`Unknown queue ${queue}; create it first (POST /queues or the admin UI)`);
}

function duplicate(id: string): JobbersError {
  return ERRORS.duplicateTask.make(
    `Task ${id} already exists; submit with a new id, or omit the id to have one generated`,
  );
}

function toJobbersError(err: unknown): JobbersError {
  if (err instanceof JobbersError) return err;
  return ERRORS.badRequest.make((err as Error)?.message ?? String(err), err);
}

function summarize(task: NewTask): TaskRecordSummary {
  const scheduled = task.runAt != null && task.runAt > Date.now();
  return {
    id: task.id,
    name: task.name,
    version: task.version,
    queue: task.queue,
    parameters: task.parameters,
    status: scheduled ? 'scheduled' : 'submitted',
    submittedAt: scheduled ? null : Date.now(),
    runAt: scheduled ? (task.runAt as number) : null,
  };
}

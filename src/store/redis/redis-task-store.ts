/**
 * TaskStore on plain Redis (no modules): typed wrappers around the Lua transitions in lua/ and
 * the read paths in task-reader.ts.
 */
import type { Redis } from 'ioredis';
import type { NewTask, AttemptError, TaskRecord } from '../../domain/task.js';
import { STATUS_CODE, statusFromCode } from '../../domain/status.js';
import { bytesToId, idToBytes } from '../../domain/ids.js';
import type {
  CancelOutcome,
  ClaimRequest,
  ClaimResult,
  FinishStatus,
  LeaseRef,
  ListPage,
  QueueCounts,
  RenewOutcome,
  ResubmitOutcome,
  SubmitOutcome,
  TaskStore,
} from '../../ports/task-store.js';
import { KeyCatalogue } from './keys.js';
import { decodeBody, encodeCompletions, encodeError, encodeSubmission } from './record-codec.js';
import { toClaimedTask } from './record-mapper.js';
import { runScript, type ScriptArg } from './scripts.js';
import { TaskReader } from './task-reader.js';
import { Maintenance } from './maintenance.js';
import { SubmitBatcher } from './submit-batcher.js';
import { WakeWaiter } from './wake-waiter.js';

export interface RedisTaskStoreOptions {
  /** Main connection: scripts and reads. */
  redis: Redis;
  /** Creates the dedicated connection for blocking waits (only workers need it). */
  createBlockingConnection?: () => Redis;
  prefix?: string;
}

const EMPTY = Buffer.alloc(0);

export class RedisTaskStore implements TaskStore {
  readonly redis: Redis;
  readonly keys: KeyCatalogue;
  private readonly reader: TaskReader;
  private readonly waiter: WakeWaiter | null;
  private readonly maintenance: Maintenance;
  /** Queues this process already added to the known-queues set. */
  private readonly registered = new Set<string>();
  private readonly batcher = new SubmitBatcher<NewTask, SubmitOutcome>((queue, tasks) =>
    this.submitToQueue(queue, tasks),
  );

  constructor(opts: RedisTaskStoreOptions) {
    this.redis = opts.redis;
    this.keys = new KeyCatalogue(opts.prefix ?? 'jobbers');
    this.reader = new TaskReader(this.redis, this.keys);
    this.waiter = opts.createBlockingConnection
      ? new WakeWaiter(this.redis, this.keys, opts.createBlockingConnection)
      : null;
    this.maintenance = new Maintenance(this.redis, this.keys, this.reader);
  }

  // ---------------------------------------------------------------- submission

  // Submission is a hot path: plain promise chains rather than async functions where that saves
  // promise allocations per call.
  submit(tasks: NewTask[]): Promise<SubmitOutcome[]> {
    const queue = tasks[0]?.queue;
    // The usual case, one queue (every single submission): calls of one tick share a script call.
    if (queue !== undefined && tasks.every((t) => t.queue === queue)) return this.batcher.submit(queue, tasks);
    return this.submitToQueues(tasks);
  }

  private async submitToQueues(tasks: NewTask[]): Promise<SubmitOutcome[]> {
    const byQueue = new Map<string, number[]>();
    tasks.forEach((t, i) => {
      const list = byQueue.get(t.queue);
      if (list) list.push(i);
      else byQueue.set(t.queue, [i]);
    });
    const outcomes: SubmitOutcome[] = new Array(tasks.length);
    await Promise.all(
      [...byQueue].map(async ([q, indexes]) => {
        const stored = await this.submitToQueue(
          q,
          indexes.map((i) => tasks[i] as NewTask),
        );
        indexes.forEach((taskIndex, j) => (outcomes[taskIndex] = stored[j] as SubmitOutcome));
      }),
    );
    return outcomes;
  }

  private submitToQueue(queue: string, tasks: NewTask[]): Promise<SubmitOutcome[]> {
    const k = this.keys.queue(queue);
    const args: ScriptArg[] = [this.keys.scheduleChannel, encodeSubmission(tasks, Date.now())];
    const call = runScript(this.redis, 'submit-tasks', [k.tasks], args) as Promise<number[]>;
    const registering = this.registerQueue(queue);
    const codes = registering ? Promise.all([call, registering]).then(([c]) => c) : call;
    return codes.then((list) => list.map((c) => (c === 1 ? 'stored' : 'duplicate')));
  }

  /** Adds the queue to the known-queues set once per process; null when already done. */
  private registerQueue(queue: string): Promise<void> | null {
    if (this.registered.has(queue)) return null;
    return this.redis.sadd(this.keys.queues, queue).then(() => {
      this.registered.add(queue);
    });
  }

  // ---------------------------------------------------------------- worker

  /** The worker's one call per batch (a plain promise chain: it runs for every batch). */
  claim(req: ClaimRequest): Promise<ClaimResult> {
    let args: ScriptArg[];
    try {
      args = [
        req.owner,
        req.leaseMs,
        req.want,
        req.limits.maxConcurrent,
        req.limits.rateCount,
        req.limits.ratePeriodMs,
        req.completions.length > 0 ? encodeCompletions(req.completions) : EMPTY,
      ];
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return runScript(this.redis, 'claim-tasks', [this.keys.queue(req.queue).tasks], args).then((reply) => {
      const [codes, flat, retryAfterMs, recovered, now] = reply as [number[], Buffer[], number, number, number];
      const claimed = [];
      for (let i = 0; i < flat.length; i += 2) {
        claimed.push(toClaimedTask(flat[i] as Buffer, req.queue, flat[i + 1] as Buffer));
      }
      return { completed: codes.map((c) => c === 1), claimed, retryAfterMs, recovered, now };
    });
  }

  async renewLeases(
    queue: string,
    owner: number,
    leases: Array<LeaseRef & { leaseMs: number }>,
  ): Promise<RenewOutcome[]> {
    if (leases.length === 0) return [];
    const k = this.keys.queue(queue);
    const args: ScriptArg[] = [owner];
    for (const l of leases) args.push(idToBytes(l.id), l.starts, Math.max(1, Math.round(l.leaseMs)));
    const codes = (await runScript(this.redis, 'renew-leases', [k.tasks, k.leases], args)) as number[];
    return codes.map((c) => (c === 1 ? 'renewed' : c === 2 ? 'cancel-requested' : 'lost'));
  }

  async retry(
    queue: string,
    owner: number,
    lease: LeaseRef,
    opts: { runAt: number | null; consumeAttempt: boolean; error: AttemptError | null },
  ): Promise<'done' | 'stale' | 'cancel-requested'> {
    const k = this.keys.queue(queue);
    const code = (await runScript(
      this.redis,
      'retry-task',
      [k.tasks, k.ready, k.wake, k.delayed, k.leases, k.errors],
      [
        owner,
        idToBytes(lease.id),
        lease.starts,
        opts.runAt === null ? -1 : Math.round(opts.runAt),
        opts.consumeAttempt ? 1 : 0,
        opts.error ? encodeError(opts.error) : EMPTY,
        this.keys.scheduleChannel,
      ],
    )) as number;
    return code === 1 ? 'done' : code === -1 ? 'cancel-requested' : 'stale';
  }

  async finish(
    queue: string,
    owner: number,
    lease: LeaseRef,
    opts: { status: FinishStatus; error: AttemptError | null; deadLetter: boolean },
  ): Promise<boolean> {
    const k = this.keys.queue(queue);
    const code = (await runScript(
      this.redis,
      'finish-task',
      [k.tasks, k.leases, k.errors, k.dlq, k.donePrefix],
      [
        owner,
        idToBytes(lease.id),
        lease.starts,
        STATUS_CODE[opts.status],
        opts.error ? encodeError(opts.error) : EMPTY,
        opts.deadLetter ? 1 : 0,
      ],
    )) as number;
    return code === 1;
  }

  /** Per-type concurrency limits of one queue (null = none); releases parked tasks it allows. */
  async setTypeLimits(queue: string, limits: Array<{ type: string; limit: number | null }>): Promise<number> {
    if (limits.length === 0) return 0;
    const k = this.keys.queue(queue);
    const args: ScriptArg[] = [];
    for (const l of limits) args.push(l.type, l.limit ?? 0);
    return (await runScript(this.redis, 'set-type-limits', [k.tasks, k.ready, k.wake], args)) as number;
  }

  /** Blocks until one of the queues may have work (see wake-waiter.ts), or the timeout. */
  waitForWork(queues: string[], timeoutMs: number): Promise<string | null> {
    if (!this.waiter) throw new Error('This store was created without a blocking connection');
    return this.waiter.wait(queues, timeoutMs);
  }

  /** Wakes a pending waitForWork() immediately. */
  async interruptWait(): Promise<void> {
    await this.waiter?.interrupt();
  }

  // ---------------------------------------------------------------- operators

  async cancel(id: string): Promise<CancelOutcome & { queue?: string; name?: string }> {
    const located = await this.reader.locate(id);
    if (!located) return { kind: 'not-found' };
    const k = this.keys.queue(located.queue);
    const code = (await runScript(
      this.redis,
      'cancel-task',
      [k.tasks, k.ready, k.delayed, k.donePrefix],
      [idToBytes(id), this.keys.cancelChannel, id],
    )) as number;
    const base = { queue: located.queue, name: located.name };
    if (code === -1) return { kind: 'not-found' };
    if (code >= 100) return { ...base, kind: 'not-cancellable', status: statusFromCode(code - 100) };
    if (code === STATUS_CODE.started) return { ...base, kind: 'requested' };
    return { ...base, kind: 'cancelled', from: statusFromCode(code) };
  }

  async resubmit(id: string, opts: { resetRetryCount: boolean }): Promise<ResubmitOutcome> {
    const located = await this.reader.locate(id);
    if (!located) return { kind: 'not-found' };
    const k = this.keys.queue(located.queue);
    const code = (await runScript(
      this.redis,
      'resubmit-task',
      [k.tasks, k.ready, k.wake, k.dlq, k.donePrefix],
      [idToBytes(id), opts.resetRetryCount ? 1 : 0],
    )) as number;
    if (code === 1) return { kind: 'resubmitted' };
    if (code === -1) return { kind: 'not-found' };
    return { kind: 'not-allowed', status: statusFromCode(code - 100) };
  }

  async removeDeadLetters(ids: string[]): Promise<number> {
    const located = await this.reader.locateMany(ids);
    const counts = await Promise.all(
      located.map((loc, i) => (loc ? this.redis.zrem(this.keys.queue(loc.queue).dlq, idToBytes(ids[i] as string)) : 0)),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** The subset of `tasks` that is in its queue's dead-letter queue, in input order. */
  async filterDeadLettered<T extends { id: string; queue: string }>(tasks: T[]): Promise<T[]> {
    if (tasks.length === 0) return [];
    const pipe = this.redis.pipeline();
    for (const t of tasks) pipe.zscore(this.keys.queue(t.queue).dlq, idToBytes(t.id));
    const scores = (await pipe.exec()) ?? [];
    return tasks.filter((_, i) => scores[i]?.[1] != null);
  }

  // ---------------------------------------------------------------- scheduler

  async promoteDue(queue: string, limit: number) {
    const k = this.keys.queue(queue);
    const [flat, next, now] = (await runScript(
      this.redis,
      'promote-due',
      [k.delayed, k.tasks, k.ready, k.wake],
      [limit],
    )) as [Buffer[], Buffer | number, number];
    const promoted = [];
    for (let i = 0; i < flat.length; i += 3) {
      promoted.push({
        id: bytesToId(flat[i] as Buffer),
        runAt: Number(String(flat[i + 1])),
        name: decodeBody(flat[i + 2] as Buffer).name,
      });
    }
    const nextDueAt = typeof next === 'number' ? null : Number(String(next));
    return { promoted, nextDueAt, now };
  }

  // ---------------------------------------------------------------- cleaner

  recoverExpiredLeases(queue: string, limit: number): Promise<number> {
    return this.maintenance.recoverExpiredLeases(queue, limit);
  }
  expireStaleLeases(queue: string, heartbeatBefore: number): Promise<number> {
    return this.maintenance.expireStaleLeases(queue, heartbeatBefore);
  }
  pruneTerminal(queue: string, olderThan: number): Promise<number> {
    return this.maintenance.pruneTerminal(queue, olderThan);
  }
  pruneDeadLetters(queue: string, olderThan: number): Promise<number> {
    return this.maintenance.pruneDeadLetters(queue, olderThan);
  }
  pruneWaiting(queue: string, min: number, max: number): Promise<number> {
    return this.maintenance.pruneWaiting(queue, min, max);
  }
  pruneRateLog(queue: string, olderThan: number): Promise<number> {
    return this.maintenance.pruneRateLog(queue, olderThan);
  }

  // ---------------------------------------------------------------- reads

  getTask(id: string, queueHint?: string): Promise<TaskRecord | null> {
    return this.reader.getTask(id, queueHint);
  }
  getTasks(ids: string[]): Promise<Array<TaskRecord | null>> {
    return this.reader.getTasks(ids);
  }
  listTasks(queue: string, page: ListPage) {
    return this.reader.listTasks(queue, page);
  }
  listActive(queue: string) {
    return this.reader.listActive(queue);
  }
  listScheduled(queue: string, opts: { name?: string; version?: number; after?: string; limit: number }) {
    return this.reader.listScheduled(queue, opts);
  }
  listDeadLetters(opts: { queue?: string; name?: string; version?: number; limit: number }) {
    return this.reader.listDeadLetters(opts);
  }
  countByStatus(queue: string): Promise<QueueCounts> {
    return this.reader.countByStatus(queue);
  }
  knownQueues(): Promise<string[]> {
    return this.reader.knownQueues();
  }

  async close(): Promise<void> {
    this.waiter?.close();
  }
}

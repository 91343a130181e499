/**
 * The worker: claims tasks from its role's queues, runs them with bounded concurrency, reports
 * outcomes, keeps leases alive, and shuts down by policy.
 *
 * Modes (one instance moves through them in order):
 *   running   → claims while it has free slots; idle queues are waited on with a blocking pop of
 *               their wake markers, so an idle worker wakes within a millisecond of a submission.
 *   draining  → (WORKER_TTL reached, or stop()) claims nothing more; running tasks finish; for a
 *               signal, each running task's onShutdown policy is applied:
 *                 stop → aborted, marked stalled; resubmit → aborted, re-queued without using a
 *                 retry; continue → awaited up to the grace period, then re-queued like resubmit.
 *   stopped   → pending completions flushed, worker record removed.
 *
 * Completions are not written one by one: they are queued per queue and sent with the next claim
 * of that queue (claim-tasks.lua), at most MAX_IN_FLIGHT calls per queue at a time, so a busy worker
 * pays about one round trip per batch of tasks.
 */
import { randomInt } from 'node:crypto';
import { hostname } from 'node:os';
import { NO_LIMITS, type QueueLimits } from '../domain/queue-config.js';
import type { ClaimedTask, Completion, TaskStore } from '../ports/task-store.js';
import { TaskAbortError, type TaskLogger } from '../tasks/context.js';
import type { TaskRegistry } from '../tasks/registry.js';
import { Attempt, type AttemptOutcome } from './run-attempt.js';
import type { AttemptSpan, WorkerHooks } from './worker-hooks.js';
import { logOutcome } from './log-outcome.js';
import { withRetries } from './with-retries.js';

const BATCH = 50;
const MAX_IN_FLIGHT = 3;
/** While a call is in flight, a further one goes out only with at least this much to carry. */
const MIN_BATCH = 25;
const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'stalled', 'dropped']);

export interface WorkerQueues {
  /** Queues to consume, re-read on config changes. */
  queues(): Promise<string[]>;
  limits(queue: string): Promise<QueueLimits>;
}

export interface WorkerOptions {
  store: TaskStore & { interruptWait?(): Promise<void> };
  registry: TaskRegistry;
  source: WorkerQueues;
  role: string;
  concurrency: number;
  /** Tasks to claim before exiting; 0 = forever. */
  ttl: number;
  /** Lease length for tasks without maxHeartbeatInterval, in ms. */
  leaseMs: number;
  /** How long `continue` tasks may run after a shutdown signal, in ms. */
  shutdownGraceMs: number;
  logger: TaskLogger;
  hooks?: WorkerHooks;
  /** Longest blocking wait before re-checking queues (expired leases, missed wake-ups), in ms. */
  idleRecheckMs?: number;
}

interface Running {
  attempt: Attempt;
  span: AttemptSpan | null;
  leaseMs: number;
  autoRenew: boolean;
}

export class Worker {
  readonly id: string;
  readonly owner: number;
  private readonly opts: WorkerOptions;
  private readonly running = new Map<string, Running>();
  private readonly pending = new Map<string, Completion[]>();
  private readonly inFlight = new Map<string, number>();
  private readonly idle = new Set<string>();
  private readonly rateWaitUntil = new Map<string, number>();
  private readonly limits = new Map<string, QueueLimits>();
  private queues: string[] = [];
  private rotation = 0;
  private pumpScheduled = false;
  private reserved = 0;
  private claimedTotal = 0;
  private state: 'new' | 'running' | 'draining' | 'stopped' = 'new';
  private wakeLoop: Promise<void> | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private readonly settled: Array<() => void> = [];
  private readonly startedAt = Date.now();
  private done!: Promise<void>;
  private resolveDone!: () => void;

  constructor(opts: WorkerOptions) {
    this.opts = opts;
    this.owner = randomInt(1, 2 ** 32 - 1);
    this.id = `${hostname()}:${process.pid}:${this.owner.toString(36)}`;
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  /** Starts consuming; resolves when the worker has stopped (TTL reached or stop()). */
  async run(): Promise<void> {
    await this.reloadQueues();
    this.state = 'running';
    this.renewTimer = setInterval(() => void this.renewLeases(), Math.max(50, Math.floor(this.opts.leaseMs / 3)));
    this.wakeLoop = this.waitLoop();
    this.pumpAll();
    await this.done;
  }

  get runningCount(): number {
    return this.running.size;
  }

  get claimed(): number {
    return this.claimedTotal;
  }

  describe() {
    return {
      id: this.id,
      host: hostname(),
      pid: process.pid,
      role: this.opts.role,
      queues: this.queues,
      concurrency: this.opts.concurrency,
      running: [...this.running.keys()],
      startedAt: this.startedAt,
      state: this.state,
    };
  }

  /** Re-reads the role's queues and limits (config change). */
  async reloadQueues(): Promise<void> {
    const queues = await this.opts.source.queues();
    const limits = await Promise.all(queues.map((q) => this.opts.source.limits(q)));
    this.limits.clear();
    queues.forEach((q, i) => this.limits.set(q, limits[i] ?? NO_LIMITS));
    // Publish this registry's per-type limits to every queue it consumes (claim-tasks.lua
    // enforces them across all workers); types without a limit clear any stale one.
    const typeLimits = this.opts.registry
      .list()
      .map((d) => ({ type: `${d.name}@${d.version}`, limit: d.maxConcurrent }));
    await Promise.all(queues.map((q) => this.opts.store.setTypeLimits(q, typeLimits)));
    const changed = queues.join('\0') !== this.queues.join('\0');
    this.queues = queues;
    this.idle.clear();
    if (changed) this.opts.logger.info('Worker queues refreshed', { role: this.opts.role, queues });
    if (this.state === 'running') {
      await this.opts.store.interruptWait?.();
      this.notifySettled();
      this.pumpAll();
    }
  }

  /** Cancellation pushed by the cancel channel. */
  onCancelRequested(id: string): void {
    this.running.get(id)?.attempt.abort(new TaskAbortError('cancelled', `Task ${id} was cancelled`));
  }

  /**
   * Stops claiming and finishes. With `signal` (SIGTERM/SIGINT) running tasks get their shutdown
   * policy; without it (TTL) they are simply awaited.
   */
  async stop(signal?: string): Promise<void> {
    if (this.state === 'stopped') return this.done;
    const wasDraining = this.state === 'draining';
    this.state = 'draining';
    if (!wasDraining) void this.opts.store.interruptWait?.();
    if (signal) {
      this.opts.logger.info('Worker shutting down', { signal, running: this.running.size });
      for (const r of this.running.values()) {
        const policy = this.opts.registry.get(r.attempt.name, r.attempt.version)?.onShutdown ?? 'stop';
        if (policy === 'continue') {
          setTimeout(
            () => r.attempt.abort(new TaskAbortError('shutdown', 'Shutdown grace period expired')),
            this.opts.shutdownGraceMs,
          ).unref();
        } else {
          r.attempt.abort(new TaskAbortError('shutdown', `Worker received ${signal}`));
        }
      }
    }
    this.maybeFinish();
    return this.done;
  }

  // ------------------------------------------------------------------ claiming

  private free(): number {
    let free = this.opts.concurrency - this.running.size - this.reserved;
    if (this.opts.ttl > 0) free = Math.min(free, this.opts.ttl - this.claimedTotal - this.reserved);
    return this.state === 'running' ? Math.max(0, free) : 0;
  }

  /** Sends claim calls: completions to their queue, free slots to queues in rotation. */
  private pumpAll(): void {
    const n = this.queues.length;
    const now = Date.now();
    for (let i = 0; i < n; i++) {
      const q = this.queues[(this.rotation + i) % n] as string;
      const canClaim = !this.idle.has(q) && (this.rateWaitUntil.get(q) ?? 0) <= now;
      const want = canClaim ? Math.min(BATCH, this.free()) : 0;
      if (want > 0) this.rotation = (this.rotation + i + 1) % n;
      this.pump(q, want);
    }
    // Completions for queues no longer in the role still have to be reported.
    for (const q of this.pending.keys()) if (!this.queues.includes(q)) this.pump(q, 0);
  }

  private pump(queue: string, want: number): void {
    const completions = this.pending.get(queue) ?? [];
    if (want === 0 && completions.length === 0) return;
    const inFlight = this.inFlight.get(queue) ?? 0;
    if (inFlight >= MAX_IN_FLIGHT) return;
    // Small batches behind a call in flight cost a round trip each; let them accumulate instead
    // (the call's return sends whatever is pending).
    if (inFlight > 0 && completions.length < MIN_BATCH && want < MIN_BATCH) return;
    const batch = completions.splice(0, 200);
    this.inFlight.set(queue, (this.inFlight.get(queue) ?? 0) + 1);
    this.reserved += want;
    const limits = this.limits.get(queue) ?? NO_LIMITS;
    this.opts.store
      .claim({ queue, owner: this.owner, leaseMs: this.opts.leaseMs, want, limits, completions: batch })
      .then(
        (res) => {
          res.completed.forEach((ok, i) => {
            if (!ok) this.opts.logger.warn('Completion rejected: the lease was lost', { task_id: batch[i]?.id, queue });
          });
          if (res.retryAfterMs > 0) {
            this.rateWaitUntil.set(queue, Date.now() + res.retryAfterMs);
            setTimeout(() => this.pumpAll(), res.retryAfterMs).unref();
          }
          if (want > 0 && res.claimed.length === 0 && res.retryAfterMs === 0) {
            this.idle.add(queue);
            this.notifySettled();
          }
          this.reserved -= want;
          for (const task of res.claimed) this.start(task);
        },
        (err: unknown) => {
          this.reserved -= want;
          // Not lost: completions go back in front of the queue and are re-sent; the lease fence
          // makes a double report harmless.
          this.pending.set(queue, [...batch, ...(this.pending.get(queue) ?? [])]);
          this.opts.logger.error('Claim failed; retrying', { queue, error: (err as Error).message });
          setTimeout(() => this.pumpAll(), 250).unref();
        },
      )
      .finally(() => {
        this.inFlight.set(queue, (this.inFlight.get(queue) ?? 1) - 1);
        if (this.state === 'running') this.pumpAll();
        else this.flushPending();
        this.maybeFinish();
      });
  }

  /** Blocks on the idle queues' wake markers while there is capacity to use. */
  private async waitLoop(): Promise<void> {
    const recheck = this.opts.idleRecheckMs ?? 2000;
    while (this.state === 'running') {
      const idleQueues = this.queues.filter((q) => this.idle.has(q));
      if (this.free() === 0 || idleQueues.length === 0) {
        await new Promise<void>((r) => this.settled.push(r));
        continue;
      }
      try {
        const woke = await this.opts.store.waitForWork(idleQueues, recheck);
        if (woke) this.idle.delete(woke);
        else this.idle.clear(); // periodic re-check: recovers expired leases, catches missed wake-ups
      } catch (err) {
        if (this.state !== 'running') break;
        this.opts.logger.warn('Waiting for work failed; retrying', { error: (err as Error).message });
        await new Promise((r) => setTimeout(r, 250));
        this.idle.clear();
      }
      this.pumpAll();
    }
  }

  private notifySettled(): void {
    const waiters = this.settled.splice(0);
    for (const w of waiters) w();
  }

  // ------------------------------------------------------------------ execution

  private start(task: ClaimedTask): void {
    this.claimedTotal++;
    const def = this.opts.registry.get(task.name, task.version);
    const heartbeatMs = def?.maxHeartbeatInterval ? def.maxHeartbeatInterval * 1000 : null;
    const span = this.opts.hooks?.openAttemptSpan?.(task) ?? null;
    const attempt = new Attempt(task, def, this.opts.logger, this.renewOne, this.onSettled);
    const r: Running = {
      attempt,
      span,
      leaseMs: heartbeatMs ?? this.opts.leaseMs,
      autoRenew: heartbeatMs === null,
    };
    this.running.set(task.id, r);
    this.opts.hooks?.taskSelected?.(task, this.opts.role, Math.max(0, task.attemptStartedAt - task.submittedAt));
    if (heartbeatMs !== null) void this.renew(task.queue, [r]); // the claim took the default lease
    if (span) span.run(() => this.runAttempt(r));
    else this.runAttempt(r);
  }

  private runAttempt(r: Running): void {
    const { task } = r.attempt;
    // Inside the attempt's span, so these lines carry its trace id.
    if (this.debug)
      this.opts.logger.debug(`Task ${task.id} started (attempt ${task.retryAttempt + 1}).`, {
        task_id: task.id,
        task: task.name,
        queue: task.queue,
      });
    r.attempt.run();
  }

  private readonly renewOne = (attempt: Attempt): Promise<void> => {
    const r = this.running.get(attempt.id);
    return r ? this.renew(attempt.queue, [r]) : Promise.resolve();
  };

  private readonly onSettled = (attempt: Attempt, outcome: AttemptOutcome): void => {
    const r = this.running.get(attempt.id);
    if (!r || r.attempt !== attempt) return;
    logOutcome(this.opts.logger, this.debug, attempt.task, outcome);
    r.span?.end(outcome.kind === 'retry' || outcome.kind === 'finish' ? outcome.error?.error : undefined);
    this.settle(r, outcome);
  };

  private get debug(): boolean {
    return this.opts.logger.isDebugEnabled?.() ?? true;
  }

  /**
   * Records an attempt's outcome. A completion is only queued (it travels with the next claim
   * call, see pump()); retries and other finishes are written at once, with retries.
   */
  private settle(r: Running, outcome: AttemptOutcome): void {
    if (outcome.kind === 'complete') {
      const { task } = r.attempt;
      const list = this.pending.get(task.queue);
      const entry = { id: task.id, starts: task.starts, results: outcome.results };
      if (list) list.push(entry);
      else this.pending.set(task.queue, [entry]);
      this.afterSettle(r, outcome, 'completed', Date.now());
    } else if (outcome.kind === 'abandon') {
      this.afterSettle(r, outcome, 'abandoned', Date.now());
    } else {
      const startedAt = Date.now();
      void this.persist(r.attempt.task, outcome).then((status) => this.afterSettle(r, outcome, status, startedAt));
    }
  }

  /** Writes a retry or a finish; resolves to the status it left the task in. Never rejects. */
  private async persist(
    task: ClaimedTask,
    outcome: Extract<AttemptOutcome, { kind: 'retry' | 'finish' }>,
  ): Promise<string> {
    let status: string =
      outcome.kind === 'finish' ? outcome.status : outcome.runAt === null ? 'submitted' : 'scheduled';
    try {
      if (outcome.kind === 'retry') {
        const res = await withRetries(() => this.opts.store.retry(task.queue, this.owner, task, outcome));
        if (res === 'cancel-requested') {
          status = 'cancelled';
          await withRetries(() =>
            this.opts.store.finish(task.queue, this.owner, task, {
              status: 'cancelled',
              error: null,
              deadLetter: false,
            }),
          );
        }
      } else {
        await withRetries(() => this.opts.store.finish(task.queue, this.owner, task, outcome));
      }
    } catch (err) {
      // Redis stayed unreachable: the lease will expire and recovery re-queues the task.
      this.opts.logger.error('Could not record task outcome; lease recovery will take over', {
        task_id: task.id,
        error: (err as Error).message,
      });
    }
    return status;
  }

  private afterSettle(r: Running, outcome: AttemptOutcome, status: string, startedAt: number): void {
    const { task } = r.attempt;
    this.running.delete(task.id);
    if (this.opts.hooks?.attemptFinished) {
      const terminal = TERMINAL.has(status);
      this.opts.hooks.attemptFinished({
        task,
        status,
        durationMs: startedAt - task.attemptStartedAt,
        endToEndMs: terminal && task.createdAt > 0 ? Date.now() - task.createdAt : null,
        retried: outcome.kind === 'retry' && outcome.consumeAttempt,
        deadLettered: outcome.kind === 'finish' && outcome.status === 'failed' && outcome.deadLetter,
      });
    }
    this.notifySettled();
    this.schedulePump();
  }

  /**
   * Tasks that settle in the same pass of the event loop (a claimed batch of quick handlers)
   * report together: one claim call carries all their completions and asks for as many new
   * tasks, instead of the first tasks to settle each sending a call of their own. process.nextTick
   * runs once the promise jobs of the current pass have drained, without waiting for the next
   * loop iteration as setImmediate would (that wait is the whole cycle of a concurrency-1 worker).
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    process.nextTick(() => {
      this.pumpScheduled = false;
      if (this.state === 'running') this.pumpAll();
      else this.flushPending();
      this.maybeFinish();
    });
  }

  // ------------------------------------------------------------------ leases

  private async renewLeases(): Promise<void> {
    const byQueue = new Map<string, Running[]>();
    for (const r of this.running.values()) {
      if (!r.autoRenew) continue;
      const list = byQueue.get(r.attempt.queue);
      if (list) list.push(r);
      else byQueue.set(r.attempt.queue, [r]);
    }
    await Promise.all([...byQueue].map(([q, list]) => this.renew(q, list).catch(() => undefined)));
  }

  private async renew(queue: string, list: Running[]): Promise<void> {
    const outcomes = await this.opts.store.renewLeases(
      queue,
      this.owner,
      list.map((r) => ({ id: r.attempt.id, starts: r.attempt.task.starts, leaseMs: r.leaseMs })),
    );
    outcomes.forEach((o, i) => {
      const r = list[i] as Running;
      if (o === 'cancel-requested')
        r.attempt.abort(new TaskAbortError('cancelled', `Task ${r.attempt.id} was cancelled`));
      if (o === 'lost') r.attempt.abort(new TaskAbortError('lease-lost', `Task ${r.attempt.id} lease was lost`));
    });
  }

  // ------------------------------------------------------------------ stopping

  private flushPending(): void {
    for (const q of this.pending.keys()) this.pump(q, 0);
  }

  private maybeFinish(): void {
    if (this.state === 'running' && this.opts.ttl > 0 && this.claimedTotal >= this.opts.ttl) {
      this.state = 'draining';
      void this.opts.store.interruptWait?.();
    }
    if (this.state !== 'draining') return;
    const pendingCount = [...this.pending.values()].reduce((a, l) => a + l.length, 0);
    const inFlight = [...this.inFlight.values()].reduce((a, n) => a + n, 0);
    if (this.running.size > 0 || pendingCount > 0 || inFlight > 0) return;
    this.state = 'stopped';
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.notifySettled();
    this.resolveDone();
  }
}

/**
 * The scheduler: moves scheduled tasks (future run_at, delayed retries) into their queue when due.
 *
 * It sleeps until the earliest due time it knows of — never longer than the poll interval — and
 * is woken early by the schedule channel when a submission brings an earlier time, so a task
 * starts within milliseconds of its run_at. It keeps no state of its own: promotion is one Lua
 * script per batch (promote-due.lua), so it is safe to restart and to run several at once.
 * Each pass also recovers expired leases of its queues, bounding recovery time even for queues
 * no worker is claiming from.
 */
import type { TaskStore } from '../ports/task-store.js';
import type { TaskLogger } from '../tasks/context.js';

export interface SchedulerOptions {
  store: TaskStore;
  queues(): Promise<string[]>;
  batchSize: number;
  pollIntervalMs: number;
  logger: TaskLogger;
  /** Called with (queue, lateness ms) for each dispatched task. */
  onDispatched?(queue: string, task: { id: string; name: string }, latenessMs: number): void;
}

export class Scheduler {
  private running = false;
  private wake: (() => void) | null = null;
  private wakeAt = Infinity;
  private stopped!: Promise<void>;
  private queueList: string[] = [];

  constructor(private readonly opts: SchedulerOptions) {}

  /** A submission scheduled something at `runAt` (epoch ms): wake up early if it is sooner. */
  notifyRunAt(runAt: number): void {
    if (runAt < this.wakeAt) this.wake?.();
  }

  /** Role or queue configuration changed. */
  async reloadQueues(): Promise<void> {
    this.queueList = await this.opts.queues();
    this.wake?.();
  }

  async run(): Promise<void> {
    this.running = true;
    await this.reloadQueues();
    this.stopped = this.loop();
    return this.stopped;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.stopped;
  }

  private async loop(): Promise<void> {
    let lastRecovery = 0;
    while (this.running) {
      let nextDue = Infinity;
      try {
        for (const queue of this.queueList) nextDue = Math.min(nextDue, await this.promoteQueue(queue));
        if (Date.now() - lastRecovery >= this.opts.pollIntervalMs) {
          lastRecovery = Date.now();
          for (const queue of this.queueList) await this.opts.store.recoverExpiredLeases(queue, 1000);
        }
      } catch (err) {
        this.opts.logger.error('Scheduler pass failed; retrying', { error: (err as Error).message });
        nextDue = Date.now() + 500;
      }
      const sleepMs = Math.max(0, Math.min(nextDue - Date.now(), this.opts.pollIntervalMs));
      if (!this.running) break;
      await this.sleep(sleepMs, nextDue);
    }
  }

  /** Promotes everything due in one queue; returns its next due time (or Infinity). */
  private async promoteQueue(queue: string): Promise<number> {
    for (;;) {
      const res = await this.opts.store.promoteDue(queue, this.opts.batchSize);
      for (const p of res.promoted) {
        this.opts.onDispatched?.(queue, p, res.now - p.runAt);
        this.opts.logger.debug(`Task ${p.id} dispatched to queue ${queue}.`, { task_id: p.id, queue });
      }
      if (res.promoted.length < this.opts.batchSize) return res.nextDueAt ?? Infinity;
    }
  }

  private sleep(ms: number, until: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    this.wakeAt = until;
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        this.wakeAt = Infinity;
        done();
      };
    });
  }
}

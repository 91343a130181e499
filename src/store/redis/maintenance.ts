/** Cleaner-side operations of the Redis task store: lease recovery and pruning. */
import type { Redis } from 'ioredis';
import { KeyCatalogue, TERMINAL_KEYS } from './keys.js';
import { runScript } from './scripts.js';
import type { TaskReader } from './task-reader.js';

export class Maintenance {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeyCatalogue,
    private readonly reader: TaskReader,
  ) {}

  async recoverExpiredLeases(queue: string, limit: number): Promise<number> {
    const k = this.keys.queue(queue);
    return (await runScript(
      this.redis,
      'recover-leases',
      [k.tasks, k.ready, k.wake, k.leases, k.errors, k.donePrefix],
      [limit],
    )) as number;
  }

  /**
   * Cleaner --stale-time: expire the leases of started tasks not renewed since `heartbeatBefore`,
   * so recovery takes them (one script: a lease renewed or re-taken meanwhile is left alone).
   */
  async expireStaleLeases(queue: string, heartbeatBefore: number): Promise<number> {
    const k = this.keys.queue(queue);
    return (await runScript(
      this.redis,
      'expire-stale-leases',
      [k.tasks, k.leases],
      [Math.floor(heartbeatBefore)],
    )) as number;
  }

  async pruneTerminal(queue: string, olderThan: number): Promise<number> {
    const k = this.keys.queue(queue);
    let total = 0;
    for (const status of TERMINAL_KEYS) {
      for (;;) {
        const n = (await runScript(
          this.redis,
          'prune-terminal',
          [k.done(status), k.tasks, k.results, k.errors, k.dlq],
          [Math.floor(olderThan), 500],
        )) as number;
        total += n;
        if (n < 500) break;
      }
    }
    return total;
  }

  async pruneDeadLetters(queue: string, olderThan: number): Promise<number> {
    return this.redis.zremrangebyscore(this.keys.queue(queue).dlq, '-inf', Math.floor(olderThan));
  }

  async pruneWaiting(queue: string, min: number, max: number): Promise<number> {
    const k = this.keys.queue(queue);
    return (await runScript(
      this.redis,
      'prune-waiting',
      [k.ready, k.tasks, k.results, k.errors],
      [Math.floor(min), Math.floor(max)],
    )) as number;
  }

  /** Drops rate-log entries older than `olderThan`; returns how many (one per claim call). */
  async pruneRateLog(queue: string, olderThan: number): Promise<number> {
    const k = this.keys.queue(queue);
    return (await runScript(this.redis, 'prune-rate-log', [k.rateLog, k.rateMeta], [Math.floor(olderThan)])) as number;
  }
}

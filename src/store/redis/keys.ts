/**
 * The Redis key catalogue: every key jobbers writes, in one place.
 *
 * The hot scripts (claim-tasks.lua, submit-tasks.lua) receive only P:{q}:tasks and name the
 * queue's other keys from it with the suffixes below; a suffix changed here must change there.
 *
 * Per-queue keys share the hash tag `{<queue>}`, so every script touches one slot and a later move
 * to Redis Cluster needs no data-model change (DESIGN.md §2.6). Queue names are validated
 * (src/domain/names.ts) so they cannot contain `{`, `}` or `:`.
 *
 * | key                         | type   | content                                                   |
 * | --------------------------- | ------ | --------------------------------------------------------- |
 * | P:{q}:tasks                 | HASH   | 16-byte id → record (70-byte header + msgpack body)       |
 * | P:{q}:results               | HASH   | id → msgpack of the handler's return value                |
 * | P:{q}:errors                | HASH   | id → concatenated msgpack error entries, one per attempt  |
 * | P:{q}:ready                 | LIST   | ids waiting to run; LPUSH to enqueue, RPOP to claim (FIFO)|
 * | P:{q}:wake                  | LIST   | at most one marker; idle workers BLPOP it                 |
 * | P:{q}:delayed               | ZSET   | id → run_at (ms): scheduled tasks and delayed retries      |
 * | P:{q}:leases                | ZSET   | id → lease deadline (ms) of started tasks, + a sentinel   |
 * | P:{q}:ratelog               | ZSET   | rate-limit log, one entry per claim call: "<count>:" +   |
 * |                             |        | first task's id+start# → start time (ms)                  |
 * | P:{q}:ratelog:meta          | HASH   | n: sum of the counts in P:{q}:ratelog, s: last sweep (ms) |
 * | P:{q}:done:<status>         | ZSET   | id → completed_at (ms), one per terminal status           |
 * | P:{q}:dlq                   | ZSET   | id → failed_at (ms): the dead-letter queue                |
 * | P:queues                    | SET    | every queue name ever submitted to (repairable index)     |
 * | P:workers                   | HASH   | worker id → msgpack heartbeat record                      |
 * | P:config-version            | STRING | bumped on every queue/role change                         |
 * | channel P:config            | pubsub | "queue/role config changed"                               |
 * | channel P:cancel            | pubsub | id of a started task whose cancellation was requested     |
 * | channel P:schedule          | pubsub | earliest new run_at, wakes the scheduler                  |
 */
import type { TaskStatus } from '../../domain/status.js';

export const TERMINAL_KEYS = ['completed', 'failed', 'cancelled', 'stalled', 'dropped'] as const;

export interface QueueKeys {
  tasks: string;
  results: string;
  errors: string;
  ready: string;
  wake: string;
  delayed: string;
  leases: string;
  /** Rate-limit log (one entry per claim call) and the running total of its counts. */
  rateLog: string;
  rateMeta: string;
  dlq: string;
  /** Prefix of the per-status terminal sets; scripts append the status name. */
  donePrefix: string;
  done: (status: TaskStatus) => string;
}

export class KeyCatalogue {
  readonly prefix: string;
  readonly queues: string;
  readonly workers: string;
  readonly configVersion: string;
  readonly configChannel: string;
  readonly cancelChannel: string;
  readonly scheduleChannel: string;
  private readonly cache = new Map<string, QueueKeys>();

  constructor(prefix: string) {
    this.prefix = prefix;
    this.queues = `${prefix}:queues`;
    this.workers = `${prefix}:workers`;
    this.configVersion = `${prefix}:config-version`;
    this.configChannel = `${prefix}:config`;
    this.cancelChannel = `${prefix}:cancel`;
    this.scheduleChannel = `${prefix}:schedule`;
  }

  queue(name: string): QueueKeys {
    let keys = this.cache.get(name);
    if (!keys) {
      const base = `${this.prefix}:{${name}}`;
      keys = {
        tasks: `${base}:tasks`,
        results: `${base}:results`,
        errors: `${base}:errors`,
        ready: `${base}:ready`,
        wake: `${base}:wake`,
        delayed: `${base}:delayed`,
        leases: `${base}:leases`,
        rateLog: `${base}:ratelog`,
        rateMeta: `${base}:ratelog:meta`,
        dlq: `${base}:dlq`,
        donePrefix: `${base}:done:`,
        done: (status: TaskStatus) => `${base}:done:${status}`,
      };
      this.cache.set(name, keys);
    }
    return keys;
  }

  /** Inverse of queue(): the queue name inside a per-queue key, or null. */
  queueOf(key: string): string | null {
    const start = key.indexOf('{');
    const end = key.indexOf('}', start);
    return start >= 0 && end > start ? key.slice(start + 1, end) : null;
  }
}

/**
 * The producer side of each system, as the driver uses it: submit one, a batch, a delayed task,
 * and "has every task been recorded as done in Redis?".
 */
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobbersClient } from '../src/client.js';
import { BULLMQ_QUEUE, JOBBERS_PREFIX, JOBBERS_QUEUE, payload, type SystemName } from './common.js';
import type { benchNoop as BenchNoop } from './tasks-jobbers.js';

// Each driver loads only the system it measures (both libraries take seconds to import on a busy
// machine, and neither should sit in the other's heap).

export interface Producer {
  system: SystemName;
  submit(i: number): Promise<void>;
  submitBatch(indexes: number[]): Promise<void>;
  /** Submit task i to run `delayMs` from now; resolves with the due time it asked for (epoch ms). */
  schedule(i: number, delayMs: number): Promise<number>;
  /** True when all `n` tasks are recorded as completed in Redis (not merely handled). */
  allCompleted(n: number): Promise<boolean>;
  /** Where the tasks are, for a failure message. */
  diagnose(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface ProducerOptions {
  redisUrl: string;
  sqlPath: string;
}

class JobbersProducer implements Producer {
  readonly system = 'jobbers' as const;
  private readonly completedKey: string;

  constructor(
    private readonly client: JobbersClient,
    private readonly benchNoop: typeof BenchNoop,
  ) {
    this.completedKey = client.runtime.store.keys.queue(JOBBERS_QUEUE).done('completed');
  }

  async submit(i: number): Promise<void> {
    await this.client.submit(this.benchNoop, payload(i), { queue: JOBBERS_QUEUE });
  }

  async submitBatch(indexes: number[]): Promise<void> {
    const res = await this.client.submitMany(this.benchNoop, indexes.map(payload), { queue: JOBBERS_QUEUE });
    const bad = res.find((r) => !r.ok);
    if (bad && !bad.ok) throw bad.error;
  }

  async schedule(i: number, delayMs: number): Promise<number> {
    const due = Date.now() + delayMs;
    await this.client.schedule(this.benchNoop, payload(i), due, { queue: JOBBERS_QUEUE });
    return due;
  }

  async allCompleted(n: number): Promise<boolean> {
    return (await this.client.runtime.redis.zcard(this.completedKey)) >= n;
  }

  async diagnose(): Promise<Record<string, unknown>> {
    const k = this.client.runtime.store.keys.queue(JOBBERS_QUEUE);
    const r = this.client.runtime.redis;
    const [tasks, ready, leases, delayed, completed, failed, stalled] = await Promise.all([
      r.hlen(k.tasks),
      r.llen(k.ready),
      r.zcard(k.leases),
      r.zcard(k.delayed),
      r.zcard(k.done('completed')),
      r.zcard(k.done('failed')),
      r.zcard(k.done('stalled')),
    ]);
    return { tasks, ready, leasesInclSentinel: leases, delayed, completed, failed, stalled };
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

class BullmqProducer implements Producer {
  readonly system = 'bullmq' as const;

  constructor(private readonly queue: Queue) {}

  async submit(i: number): Promise<void> {
    await this.queue.add('noop', payload(i));
  }

  async submitBatch(indexes: number[]): Promise<void> {
    await this.queue.addBulk(indexes.map((i) => ({ name: 'noop', data: payload(i) })));
  }

  async schedule(i: number, delayMs: number): Promise<number> {
    // BullMQ's due time is job.timestamp + delay (its worker reports that exact value).
    const due = Date.now() + delayMs;
    await this.queue.add('noop', payload(i), { delay: delayMs });
    return due;
  }

  async allCompleted(): Promise<boolean> {
    // removeOnComplete: a completed job is deleted, so "all done" is "nothing left anywhere".
    const counts = await this.queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children');
    return Object.values(counts).every((c) => c === 0);
  }

  diagnose(): Promise<Record<string, unknown>> {
    return this.queue.getJobCounts();
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

export async function openProducer(system: SystemName, opts: ProducerOptions): Promise<Producer> {
  if (system === 'jobbers') {
    const { createClient } = await import('../src/client.js');
    const { benchNoop } = await import('./tasks-jobbers.js');
    const client = await createClient({
      redisUrl: opts.redisUrl,
      sqlPath: opts.sqlPath,
      prefix: JOBBERS_PREFIX,
      tasks: [benchNoop],
    });
    return new JobbersProducer(client, benchNoop);
  }
  const { Queue } = await import('bullmq');
  const { bullmqConnection, installBullmqClientFactory } = await import('./bullmq-connection.js');
  installBullmqClientFactory();
  const queue = new Queue(BULLMQ_QUEUE, {
    connection: bullmqConnection(opts.redisUrl, false),
    defaultJobOptions: { removeOnComplete: true },
  });
  await queue.waitUntilReady();
  return new BullmqProducer(queue);
}

/** A plain connection for INFO / FLUSHALL / CONFIG. */
export function adminRedis(url: string): Redis {
  return new Redis(url, { enableAutoPipelining: false, maxRetriesPerRequest: 5 });
}

/** INFO section → { field: value } (numbers where they parse). */
export async function info(redis: Redis, section: string): Promise<Record<string, string>> {
  const text = await redis.info(section);
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** Redis CPU seconds so far (user + sys, main process incl. its threads). */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const cpu = await info(redis, 'cpu');
  return Number(cpu.used_cpu_user) + Number(cpu.used_cpu_sys);
}

/** Calls per command from INFO commandstats, e.g. { evalsha: 12, hget: 40, 'client|setname': 2 }. */
export async function commandCalls(redis: Redis): Promise<Record<string, { calls: number; usec: number }>> {
  const stats = await info(redis, 'commandstats');
  const out: Record<string, { calls: number; usec: number }> = {};
  for (const [k, v] of Object.entries(stats)) {
    if (!k.startsWith('cmdstat_')) continue;
    const calls = /calls=(\d+)/.exec(v);
    const usec = /usec=(\d+)/.exec(v);
    out[k.slice('cmdstat_'.length)] = { calls: Number(calls?.[1] ?? 0), usec: Number(usec?.[1] ?? 0) };
  }
  return out;
}

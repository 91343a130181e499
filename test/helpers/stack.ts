/**
 * An isolated jobbers stack for a test: a random Redis key prefix, a private SQLite file,
 * a client, and optionally in-process workers and a scheduler wired like the real processes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createClient, type JobbersClient } from '../../src/client.js';
import type { TaskDefinition } from '../../src/tasks/define-task.js';
import { TaskRegistry } from '../../src/tasks/registry.js';
import { Worker, type WorkerOptions } from '../../src/worker/worker.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { openRuntime, type Runtime } from '../../src/runtime/compose.js';
import { loadSettings } from '../../src/runtime/settings.js';
import type { TaskLogger } from '../../src/tasks/context.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export const quietLogger: TaskLogger = { info() {}, warn() {}, error() {}, debug() {} };

export interface Stack {
  prefix: string;
  sqlPath: string;
  env: Record<string, string>;
  client: JobbersClient;
  rt: Runtime;
  startWorker(
    tasks: TaskDefinition[],
    opts?: Partial<WorkerOptions> & { role?: string },
  ): Promise<{ worker: Worker; runtime: Runtime; done: Promise<void> }>;
  startScheduler(opts?: { pollIntervalMs?: number; batchSize?: number }): Promise<Scheduler>;
  close(): Promise<void>;
}

export async function createStack(tasks: TaskDefinition[] = []): Promise<Stack> {
  const prefix = `t${randomBytes(5).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'jobbers-test-'));
  const sqlPath = `sqlite:///${join(dir, 'config.db')}`;
  const env = { REDIS_URL, SQL_PATH: sqlPath, JOBBERS_PREFIX: prefix };
  const client = await createClient({ redisUrl: REDIS_URL, sqlPath, prefix, tasks });
  const closers: Array<() => Promise<void>> = [];
  const stack: Stack = {
    prefix,
    sqlPath,
    env,
    client,
    rt: client.runtime,
    async startWorker(defs, opts = {}) {
      const settings = loadSettings({ ...process.env, ...env });
      const registry = new TaskRegistry(defs);
      const runtime = await openRuntime(settings, { processName: 'test-worker', registry, blocking: true });
      const role = opts.role ?? 'default';
      const worker = new Worker({
        store: runtime.store,
        registry,
        role,
        source: { queues: () => runtime.queues.roleQueues(role), limits: (q) => runtime.queues.limits(q) },
        concurrency: 5,
        ttl: 0,
        leaseMs: 5000,
        shutdownGraceMs: 2000,
        logger: quietLogger,
        ...opts,
      });
      runtime.watcher.on('change', () => void worker.reloadQueues().catch(() => undefined));
      runtime.subscriber.on('message', (channel: string, msg: string) => {
        if (channel === runtime.store.keys.cancelChannel) worker.onCancelRequested(msg);
      });
      await runtime.subscriber.subscribe(runtime.store.keys.cancelChannel);
      const done = worker.run();
      closers.push(async () => {
        await worker.stop();
        await runtime.close();
      });
      return { worker, runtime, done };
    },
    async startScheduler(opts = {}) {
      const settings = loadSettings({ ...process.env, ...env });
      const runtime = await openRuntime(settings, { processName: 'test-scheduler' });
      const scheduler = new Scheduler({
        store: runtime.store,
        queues: () => runtime.queues.roleQueues('default'),
        batchSize: opts.batchSize ?? 100,
        pollIntervalMs: opts.pollIntervalMs ?? 200,
        logger: quietLogger,
      });
      runtime.subscriber.on('message', (channel: string, msg: string) => {
        if (channel === runtime.store.keys.scheduleChannel) scheduler.notifyRunAt(Number(msg));
      });
      await runtime.subscriber.subscribe(runtime.store.keys.scheduleChannel);
      void scheduler.run();
      closers.push(async () => {
        await scheduler.stop();
        await runtime.close();
      });
      return scheduler;
    },
    async close() {
      for (const c of closers.reverse()) await c().catch(() => undefined);
      // Remove this test's keys.
      const keys = await client.runtime.redis.keys(`${prefix}:*`);
      if (keys.length) await client.runtime.redis.del(...keys);
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

export async function waitUntil(
  pred: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
  stepMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

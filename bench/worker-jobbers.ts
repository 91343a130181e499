/**
 * A jobbers worker process for the bench, wired exactly like src/runtime/worker-process.ts (the
 * `jobbers_worker` CLI): the runtime with a blocking connection, the Worker with the role's queues
 * and limits from SQL, telemetry hooks, the cancel channel and the worker registration. Only the
 * OpenTelemetry SDK and the pino logger are left out (no collector here; OTEL_SDK_DISABLED=true
 * gives the same no-op API), and consuming starts on the driver's `go`, so timings exclude
 * process start-up. Env: BENCH_WORKER (WorkerConfig JSON).
 */
import { openRuntime } from '../src/runtime/compose.js';
import { loadSettings } from '../src/runtime/settings.js';
import { telemetryHooks } from '../src/runtime/telemetry-hooks.js';
import { registerWorker } from '../src/runtime/worker-registration.js';
import type { TaskLogger } from '../src/tasks/context.js';
import { TaskRegistry } from '../src/tasks/registry.js';
import { Worker } from '../src/worker/worker.js';
import { JOBBERS_PREFIX } from './common.js';
import { benchNoop, useRecorder } from './tasks-jobbers.js';
import { runWorkerChild } from './worker-harness.js';

// Like the CLI's pino logger at its default level (info): debug lines are skipped before they are built.
const log: TaskLogger = {
  isDebugEnabled: () => false,
  info() {},
  debug() {},
  warn: (msg, fields) =>
    process.stderr.write(`[worker-jobbers ${process.pid}] WARN ${msg} ${JSON.stringify(fields ?? {})}\n`),
  error: (msg, fields) =>
    process.stderr.write(`[worker-jobbers ${process.pid}] ERROR ${msg} ${JSON.stringify(fields ?? {})}\n`),
};

await runWorkerChild(async (cfg, rec) => {
  useRecorder(rec);
  const settings = loadSettings({
    ...process.env,
    REDIS_URL: cfg.redisUrl,
    SQL_PATH: cfg.sqlPath,
    JOBBERS_PREFIX,
    WORKER_CONCURRENT_TASKS: String(cfg.concurrency),
    WORKER_TTL: '0',
  });
  const registry = new TaskRegistry([benchNoop]);
  const rt = await openRuntime(settings, {
    processName: 'jobbers-worker',
    registry,
    blocking: true,
    warn: (m) => log.warn(m),
  });
  const role = settings.workerRole;
  const source = { queues: () => rt.queues.roleQueues(role), limits: (q: string) => rt.queues.limits(q) };
  // Warm the config cache (one SQL read each), as a long-running worker has it.
  for (const q of await source.queues()) await source.limits(q);
  const worker = new Worker({
    store: rt.store,
    registry,
    role,
    source,
    concurrency: settings.workerConcurrentTasks,
    ttl: settings.workerTtl,
    leaseMs: settings.workerLeaseTimeout * 1000,
    shutdownGraceMs: settings.workerShutdownGrace * 1000,
    logger: log,
    hooks: telemetryHooks(),
  });
  rt.watcher.on(
    'change',
    () => void worker.reloadQueues().catch((e: Error) => log.error('Config reload failed', { error: e.message })),
  );
  rt.subscriber.on('message', (channel: string, message: string) => {
    if (channel === rt.store.keys.cancelChannel) worker.onCancelRequested(message);
  });
  await rt.subscriber.subscribe(rt.store.keys.cancelChannel);
  let done: Promise<void> | null = null;
  let registration: ReturnType<typeof registerWorker> | null = null;
  return {
    start() {
      registration = registerWorker(rt.redis, rt.store.keys, worker);
      done = worker.run();
    },
    async stop() {
      await worker.stop();
      await done;
      await registration?.stop();
      await rt.close();
    },
  };
}, false);

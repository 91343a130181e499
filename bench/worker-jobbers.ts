/**
 * A jobbers worker process for the bench, built by the same wireWorker() as the `jobbers_worker`
 * CLI (src/runtime/worker-wiring.ts), so it is wired like it by construction: the runtime with a
 * blocking connection, the Worker with the role's queues and limits from SQL, telemetry hooks and
 * the cancel channel; the worker registration is added on `go`, as the CLI adds it before
 * consuming. Only the OpenTelemetry SDK and the pino logger are left out (no collector here;
 * OTEL_SDK_DISABLED=true gives the same no-op API), and consuming starts on the driver's `go`, so
 * timings exclude process start-up. Env: BENCH_WORKER (WorkerConfig JSON).
 */
import { loadSettings } from '../src/runtime/settings.js';
import { registerWorker } from '../src/runtime/worker-registration.js';
import { wireWorker } from '../src/runtime/worker-wiring.js';
import type { TaskLogger } from '../src/tasks/context.js';
import { TaskRegistry } from '../src/tasks/registry.js';
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
  const { rt, worker } = await wireWorker(settings, registry, log);
  // Warm the config cache (one SQL read each), as a long-running worker has it.
  for (const q of await rt.queues.roleQueues(settings.workerRole)) await rt.queues.limits(q);
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

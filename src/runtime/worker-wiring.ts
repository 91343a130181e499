/**
 * Builds a Worker wired to a fresh runtime: a blocking connection, the role's queues and limits
 * from SQL (re-read on every config change), telemetry hooks and the cancel channel. The
 * `jobbers_worker` CLI and the bench worker both use it, so the bench measures the worker as
 * deployed. Consuming (worker.run()) and the registration in P:workers are left to the caller,
 * which decides when to start.
 */
import type { TaskLogger } from '../tasks/context.js';
import type { TaskRegistry } from '../tasks/registry.js';
import { Worker } from '../worker/worker.js';
import { openRuntime, type Runtime } from './compose.js';
import type { Settings } from './settings.js';
import { telemetryHooks } from './telemetry-hooks.js';

export async function wireWorker(
  settings: Settings,
  registry: TaskRegistry,
  log: TaskLogger,
): Promise<{ rt: Runtime; worker: Worker }> {
  const rt = await openRuntime(settings, {
    processName: 'jobbers-worker',
    registry,
    blocking: true,
    warn: (m) => log.warn(m),
  });
  const role = settings.workerRole;
  const worker = new Worker({
    store: rt.store,
    registry,
    role,
    source: { queues: () => rt.queues.roleQueues(role), limits: (q) => rt.queues.limits(q) },
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
  return { rt, worker };
}

/** Wires a Worker to Redis, the config store, the cancel channel and telemetry. */
import { initTelemetry } from '../telemetry/init.js';
import { createLogger } from '../telemetry/logger.js';
import { loadTaskModule } from '../tasks/load-task-module.js';
import { Worker } from '../worker/worker.js';
import { openRuntime } from './compose.js';
import { toTaskLogger } from './logging.js';
import { loadSettings } from './settings.js';
import { telemetryHooks } from './telemetry-hooks.js';
import { registerWorker } from './worker-registration.js';

export async function startWorkerProcess(modulePath: string, env: NodeJS.ProcessEnv = process.env) {
  const settings = loadSettings(env);
  const registry = await loadTaskModule(modulePath);
  const telemetry = await initTelemetry({ serviceName: 'jobbers-worker', env });
  const logger = createLogger('jobbers-worker', { env });
  const log = toTaskLogger(logger);
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
  const registration = registerWorker(rt.redis, rt.store.keys, worker);
  log.info('Worker started', {
    id: worker.id,
    role,
    concurrency: settings.workerConcurrentTasks,
    tasks: registry.list().map((d) => `${d.name}@${d.version}`),
  });
  const done = worker.run().finally(async () => {
    await registration.stop();
    log.info('Worker stopped', { id: worker.id, claimed: worker.claimed });
    await rt.close();
    await telemetry.shutdown();
  });
  return { worker, done, stop: (signal?: string) => worker.stop(signal).then(() => done) };
}

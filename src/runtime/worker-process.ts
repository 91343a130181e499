/** The `jobbers_worker` process: the wired Worker (worker-wiring.ts) plus logging, telemetry and registration. */
import { initTelemetry } from '../telemetry/init.js';
import { createLogger } from '../telemetry/logger.js';
import { loadTaskModule } from '../tasks/load-task-module.js';
import { toTaskLogger } from './logging.js';
import { loadSettings } from './settings.js';
import { registerWorker } from './worker-registration.js';
import { wireWorker } from './worker-wiring.js';

export async function startWorkerProcess(modulePath: string, env: NodeJS.ProcessEnv = process.env) {
  const settings = loadSettings(env);
  const registry = await loadTaskModule(modulePath);
  const telemetry = await initTelemetry({ serviceName: 'jobbers-worker', env });
  const logger = createLogger('jobbers-worker', { env });
  const log = toTaskLogger(logger);
  const { rt, worker } = await wireWorker(settings, registry, log);
  const registration = registerWorker(rt.redis, rt.store.keys, worker);
  log.info('Worker started', {
    id: worker.id,
    role: settings.workerRole,
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

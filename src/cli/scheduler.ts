/** jobbers_scheduler: dispatches scheduled tasks and delayed retries of SCHEDULER_ROLE's queues. */
import { openRuntime } from '../runtime/compose.js';
import { toTaskLogger } from '../runtime/logging.js';
import { loadSettings } from '../runtime/settings.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { initTelemetry } from '../telemetry/init.js';
import { recordScheduledDispatch } from '../telemetry/instruments.js';
import { createLogger } from '../telemetry/logger.js';
import { runCli } from './run-cli.js';

runCli({
  name: 'jobbers_scheduler',
  usage: `
Usage: jobbers_scheduler

Moves scheduled tasks (future run_at, delayed retries) into their queue when due, and recovers
expired leases. Environment: REDIS_URL, SQL_PATH, SCHEDULER_ROLE (default),
SCHEDULER_POLL_INTERVAL (5.0 s: longest sleep), SCHEDULER_BATCH_SIZE (1), JOBBERS_PREFIX, OTEL_*.
Safe to restart and to run more than one.`,
  async main(_argv, onSignal) {
    const settings = loadSettings();
    const telemetry = await initTelemetry({ serviceName: 'jobbers-scheduler' });
    const log = toTaskLogger(createLogger('jobbers-scheduler'));
    const rt = await openRuntime(settings, { processName: 'jobbers-scheduler', warn: (m) => log.warn(m) });
    const role = settings.schedulerRole;
    const scheduler = new Scheduler({
      store: rt.store,
      queues: () => rt.queues.roleQueues(role),
      batchSize: settings.schedulerBatchSize,
      pollIntervalMs: settings.schedulerPollInterval * 1000,
      logger: log,
      onDispatched: (queue, task, latenessMs) =>
        recordScheduledDispatch({ queue, taskName: task.name, runAt: Date.now() - latenessMs }),
    });
    rt.watcher.on('change', () => void scheduler.reloadQueues().catch(() => undefined));
    rt.subscriber.on('message', (channel: string, message: string) => {
      if (channel === rt.store.keys.scheduleChannel) scheduler.notifyRunAt(Number(message));
    });
    await rt.subscriber.subscribe(rt.store.keys.scheduleChannel);
    onSignal(async () => {
      log.info('Scheduler shutting down', {});
      await scheduler.stop();
    });
    log.info('Scheduler started', {
      role,
      pollInterval: settings.schedulerPollInterval,
      batchSize: settings.schedulerBatchSize,
    });
    await scheduler.run();
    await rt.close();
    await telemetry.shutdown();
  },
});

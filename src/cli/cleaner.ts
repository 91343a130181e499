/** jobbers_cleaner: one maintenance pass over every queue, then exit. */
import { clean } from '../cleaner/cleaner.js';
import { parseCleanerArgs } from '../cleaner/parse-args.js';
import { openRuntime } from '../runtime/compose.js';
import { loadSettings } from '../runtime/settings.js';
import { initTelemetry } from '../telemetry/init.js';
import { createLogger } from '../telemetry/logger.js';
import { runCli } from './run-cli.js';

runCli({
  name: 'jobbers_cleaner',
  usage: `
Usage: jobbers_cleaner [--stale-time s] [--completed-task-age s] [--dlq-age s]
                       [--rate-limit-age s] [--min-queue-age epoch] [--max-queue-age epoch]

One maintenance pass over every queue:
  --stale-time s          recover started tasks not heartbeating for s seconds (and all expired
                          leases): re-queue or stall them by their policy; needs no task module
  --completed-task-age s  delete tasks finished more than s seconds ago (results, errors, DLQ entry)
  --dlq-age s             drop dead-letter entries older than s seconds
  --rate-limit-age s      prune rate-limit log entries older than s seconds
  --min-queue-age / --max-queue-age epoch   delete waiting tasks submitted in that range
With no option it does nothing. Environment: REDIS_URL, SQL_PATH, JOBBERS_PREFIX, OTEL_*.`,
  async main(argv) {
    const opts = parseCleanerArgs(argv);
    const settings = loadSettings();
    const telemetry = await initTelemetry({ serviceName: 'jobbers-cleaner' });
    const logger = createLogger('jobbers-cleaner');
    const rt = await openRuntime(settings, { processName: 'jobbers-cleaner', warn: (m) => logger.warn(m) });
    try {
      const queues = [...new Set([...(await rt.store.knownQueues()), ...(await rt.config.listQueues())])].sort();
      const report = await clean(rt.store, queues, opts);
      logger.info(report, 'Cleaner finished');
    } finally {
      await rt.close();
      await telemetry.shutdown();
    }
  },
});

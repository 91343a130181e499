/**
 * jobbers_manager <task_module>: the HTTP API (and OpenAPI docs) on HOST:PORT. Stateless, so any
 * number may run behind a load balancer. SIGTERM/SIGINT stop accepting connections, let
 * in-flight requests finish, then close Redis, SQL and telemetry.
 */
import type { AddressInfo } from 'node:net';
import { buildApp } from '../http/app.js';
import { openRuntime } from '../runtime/compose.js';
import { loadSettings } from '../runtime/settings.js';
import { loadTaskModule } from '../tasks/load-task-module.js';
import { initTelemetry } from '../telemetry/init.js';
import { registerQueueGauges } from '../telemetry/instruments.js';
import { createLogger } from '../telemetry/logger.js';
import { defaultUiDistDir, registerUi } from '../http/ui.js';
import { runCli } from './run-cli.js';

runCli({
  name: 'jobbers_manager',
  usage: `
Usage: jobbers_manager <task_module>

Serves the HTTP API on HOST:PORT (default 0.0.0.0:8000), interactive docs at /docs and the
OpenAPI document at /openapi.json. <task_module> (a .js/.mjs/.ts file or a package name) is
loaded so submissions are checked against its task definitions. Environment: REDIS_URL,
SQL_PATH, JOBBERS_PREFIX, PORT, HOST, JOBBERS_API_TOKEN, JOBBERS_READONLY_TOKEN,
JOBBERS_CORS_ORIGINS, JOBBERS_BODY_LIMIT, OTEL_* (see docs/operations.md and docs/api.md).`,
  async main(argv, onSignal) {
    const settings = loadSettings();
    const registry = await loadTaskModule(argv.find((a) => !a.startsWith('-')) ?? '');
    const telemetry = await initTelemetry({ serviceName: 'jobbers-manager' });
    const logger = createLogger('jobbers-manager');
    if (settings.readonlyToken && !settings.apiToken) {
      logger.warn(
        'JOBBERS_READONLY_TOKEN is set without JOBBERS_API_TOKEN: the API is read-only until JOBBERS_API_TOKEN is set',
      );
    }
    const rt = await openRuntime(settings, { processName: 'jobbers-manager', registry, warn: (m) => logger.warn(m) });
    const stopGauges = registerQueueGauges(async () => {
      const names = await rt.store.knownQueues();
      const stats = await Promise.all(names.map((q) => rt.store.countByStatus(q)));
      return stats.map((s) => ({
        queue: s.queue,
        counts: s.counts,
        dlqSize: s.dlq,
        oldestWaitingAgeMs: s.oldestWaitingAgeMs,
      }));
    });
    const app = await buildApp({ runtime: rt, registry, settings, logger });
    // The admin console (frontend/dist), at /ui/, when it has been built.
    await registerUi(app, { distDir: defaultUiDistDir() });

    const stopped = new Promise<string>((resolve) => onSignal(async (signal) => resolve(signal)));
    await app.listen({ port: settings.port, host: settings.host });
    const { port } = app.server.address() as AddressInfo;
    const shownHost = settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host;
    process.stdout.write(`Manager listening on http://${shownHost}:${port}\n`);
    logger.info(
      { host: settings.host, port, tasks: registry.list().map((d) => `${d.name}@${d.version}`) },
      'Manager started',
    );

    const signal = await stopped;
    logger.info({ signal }, 'Manager shutting down');
    await app.close();
    stopGauges();
    await rt.close();
    await telemetry.shutdown();
  },
});

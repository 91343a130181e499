/** jobbers_worker <task_module>: runs tasks from the queues of WORKER_ROLE. */
import { startWorkerProcess } from '../runtime/worker-process.js';
import { runCli } from './run-cli.js';

runCli({
  name: 'jobbers_worker',
  usage: `
Usage: jobbers_worker <task_module>

Runs tasks from the queues of WORKER_ROLE. <task_module> is a .js/.mjs/.ts file or a package name
exporting task definitions. Environment: REDIS_URL, SQL_PATH, WORKER_ROLE (default), 
WORKER_CONCURRENT_TASKS (5), WORKER_TTL (50 tasks, 0 = forever), WORKER_LEASE_TIMEOUT (30 s),
WORKER_SHUTDOWN_GRACE (30 s), JOBBERS_PREFIX, OTEL_* (see docs/operations.md).
SIGTERM/SIGINT: stop claiming, apply each running task's on_shutdown policy, exit.`,
  async main(argv, onSignal) {
    const modulePath = argv.find((a) => !a.startsWith('-'));
    const proc = await startWorkerProcess(modulePath ?? '');
    onSignal(async (signal) => {
      await proc.stop(signal);
    });
    await proc.done;
  },
});

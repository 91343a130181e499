/**
 * A BullMQ 6.7.0 worker process for the bench: one Worker (recommended settings; jobs carry
 * removeOnComplete: true from the Queue's defaultJobOptions), consuming on the driver's `go`.
 * The handler marks its job's index, like the jobbers one. Env: BENCH_WORKER (WorkerConfig JSON).
 */
import { Worker } from 'bullmq';
import { BULLMQ_QUEUE } from './common.js';
import { bullmqConnection, installBullmqClientFactory } from './bullmq-connection.js';
import { runWorkerChild } from './worker-harness.js';

installBullmqClientFactory();

await runWorkerChild(async (cfg, rec) => {
  const worker = new Worker<{ i: number; text: string }>(
    BULLMQ_QUEUE,
    async (job) => {
      rec.mark(job.data.i, job.opts.delay ? job.timestamp + job.opts.delay : undefined);
    },
    { connection: bullmqConnection(cfg.redisUrl, true), concurrency: cfg.concurrency, autorun: false },
  );
  worker.on('error', (err) => process.stderr.write(`[worker-bullmq ${process.pid}] ERROR ${err.message}\n`));
  await worker.waitUntilReady();
  let running: Promise<void> | null = null;
  return {
    start() {
      running = worker.run();
    },
    async stop() {
      await worker.close();
      await running;
    },
  };
}, true);

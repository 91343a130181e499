/**
 * The IPC side of a bench worker child (worker-jobbers.ts, worker-bullmq.ts): reads its
 * WorkerConfig, reports `ready` once connected, starts consuming on `go`, reports progress every
 * 10 ms while it changes, and on `stop` shuts the worker down and sends back what each handler
 * recorded (the bitset of task indexes, optional start times) plus its CPU time.
 */
import { cpuProfiler } from './profiler.js';
import { Recorder, type FromWorker, type ToWorker, type WorkerConfig } from './common.js';

export interface BenchWorker {
  /** Starts consuming (called on `go`). */
  start(): void;
  /** Stops consuming and closes connections; resolves when nothing more will run. */
  stop(): Promise<void>;
}

function send(msg: FromWorker, then?: () => void): void {
  process.send?.(msg, undefined, {}, () => then?.());
}

export async function runWorkerChild(
  setup: (cfg: WorkerConfig, rec: Recorder) => Promise<BenchWorker>,
  withDues: boolean,
): Promise<void> {
  if (!process.send)
    throw new Error('This file is a bench worker child: start it with child_process.fork (bench/driver.ts does)');
  const cfg = JSON.parse(process.env.BENCH_WORKER ?? '{}') as WorkerConfig;
  const rec = new Recorder(cfg.n, cfg.recordTimes, withDues);
  let worker: BenchWorker;
  try {
    worker = await setup(cfg, rec);
  } catch (err) {
    send({ type: 'error', message: (err as Error).stack ?? String(err) });
    process.exit(1);
  }
  const prof = cpuProfiler(process.env.BENCH_CPU_PROFILE_DIR);
  let cpu0 = process.cpuUsage();
  let lastReported = -1;
  const progress = setInterval(() => {
    if (rec.handled !== lastReported) {
      lastReported = rec.handled;
      send({ type: 'progress', done: rec.handled });
    }
  }, 10);
  progress.unref();
  process.on('message', (msg: ToWorker) => {
    if (msg.type === 'go') {
      cpu0 = process.cpuUsage();
      void prof.start();
      worker.start();
    } else if (msg.type === 'stop') {
      clearInterval(progress);
      worker
        .stop()
        .then(() => prof.stop())
        .then(
          () => {
            const cpu = process.cpuUsage(cpu0);
            // Exit once the result is written, even if a library still holds a handle open.
            send(
              {
                type: 'result',
                counts: rec.counts,
                times: rec.times,
                dues: rec.dues,
                cpuUserUs: cpu.user,
                cpuSystemUs: cpu.system,
                handled: rec.handled,
              },
              () => process.exit(0),
            );
          },
          (err: unknown) => {
            send({ type: 'error', message: (err as Error).stack ?? String(err) });
            process.exit(1);
          },
        );
    }
  });
  // The driver going away (crash, Ctrl-C) must not leave workers behind.
  process.on('disconnect', () => setTimeout(() => process.exit(0), 500).unref());
  send({ type: 'ready', pid: process.pid });
}

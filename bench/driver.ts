/**
 * Runs ONE scenario for ONE system in a fresh process (forked by run.ts on an already flushed
 * Redis), so heap, JIT and library state never leak from one measurement into the next.
 * Worker processes are real child processes (worker-jobbers.ts / worker-bullmq.ts); the jobbers
 * scheduler is the real CLI (src/cli/scheduler.ts). Every scenario checks that each task ran
 * exactly once before it reports a number.
 *
 * Env: BENCH_DRIVER = DriverConfig JSON. Sends { type: 'log' } and one { type: 'result' } over IPC.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import {
  entryOf,
  BULLMQ_QUEUE,
  DRAIN_CONCURRENCY,
  JOBBERS_PREFIX,
  LATENCY_CONCURRENCY,
  mulberry32,
  percentile,
  PRELOAD_IN_FLIGHT,
  scenario,
  sleep,
  wall,
  type FromWorker,
  type RunResult,
  type SystemName,
  type ToWorker,
  type Verification,
  type WorkerConfig,
} from './common.js';
import { cpuProfiler } from './profiler.js';
import { adminRedis, commandCalls, info, openProducer, redisCpuSeconds, type Producer } from './systems.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');

export interface DriverConfig {
  scenario: string;
  system: SystemName;
  /** Reported as the result's system: `jobbers`, `bullmq` or `jobbers@<variant>`. */
  label: string;
  round: number;
  quick: boolean;
  redisUrl: string;
  sqlPath: string;
  /** When set, jobbers/BullMQ worker children run with --cpu-prof into this directory. */
  cpuProfDir?: string;
}

export type FromDriver = { type: 'log'; line: string } | { type: 'result'; result: RunResult };

const cfg = JSON.parse(process.env.BENCH_DRIVER ?? 'null') as DriverConfig | null;
if (!cfg || !process.send) {
  process.stderr.write('bench/driver.ts is started by bench/run.ts (npm run bench)\n');
  process.exit(2);
}

const children = new Set<ChildProcess>();
const log = (line: string) => process.send?.({ type: 'log', line } satisfies FromDriver);

// ------------------------------------------------------------------ worker children

interface WorkerOutcome {
  counts: Uint8Array;
  times: Float64Array | null;
  dues: Float64Array | null;
  cpuUs: number;
}

class WorkerProc {
  readonly child: ChildProcess;
  progress = 0;
  readonly ready: Promise<void>;
  private readonly outcome: Promise<WorkerOutcome>;
  onProgress: (() => void) | null = null;

  /** `profiled`: with --cpu-prof, whether this worker's run is profiled (not for untimed drains). */
  constructor(system: SystemName, wc: WorkerConfig, profiled: boolean) {
    const entry = entryOf(ROOT, system === 'jobbers' ? 'bench/worker-jobbers.ts' : 'bench/worker-bullmq.ts');
    const profDir = profiled ? cfg?.cpuProfDir : undefined;
    if (profDir) mkdirSync(profDir, { recursive: true });
    this.child = fork(entry.file, [], {
      execArgv: entry.execArgv,
      env: {
        ...process.env,
        BENCH_WORKER: JSON.stringify(wc),
        OTEL_SDK_DISABLED: 'true',
        ...(profDir ? { BENCH_CPU_PROFILE_DIR: profDir } : {}),
      },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(this.child);
    const ready = deferred<void>();
    const outcome = deferred<WorkerOutcome>();
    this.ready = ready.promise;
    this.outcome = outcome.promise;
    const fail = (e: Error) => {
      ready.reject(e);
      outcome.reject(e);
    };
    const readyResolve = () => ready.resolve();
    const outResolve = (o: WorkerOutcome) => outcome.resolve(o);
    this.child.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') readyResolve();
      else if (msg.type === 'progress') {
        this.progress = msg.done;
        this.onProgress?.();
      } else if (msg.type === 'result') {
        this.progress = msg.handled;
        outResolve({ counts: msg.counts, times: msg.times, dues: msg.dues, cpuUs: msg.cpuUserUs + msg.cpuSystemUs });
      } else if (msg.type === 'error') fail(new Error(`${system} worker: ${msg.message}`));
    });
    this.child.on('exit', (code, signal) => {
      children.delete(this.child);
      fail(new Error(`${system} worker ${this.child.pid} exited (code ${code}, signal ${signal}) before reporting`));
    });
  }

  send(msg: ToWorker): void {
    this.child.send(msg);
  }

  async stop(): Promise<WorkerOutcome> {
    this.send({ type: 'stop' });
    return withTimeout(this.outcome, 60_000, 'worker stop');
  }
}

async function startWorkers(
  system: SystemName,
  count: number,
  wc: WorkerConfig,
  profiled = true,
): Promise<WorkerProc[]> {
  const workers = Array.from({ length: count }, () => new WorkerProc(system, wc, profiled));
  await withTimeout(Promise.all(workers.map((w) => w.ready)), 60_000, 'worker start-up');
  return workers;
}

/** Resolves when the workers together have run `n` handlers. */
function handled(workers: WorkerProc[], n: number, timeoutMs: number): Promise<void> {
  return withTimeout(
    new Promise<void>((resolve) => {
      const check = () => {
        if (workers.reduce((a, w) => a + w.progress, 0) >= n) resolve();
      };
      for (const w of workers) w.onProgress = check;
      check();
    }),
    timeoutMs,
    `waiting for ${n} tasks to run`,
  );
}

/**
 * Polls until Redis records every task as completed; returns the wall time it first did. If that
 * does not happen, stops the workers and fails with what they ran and what Redis holds.
 */
async function completedAt(producer: Producer, n: number, workers: WorkerProc[], timeoutMs = 30_000): Promise<number> {
  const deadline = wall() + timeoutMs;
  for (;;) {
    if (await producer.allCompleted(n)) return wall();
    if (wall() > deadline) {
      const state = await producer.diagnose().catch((e: Error) => ({ error: e.message }));
      const outcomes = await Promise.all(workers.map((w) => w.stop().catch(() => null)));
      const v = outcomes.every((o) => o) ? verify(outcomes as WorkerOutcome[], n) : null;
      throw new Error(
        `Redis does not show all ${n} tasks completed ${timeoutMs} ms after the handlers ran; Redis: ${JSON.stringify(state)}; handlers: ${v ? JSON.stringify(v) : 'unknown (a worker did not report)'}`,
      );
    }
  }
}

function verify(outcomes: WorkerOutcome[], n: number): Verification {
  let ranOnce = 0;
  let missing = 0;
  let duplicated = 0;
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (const o of outcomes) c += o.counts[i] ?? 0;
    if (c === 1) ranOnce++;
    else if (c === 0) missing++;
    else duplicated++;
  }
  return { expected: n, ranOnce, missing, duplicated };
}

function checkVerified(v: Verification): void {
  if (v.ranOnce !== v.expected) {
    throw new Error(
      `verification failed: ${v.ranOnce}/${v.expected} ran exactly once, ${v.missing} never ran, ${v.duplicated} ran more than once`,
    );
  }
}

// ------------------------------------------------------------------ helpers

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // rejections are seen by whoever awaits it
  return { promise, resolve, reject };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, rej) => {
      timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]);
}

/** Runs fn(0..total-1) with at most `count` calls in flight. */
async function inFlight(count: number, total: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(count, total) }, async () => {
      while (next < total) await fn(next++);
    }),
  );
}

function batches(from: number, to: number, size: number): number[][] {
  const out: number[][] = [];
  for (let s = from; s < to; s += size) out.push(Array.from({ length: Math.min(size, to - s) }, (_, k) => s + k));
  return out;
}

/** Untimed bulk load: batches of 50, a few in flight. */
async function preload(producer: Producer, n: number): Promise<void> {
  const list = batches(0, n, 50);
  await inFlight(PRELOAD_IN_FLIGHT, list.length, (b) => producer.submitBatch(list[b] as number[]));
}

/** Untimed: runs everything with one worker at concurrency 100 and checks each task ran once. */
async function drainAndVerify(producer: Producer, n: number): Promise<Verification> {
  const t = wall();
  const [w] = await startWorkers(producer.system, 1, workerConfig(n, DRAIN_CONCURRENCY, false), false);
  const worker = w as WorkerProc;
  worker.send({ type: 'go' });
  await handled([worker], n, 300_000);
  await completedAt(producer, n, [worker]);
  const v = verify([await worker.stop()], n);
  log(`  drained and verified ${n} tasks in ${((wall() - t) / 1000).toFixed(1)} s`);
  return v;
}

function workerConfig(n: number, concurrency: number, recordTimes: boolean): WorkerConfig {
  const c = cfg as DriverConfig;
  return { system: c.system, redisUrl: c.redisUrl, sqlPath: c.sqlPath, n, concurrency, recordTimes };
}

const cpuUs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return d.user + d.system;
};

// ------------------------------------------------------------------ scenarios

type Outcome = { metrics: Record<string, number>; extra: Record<string, unknown>; verification: Verification };

/**
 * Submissions/s in steady state: the same submissions, untimed, first warm up the process (JIT,
 * connection buffers) — 20 % of n, at most 1,000, as tasks n.. (verified with the others).
 */
async function submitScenario(
  producer: Producer,
  admin: Redis,
  n: number,
  mode: 'serial' | 'concurrent' | 'bulk',
): Promise<Outcome> {
  const warmup = Math.min(1000, Math.floor(n / 5));
  const submitRange = async (from: number, to: number) => {
    if (mode === 'serial') {
      for (let i = from; i < to; i++) await producer.submit(i);
    } else if (mode === 'concurrent') {
      await inFlight(64, to - from, (k) => producer.submit(from + k));
    } else {
      for (const b of batches(from, to, 50)) await producer.submitBatch(b);
    }
  };
  await submitRange(n, n + warmup);
  // With --cpu-prof, the submitting process (this one) is profiled over the timed part.
  if (cfg?.cpuProfDir) mkdirSync(cfg.cpuProfDir, { recursive: true });
  const prof = cpuProfiler(cfg?.cpuProfDir);
  await prof.start();
  const redis0 = await redisCpuSeconds(admin);
  const cpu0 = process.cpuUsage();
  const t0 = wall();
  await submitRange(0, n);
  const t1 = wall();
  const clientCpu = cpuUs(cpu0);
  await prof.stop();
  const redisCpu = (await redisCpuSeconds(admin)) - redis0;
  const verification = await drainAndVerify(producer, n + warmup);
  return {
    metrics: { rate: n / ((t1 - t0) / 1000) },
    extra: {
      seconds: (t1 - t0) / 1000,
      warmupExcluded: warmup,
      clientCpuUsPerTask: clientCpu / n,
      redisCpuUsPerTask: (redisCpu * 1e6) / n,
    },
    verification,
  };
}

async function processScenario(
  producer: Producer,
  admin: Redis,
  n: number,
  procs: number,
  concurrency: number,
): Promise<Outcome> {
  const tl = wall();
  await preload(producer, n);
  log(`  pre-submitted ${n} tasks in ${((wall() - tl) / 1000).toFixed(1)} s`);
  const workers = await startWorkers(producer.system, procs, workerConfig(n, concurrency, false));
  await admin.config('RESETSTAT');
  const c0 = await commandCalls(admin);
  const redis0 = await redisCpuSeconds(admin);
  const t0 = wall();
  for (const w of workers) w.send({ type: 'go' });
  await handled(workers, n, 600_000);
  // Command counts before the completion polling below (whose commands would be counted).
  const c1 = await commandCalls(admin);
  const t1 = await completedAt(producer, n, workers);
  const redisCpu = (await redisCpuSeconds(admin)) - redis0;
  const outcomes = await Promise.all(workers.map((w) => w.stop()));
  const verification = verify(outcomes, n);
  const workerCpu = outcomes.reduce((a, o) => a + o.cpuUs, 0);
  const calls = sumCalls(c0, c1);
  const scriptCalls = (calls.by.evalsha ?? 0) + (calls.by.eval ?? 0);
  return {
    metrics: { rate: n / ((t1 - t0) / 1000) },
    extra: {
      seconds: (t1 - t0) / 1000,
      workerCpuUsPerTask: workerCpu / n,
      redisCpuUsPerTask: (redisCpu * 1e6) / n,
      redisCmdsPerTask: calls.total / n,
      scriptCallsPerTask: scriptCalls / n,
      scriptUsPerCall: scriptCalls ? ((calls.usec.evalsha ?? 0) + (calls.usec.eval ?? 0)) / scriptCalls : 0,
    },
    verification,
  };
}

async function pickupScenario(producer: Producer, n: number): Promise<Outcome> {
  const warmup = 100;
  const total = n + warmup;
  const [w] = await startWorkers(producer.system, 1, workerConfig(total, LATENCY_CONCURRENCY, true));
  const worker = w as WorkerProc;
  worker.send({ type: 'go' });
  await sleep(500); // the worker finds nothing and goes idle (blocked on its wake-up)
  const submitAt = new Float64Array(total);
  const pending: Array<Promise<void>> = [];
  const t0 = wall() + 5;
  // The first `warmup` submissions warm both processes up and are left out of the statistics.
  for (let k = 0; k < total; k++) {
    const i = k < warmup ? n + k : k - warmup;
    const target = t0 + 2 * k;
    const wait = target - wall();
    if (wait > 0) await sleep(Math.round(wait));
    submitAt[i] = wall();
    pending.push(producer.submit(i));
  }
  await Promise.all(pending);
  await handled([worker], total, 60_000);
  await completedAt(producer, total, [worker]);
  const out = await worker.stop();
  const verification = verify([out], total);
  checkVerified(verification);
  const times = out.times as Float64Array;
  const lat = Array.from({ length: n }, (_, i) => (times[i] as number) - (submitAt[i] as number));
  // Where the tail sits: the slowest tasks with their submission time (ms after the first).
  const first = submitAt[0] as number;
  const slowest = lat
    .map((l, i) => ({ i, at: Math.round((submitAt[i] as number) - first), ms: Number(l.toFixed(2)) }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 20);
  return {
    metrics: { p50: percentile(lat, 50), p95: percentile(lat, 95), p99: percentile(lat, 99) },
    extra: {
      min: Math.min(...lat),
      max: Math.max(...lat),
      mean: lat.reduce((a, b) => a + b, 0) / n,
      over3ms: lat.filter((l) => l > 3).length,
      warmupExcluded: warmup,
      slowest,
    },
    verification,
  };
}

async function startJobbersScheduler(c: DriverConfig): Promise<ChildProcess> {
  const entry = entryOf(ROOT, 'src/cli/scheduler.ts');
  const child = spawn(process.execPath, [...entry.execArgv, entry.file], {
    cwd: ROOT,
    env: { ...process.env, REDIS_URL: c.redisUrl, SQL_PATH: c.sqlPath, JOBBERS_PREFIX, OTEL_SDK_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      let buf = '';
      child.stdout?.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('Scheduler started')) resolve();
      });
      child.on('exit', (code) =>
        reject(new Error(`jobbers scheduler exited (code ${code}) before starting: ${buf.slice(-500)}`)),
      );
    }),
    60_000,
    'scheduler start-up',
  );
  child.stdout?.resume();
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await withTimeout(exited, 15_000, 'child exit').catch(() => child.kill('SIGKILL'));
}

async function delayScenario(producer: Producer, n: number, c: DriverConfig): Promise<Outcome> {
  const scheduler = c.system === 'jobbers' ? await startJobbersScheduler(c) : null;
  try {
    const [w] = await startWorkers(producer.system, 1, workerConfig(n, LATENCY_CONCURRENCY, true));
    const worker = w as WorkerProc;
    worker.send({ type: 'go' });
    await sleep(500);
    // Each task is due 200–2,200 ms after its own submission (same offsets for both systems).
    const rnd = mulberry32(1000 + c.round);
    const offsets = Array.from({ length: n }, () => 200 + Math.floor(rnd() * 2000));
    const dues = new Array<number>(n).fill(0);
    const ts = wall();
    await inFlight(64, n, async (i) => {
      dues[i] = await producer.schedule(i, offsets[i] as number);
    });
    const submitMs = wall() - ts;
    const submitEnd = Date.now();
    await handled([worker], n, 60_000);
    await completedAt(producer, n, [worker]);
    const out = await worker.stop();
    const verification = verify([out], n);
    checkVerified(verification);
    const times = out.times as Float64Array;
    // BullMQ's own due time (job.timestamp + delay) when it reports one, else the runAt we passed.
    const due = dues.map((d, i) => out.dues?.[i] || d);
    const late = due.map((d, i) => (times[i] as number) - d);
    // Tasks that came due while submissions were still arriving vs after: where the tail is.
    const during = late.filter((_, i) => (due[i] as number) <= submitEnd);
    const after = late.filter((_, i) => (due[i] as number) > submitEnd);
    return {
      metrics: { p50: percentile(late, 50), p99: percentile(late, 99) },
      extra: {
        p95: percentile(late, 95),
        min: Math.min(...late),
        max: Math.max(...late),
        submitMs,
        dueDuringSubmit: { n: during.length, p50: percentile(during, 50), p99: percentile(during, 99) },
        dueAfterSubmit: { n: after.length, p50: percentile(after, 50), p99: percentile(after, 99) },
      },
      verification,
    };
  } finally {
    if (scheduler) await stopChild(scheduler);
  }
}

async function memoryScenario(producer: Producer, admin: Redis, n: number): Promise<Outcome> {
  const used = async () => Number((await info(admin, 'memory')).used_memory);
  await sleep(200);
  const m0 = await used();
  await preload(producer, n);
  await sleep(200);
  const m1 = await used();
  const keys =
    producer.system === 'jobbers'
      ? [`${JOBBERS_PREFIX}:{default}:tasks`, `${JOBBERS_PREFIX}:{default}:ready`]
      : [`bull:${BULLMQ_QUEUE}:1`, `bull:${BULLMQ_QUEUE}:wait`, `bull:${BULLMQ_QUEUE}:events`];
  const keyBytes: Record<string, number | null> = {};
  for (const k of keys) keyBytes[k] = (await admin.call('MEMORY', 'USAGE', k, 'SAMPLES', '0')) as number | null;
  const dbsize = await admin.dbsize();
  const verification = await drainAndVerify(producer, n);
  return {
    metrics: { bytesPerTask: (m1 - m0) / n },
    extra: { usedMemoryDelta: m1 - m0, dbsize, keyBytes },
    verification,
  };
}

const IGNORED_COMMANDS = new Set(['info', 'config|resetstat']);

type CommandStats = Record<string, { calls: number; usec: number }>;

/** Calls (and µs, nested script commands included in their script's time) between two snapshots. */
function sumCalls(
  a: CommandStats,
  b: CommandStats,
): { total: number; by: Record<string, number>; usec: Record<string, number> } {
  const by: Record<string, number> = {};
  const usec: Record<string, number> = {};
  let total = 0;
  for (const [name, v] of Object.entries(b)) {
    if (IGNORED_COMMANDS.has(name)) continue;
    const d = v.calls - (a[name]?.calls ?? 0);
    if (d > 0) {
      by[name] = d;
      usec[name] = v.usec - (a[name]?.usec ?? 0);
      total += d;
    }
  }
  return { total, by, usec };
}

async function opsScenario(producer: Producer, admin: Redis, n: number): Promise<Outcome> {
  const [w] = await startWorkers(producer.system, 1, workerConfig(n, DRAIN_CONCURRENCY, false), false);
  const worker = w as WorkerProc;
  await admin.config('RESETSTAT');
  const c0 = await commandCalls(admin);
  const cpu0 = await redisCpuSeconds(admin);
  await inFlight(64, n, (i) => producer.submit(i));
  const c1 = await commandCalls(admin);
  worker.send({ type: 'go' });
  await handled([worker], n, 300_000);
  // No polling here (it would be counted): give the last completions time to land.
  await sleep(300);
  const c2 = await commandCalls(admin);
  const cpu2 = await redisCpuSeconds(admin);
  await completedAt(producer, n, [worker]);
  const verification = verify([await worker.stop()], n);
  const submit = sumCalls(c0, c1);
  const proc = sumCalls(c1, c2);
  const perTask = (by: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(by)
        .sort((x, y) => y[1] - x[1])
        .map(([k, v]) => [k, Number((v / n).toFixed(3))]),
    );
  return {
    metrics: {
      opsPerTask: (submit.total + proc.total) / n,
      submitOps: submit.total / n,
      processOps: proc.total / n,
      redisCpuUs: ((cpu2 - cpu0) * 1e6) / n,
    },
    extra: {
      submitByCommand: perTask(submit.by),
      processByCommand: perTask(proc.by),
      submitUsecByCommand: perTask(submit.usec),
      processUsecByCommand: perTask(proc.usec),
    },
    verification,
  };
}

// ------------------------------------------------------------------ main

async function main(c: DriverConfig): Promise<RunResult> {
  const spec = scenario(c.scenario);
  const n = c.quick ? spec.n.quick : spec.n.full;
  const admin = adminRedis(c.redisUrl);
  const producer = await openProducer(c.system, { redisUrl: c.redisUrl, sqlPath: c.sqlPath });
  const t = wall();
  try {
    let o: Outcome;
    switch (c.scenario) {
      case 'submit-serial':
        o = await submitScenario(producer, admin, n, 'serial');
        break;
      case 'submit-concurrent':
        o = await submitScenario(producer, admin, n, 'concurrent');
        break;
      case 'submit-bulk':
        o = await submitScenario(producer, admin, n, 'bulk');
        break;
      case 'process-c1':
        o = await processScenario(producer, admin, n, 1, 1);
        break;
      case 'process-c100':
        o = await processScenario(producer, admin, n, 1, 100);
        break;
      case 'process-4proc':
        o = await processScenario(producer, admin, n, 4, 50);
        break;
      case 'pickup-latency':
        o = await pickupScenario(producer, n);
        break;
      case 'delay-lateness':
        o = await delayScenario(producer, n, c);
        break;
      case 'redis-memory':
        o = await memoryScenario(producer, admin, n);
        break;
      case 'redis-ops':
        o = await opsScenario(producer, admin, n);
        break;
      default:
        throw new Error(`no driver for scenario ${c.scenario}`);
    }
    checkVerified(o.verification);
    return {
      scenario: c.scenario,
      system: c.label,
      round: c.round,
      ok: true,
      metrics: o.metrics,
      extra: { n, ...o.extra },
      verification: o.verification,
      wallMs: wall() - t,
    };
  } finally {
    await producer.close().catch(() => undefined);
    admin.disconnect();
  }
}

const c = cfg as DriverConfig;
main(c).then(
  (result) => {
    process.send?.({ type: 'result', result } satisfies FromDriver, undefined, {}, () => process.exit(0));
  },
  (err: unknown) => {
    for (const ch of children) ch.kill('SIGKILL');
    const result: RunResult = {
      scenario: c.scenario,
      system: c.label,
      round: c.round,
      ok: false,
      error: (err as Error)?.stack ?? String(err),
      metrics: {},
      extra: {},
      wallMs: 0,
    };
    process.send?.({ type: 'result', result } satisfies FromDriver, undefined, {}, () => process.exit(1));
  },
);
process.on('disconnect', () => {
  for (const ch of children) ch.kill('SIGKILL');
  process.exit(1);
});

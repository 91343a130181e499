import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Shared by the bench orchestrator (run.ts), the scenario driver (driver.ts) and the worker
 * children: scenario catalogue, targets, the wall clock, statistics and the IPC message shapes.
 */

// ------------------------------------------------------------------ clock

/**
 * A high-resolution wall clock (epoch ms with µs resolution) that agrees across processes.
 * `performance.timeOrigin` can be off by a fraction of a millisecond between two processes, so the
 * offset to Date.now() is measured at a millisecond edge instead: right after Date.now() ticks, the
 * true wall time is at least the new value, so each estimate is a lower bound; the largest of a few
 * is within microseconds of the truth. Costs ≤ 3 ms at start-up.
 */
function calibrate(): number {
  let best = -Infinity;
  for (let k = 0; k < 3; k++) {
    const t = Date.now();
    let n = t;
    while (n === t) n = Date.now();
    best = Math.max(best, n - performance.now());
  }
  return best;
}

const BASE = calibrate();

/** Epoch milliseconds, fractional, comparable between bench processes on this machine. */
export function wall(): number {
  return BASE + performance.now();
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ workload

export const TEXT = 'x'.repeat(100);
export const payload = (i: number) => ({ i, text: TEXT });

/** Queue names: jobbers uses its migrated `default` queue under this prefix; BullMQ its own queue. */
export const JOBBERS_PREFIX = 'jb';
export const JOBBERS_QUEUE = 'default';
export const BULLMQ_QUEUE = 'bench';

/** Concurrency of the single idle worker in the latency scenarios (both systems). */
export const LATENCY_CONCURRENCY = 10;
/** Worker used to drain and verify scenarios that do not process by themselves (untimed). */
export const DRAIN_CONCURRENCY = 100;
/** Submissions in flight when a scenario pre-loads or schedules tasks (untimed part). */
export const PRELOAD_IN_FLIGHT = 4;

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ------------------------------------------------------------------ scenarios and targets

export type SystemName = 'jobbers' | 'bullmq';
export const SYSTEMS: SystemName[] = ['jobbers', 'bullmq'];

export type Target =
  /** jobbers / BullMQ must be at least this (throughput). */
  | { kind: 'ratio-min'; value: number }
  /** jobbers / BullMQ must be at most this (memory). */
  | { kind: 'ratio-max'; value: number }
  /** jobbers' own value must be at most this (latency, ms). */
  | { kind: 'abs-max'; value: number };

export interface MetricSpec {
  key: string;
  label: string;
  unit: string;
  better: 'higher' | 'lower';
  target?: Target;
  /** Digits after the point in the table. */
  digits: number;
}

export interface ScenarioSpec {
  name: string;
  description: string;
  /** Task count: full run, --quick. */
  n: { full: number; quick: number };
  metrics: MetricSpec[];
}

const rate = (target?: number): MetricSpec => ({
  key: 'rate',
  label: 'tasks/s',
  unit: '/s',
  better: 'higher',
  digits: 0,
  ...(target ? { target: { kind: 'ratio-min', value: target } as Target } : {}),
});

export const SCENARIOS: ScenarioSpec[] = [
  {
    name: 'submit-serial',
    description: 'single submissions awaited one at a time',
    n: { full: 5_000, quick: 1_000 },
    metrics: [rate(1.25)],
  },
  {
    name: 'submit-concurrent',
    description: 'single submissions, 64 in flight',
    n: { full: 20_000, quick: 4_000 },
    metrics: [rate(1.5)],
  },
  {
    name: 'submit-bulk',
    description: 'batches of 50 awaited one at a time (submitMany / addBulk)',
    n: { full: 50_000, quick: 10_000 },
    metrics: [rate(3.0)],
  },
  {
    name: 'process-c1',
    description: 'pre-submitted tasks, one worker process, concurrency 1',
    n: { full: 5_000, quick: 1_000 },
    metrics: [rate(1.25)],
  },
  {
    name: 'process-c100',
    description: 'pre-submitted tasks, one worker process, concurrency 100',
    n: { full: 50_000, quick: 10_000 },
    metrics: [rate(3.0)],
  },
  {
    name: 'process-4proc',
    description: 'pre-submitted tasks, 4 worker processes, concurrency 50 each',
    n: { full: 100_000, quick: 20_000 },
    metrics: [rate(3.0)],
  },
  {
    name: 'pickup-latency',
    description: `idle worker (concurrency ${LATENCY_CONCURRENCY}), submissions 2 ms apart; handler start − submit call start`,
    n: { full: 2_000, quick: 500 },
    metrics: [
      { key: 'p50', label: 'p50 ms', unit: 'ms', better: 'lower', digits: 2, target: { kind: 'abs-max', value: 0.8 } },
      { key: 'p95', label: 'p95 ms', unit: 'ms', better: 'lower', digits: 2 },
      { key: 'p99', label: 'p99 ms', unit: 'ms', better: 'lower', digits: 2, target: { kind: 'abs-max', value: 3 } },
    ],
  },
  {
    name: 'delay-lateness',
    description: 'tasks submitted at once, each due 200–2,200 ms later; handler start − due time',
    n: { full: 1_000, quick: 300 },
    metrics: [
      { key: 'p50', label: 'p50 ms', unit: 'ms', better: 'lower', digits: 2, target: { kind: 'abs-max', value: 2 } },
      { key: 'p99', label: 'p99 ms', unit: 'ms', better: 'lower', digits: 2, target: { kind: 'abs-max', value: 10 } },
    ],
  },
  {
    name: 'redis-memory',
    description: 'INFO used_memory delta per waiting task',
    n: { full: 100_000, quick: 20_000 },
    metrics: [
      {
        key: 'bytesPerTask',
        label: 'B/task',
        unit: 'B',
        better: 'lower',
        digits: 0,
        target: { kind: 'ratio-max', value: 0.5 },
      },
    ],
  },
  {
    name: 'redis-ops',
    description:
      'Redis commands per task (INFO commandstats, Lua-internal calls included): single submits (64 in flight) + one worker at concurrency 100',
    n: { full: 20_000, quick: 5_000 },
    metrics: [
      { key: 'opsPerTask', label: 'cmds/task', unit: '', better: 'lower', digits: 2 },
      { key: 'submitOps', label: 'submit cmds/task', unit: '', better: 'lower', digits: 2 },
      { key: 'processOps', label: 'process cmds/task', unit: '', better: 'lower', digits: 2 },
      { key: 'redisCpuUs', label: 'Redis CPU µs/task', unit: 'µs', better: 'lower', digits: 1 },
    ],
  },
];

export function scenario(name: string): ScenarioSpec {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw new Error(`Unknown scenario "${name}"; known: ${SCENARIOS.map((x) => x.name).join(', ')}`);
  return s;
}

/** Ratio jobbers / BullMQ (as the targets are written). */
export function ratio(jobbers: number | undefined, bullmq: number | undefined): number | null {
  if (
    jobbers === undefined ||
    bullmq === undefined ||
    !Number.isFinite(jobbers) ||
    !Number.isFinite(bullmq) ||
    bullmq === 0
  )
    return null;
  return jobbers / bullmq;
}

export function targetMet(t: Target, jobbers: number | undefined, r: number | null): boolean | null {
  if (t.kind === 'abs-max') return jobbers === undefined ? null : jobbers <= t.value;
  if (r === null) return null;
  return t.kind === 'ratio-min' ? r >= t.value : r <= t.value;
}

export function describeTarget(t: Target): string {
  if (t.kind === 'ratio-min') return `≥ ${t.value}×`;
  if (t.kind === 'ratio-max') return `≤ ${t.value}×`;
  return `≤ ${t.value} ms`;
}

// ------------------------------------------------------------------ statistics

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Linear interpolation between closest ranks. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Array.from(values).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const pos = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

// ------------------------------------------------------------------ results

export interface Verification {
  expected: number;
  ranOnce: number;
  missing: number;
  duplicated: number;
}

export interface RunResult {
  scenario: string;
  /** `jobbers`, `bullmq`, or `jobbers@<name>` for a --compare tree. */
  system: string;
  round: number;
  ok: boolean;
  error?: string;
  metrics: Record<string, number>;
  /** Secondary numbers (CPU per task, per-command breakdown, ...). */
  extra: Record<string, unknown>;
  verification?: Verification;
  wallMs: number;
}

// ------------------------------------------------------------------ IPC: driver ⇄ worker child

export interface WorkerConfig {
  system: SystemName;
  redisUrl: string;
  sqlPath: string;
  /** Bitset size: the highest task index + 1. */
  n: number;
  concurrency: number;
  /** Record the handler start time of each task (latency scenarios). */
  recordTimes: boolean;
}

export type ToWorker = { type: 'go' } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready'; pid: number }
  | { type: 'progress'; done: number }
  | {
      type: 'result';
      counts: Uint8Array;
      /** Handler start (wall()) per index; 0 = never ran. */
      times: Float64Array | null;
      /** The system's own due time per index (BullMQ: timestamp + delay), when it knows one. */
      dues: Float64Array | null;
      cpuUserUs: number;
      cpuSystemUs: number;
      handled: number;
    }
  | { type: 'error'; message: string };

/** What both workers' handlers do per task: mark its index (and start time). Cheap and equal. */
export class Recorder {
  readonly counts: Uint8Array;
  readonly times: Float64Array | null;
  readonly dues: Float64Array | null;
  handled = 0;

  constructor(n: number, recordTimes: boolean, withDues: boolean) {
    this.counts = new Uint8Array(n);
    this.times = recordTimes ? new Float64Array(n) : null;
    this.dues = recordTimes && withDues ? new Float64Array(n) : null;
  }

  mark(i: number, due?: number): void {
    if (this.times) this.times[i] = wall();
    if (this.dues && due !== undefined) this.dues[i] = due;
    const c = this.counts[i];
    if (c !== undefined && c < 255) this.counts[i] = c + 1;
    this.handled++;
  }
}

/** A built tree runs as plain JavaScript; the working tree itself (--no-snapshot) through tsx. */
export function entryOf(root: string, path: string): { file: string; execArgv: string[] } {
  const js = join(root, path.replace(/\.ts$/, '.js'));
  return existsSync(js) ? { file: js, execArgv: [] } : { file: join(root, path), execArgv: ['--import', 'tsx'] };
}

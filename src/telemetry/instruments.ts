/**
 * The metric catalogue: the ONLY place metric names, kinds, units and attribute keys are spelled.
 *
 * Names, kinds, units and attribute keys of the original's metrics (spec §10.2) are a
 * compatibility contract (dashboards and alerts use them). What changed is their meaning, now
 * defined per attempt (fix for spec B25):
 * - `tasks_processed` counts each attempt's outcome; `status` is the status the attempt left the
 *   task in (`completed`, `failed`, `dropped`, `stalled`, `cancelled`, or `submitted`/`scheduled`
 *   when the attempt ended in a retry).
 * - `task_execution_time` is one attempt: attempt start → attempt end (not first start → end).
 * - `task_end_to_end_latency` is first submission → terminal state (covers every attempt and all
 *   waiting); it is only recorded when the task reaches a terminal status.
 * - `time_in_queue` is one wait: the moment the task became claimable (submit, requeue or
 *   scheduler dispatch) → the claim.
 * The observable gauges at the end are new (alerting on backlog, DLQ growth and stuck queues).
 * `docs/operations.md` documents this table; test/unit/operations-doc.test.ts keeps them in sync.
 *
 * Instruments only record once `initTelemetry` registered a MeterProvider; before that (or with
 * OTEL_SDK_DISABLED=true) every call is a cheap no-op.
 */
import {
  diag,
  metrics,
  ValueType,
  type BatchObservableCallback,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
  type MetricAttributes,
  type ObservableGauge,
} from '@opentelemetry/api';
import { isTerminal, type TaskStatus } from '../domain/status.js';

export const METER_NAME = 'jobbers';

export type MetricKind = 'counter' | 'histogram' | 'observableGauge';

export interface MetricSpec {
  readonly name: string;
  readonly kind: MetricKind;
  readonly unit: string;
  readonly description: string;
  readonly attributes: readonly string[];
  readonly emittedBy: string;
  readonly when: string;
}

// Bucket advice: the SDK default (0…10 000) tops out at 10 s for ms and is useless for seconds.
const MS_BUCKETS = [
  1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000,
];
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

// The catalogue reads as a table (one entry per metric), so prettier leaves its layout alone.
// prettier-ignore
export const METRIC_CATALOGUE = {
  tasksProcessed: {
    name: 'tasks_processed', kind: 'counter', unit: '1', attributes: ['queue', 'task', 'status'],
    description: 'Task attempts that ended, by the status each attempt left the task in.',
    emittedBy: 'Worker', when: 'end of every attempt (any outcome, including a retry decision); also an expired lease recovered as requeue/stall',
  },
  taskExecutionTime: {
    name: 'task_execution_time', kind: 'histogram', unit: 'ms', attributes: ['queue', 'task', 'status'],
    description: 'Duration of one attempt: attempt start to attempt end.',
    emittedBy: 'Worker', when: 'end of every attempt that started running',
  },
  taskEndToEndLatency: {
    name: 'task_end_to_end_latency', kind: 'histogram', unit: 'ms', attributes: ['queue', 'task', 'status'],
    description: 'First submission to terminal state, across all attempts and waits.',
    emittedBy: 'Worker', when: 'when an attempt leaves the task in a terminal status',
  },
  tasksRetried: {
    name: 'tasks_retried', kind: 'counter', unit: '1', attributes: ['queue', 'task', 'version'],
    description: 'Retry decisions (expected error or timeout with retry budget left).',
    emittedBy: 'Worker', when: 'each retry decision',
  },
  timeInQueue: {
    name: 'time_in_queue', kind: 'histogram', unit: 'ms', attributes: ['queue', 'role', 'task'],
    description: 'Time from the task becoming claimable (submit, requeue, dispatch) to its claim.',
    emittedBy: 'Worker', when: 'each claimed task (once per attempt)',
  },
  tasksSelected: {
    name: 'tasks_selected', kind: 'counter', unit: '1', attributes: ['queue', 'role', 'task'],
    description: 'Tasks claimed by workers.',
    emittedBy: 'Worker', when: 'each claimed task (once per attempt)',
  },
  cancellationsRequested: {
    name: 'cancellations_requested', kind: 'counter', unit: '1', attributes: ['queue', 'task'],
    description: 'Successful cancel requests.',
    emittedBy: 'Manager', when: 'each accepted cancel request (single or bulk, per task)',
  },
  tasksDeadLettered: {
    name: 'tasks_dead_lettered', kind: 'counter', unit: '1', attributes: ['queue', 'task', 'version'],
    description: 'Failed tasks saved to the dead-letter queue.',
    emittedBy: 'Worker', when: 'each failed task with dead-letter policy save',
  },
  scheduledTaskDispatchLatencySeconds: {
    name: 'scheduled_task_dispatch_latency_seconds', kind: 'histogram', unit: 's', attributes: ['queue', 'task_name'],
    description: "Seconds between a task's scheduled run_at and when it is dispatched to its queue.",
    emittedBy: 'Scheduler', when: 'each dispatched delayed task or retry, and each fired cron entry',
  },
  queueDepth: {
    name: 'queue_depth', kind: 'observableGauge', unit: '1', attributes: ['queue', 'status'],
    description: 'Tasks per queue and status (submitted, started, scheduled, ...).',
    emittedBy: 'Manager', when: 'each metric collection (OTEL_METRIC_EXPORT_INTERVAL)',
  },
  deadLetterQueueSize: {
    name: 'dead_letter_queue_size', kind: 'observableGauge', unit: '1', attributes: ['queue'],
    description: 'Entries in the dead-letter queue, per queue.',
    emittedBy: 'Manager', when: 'each metric collection (OTEL_METRIC_EXPORT_INTERVAL)',
  },
  oldestWaitingTaskAge: {
    name: 'oldest_waiting_task_age', kind: 'observableGauge', unit: 'ms', attributes: ['queue'],
    description: 'Age of the oldest claimable task per queue (0 when none waits).',
    emittedBy: 'Manager', when: 'each metric collection (OTEL_METRIC_EXPORT_INTERVAL)',
  },
} as const satisfies Record<string, MetricSpec>;

type Catalogue = typeof METRIC_CATALOGUE;
export type MetricKey = keyof Catalogue;
/** `version` is the task type's integer version; every other attribute is a string. */
export type AttrsOf<K extends MetricKey> = {
  [A in Catalogue[K]['attributes'][number]]: A extends 'version' ? number : string;
};
type InstrumentOf<K extends MetricKey> = Catalogue[K]['kind'] extends 'counter'
  ? Counter<AttrsOf<K>>
  : Catalogue[K]['kind'] extends 'histogram'
    ? Histogram<AttrsOf<K>>
    : ObservableGauge<AttrsOf<K>>;
export type Instruments = { readonly [K in MetricKey]: InstrumentOf<K> };

let cache: { provider: MeterProvider; meter: Meter; instruments: Instruments } | null = null;

/**
 * The typed instruments on meter `jobbers`, created on first use and cached. The cache is keyed
 * on the global MeterProvider because the metrics API has no proxy: instruments made before
 * initTelemetry would otherwise stay no-ops forever.
 */
export function getInstruments(): Instruments {
  return current().instruments;
}

function current(): NonNullable<typeof cache> {
  const provider = metrics.getMeterProvider();
  if (cache?.provider !== provider) {
    const meter = provider.getMeter(METER_NAME);
    const entries = Object.entries(METRIC_CATALOGUE).map(([key, spec]) => [key, createInstrument(meter, spec)]);
    cache = { provider, meter, instruments: Object.fromEntries(entries) as Instruments };
  }
  return cache;
}

function createInstrument(meter: Meter, spec: MetricSpec): unknown {
  const options = { description: spec.description, unit: spec.unit };
  switch (spec.kind) {
    case 'counter':
      return meter.createCounter(spec.name, { ...options, valueType: ValueType.INT });
    case 'histogram': {
      const buckets = spec.unit === 's' ? SECONDS_BUCKETS : MS_BUCKETS;
      return meter.createHistogram(spec.name, { ...options, advice: { explicitBucketBoundaries: buckets } });
    }
    case 'observableGauge':
      return meter.createObservableGauge(spec.name, {
        ...options,
        valueType: spec.unit === '1' ? ValueType.INT : ValueType.DOUBLE,
      });
  }
}

// ---- typed helpers: the call sites in worker / scheduler / manager ----

const elapsed = (from: number, to: number): number => Math.max(0, to - from);

/** A worker claimed a task (one attempt). `readyAt`: when it became claimable (epoch ms). */
export function recordTaskSelected(a: {
  queue: string;
  role: string;
  task: string;
  readyAt: number | null;
  now?: number;
}): void {
  const { tasksSelected, timeInQueue } = getInstruments();
  const attrs = { queue: a.queue, role: a.role, task: a.task };
  tasksSelected.add(1, attrs);
  if (a.readyAt !== null) timeInQueue.record(elapsed(a.readyAt, a.now ?? Date.now()), attrs);
}

/**
 * An attempt ended. `status` is the status the attempt left the task in (`submitted`/`scheduled`
 * for a retry). Execution time is recorded when the attempt started running; end-to-end latency
 * only when `status` is terminal and the first submission time is known. Times are epoch ms.
 */
export function recordAttemptOutcome(a: {
  queue: string;
  task: string;
  status: TaskStatus;
  attemptStartedAt: number | null;
  firstSubmittedAt: number | null;
  endedAt?: number;
}): void {
  const { tasksProcessed, taskExecutionTime, taskEndToEndLatency } = getInstruments();
  const attrs = { queue: a.queue, task: a.task, status: a.status };
  const endedAt = a.endedAt ?? Date.now();
  tasksProcessed.add(1, attrs);
  if (a.attemptStartedAt !== null) taskExecutionTime.record(elapsed(a.attemptStartedAt, endedAt), attrs);
  if (isTerminal(a.status) && a.firstSubmittedAt !== null) {
    taskEndToEndLatency.record(elapsed(a.firstSubmittedAt, endedAt), attrs);
  }
}

export function recordRetry(a: AttrsOf<'tasksRetried'>): void {
  getInstruments().tasksRetried.add(1, a);
}

export function recordDeadLettered(a: AttrsOf<'tasksDeadLettered'>): void {
  getInstruments().tasksDeadLettered.add(1, a);
}

export function recordCancellationRequested(a: AttrsOf<'cancellationsRequested'>): void {
  getInstruments().cancellationsRequested.add(1, a);
}

/** The scheduler moved a due task (delayed, retry or cron) to its queue. Times are epoch ms. */
export function recordScheduledDispatch(a: {
  queue: string;
  taskName: string;
  runAt: number;
  dispatchedAt?: number;
}): void {
  const seconds = elapsed(a.runAt, a.dispatchedAt ?? Date.now()) / 1000;
  getInstruments().scheduledTaskDispatchLatencySeconds.record(seconds, { queue: a.queue, task_name: a.taskName });
}

export interface QueueGaugeSnapshot {
  queue: string;
  /** Task count per status, e.g. { submitted: 3, started: 1, scheduled: 0 }. */
  counts: Record<string, number>;
  dlqSize: number;
  /** Age of the oldest claimable task; null when none waits (reported as 0). */
  oldestWaitingAgeMs: number | null;
}

/**
 * Feeds `queue_depth`, `dead_letter_queue_size` and `oldest_waiting_task_age` from one `source`
 * call per metric collection. Call after initTelemetry (callbacks registered on the no-op
 * provider are lost). A failing source skips that collection instead of breaking the export.
 * Returns a function that unregisters the callback.
 */
export function registerQueueGauges(source: () => Promise<QueueGaugeSnapshot[]>): () => void {
  const { meter, instruments } = current();
  const { queueDepth, deadLetterQueueSize, oldestWaitingTaskAge } = instruments;
  const observables = [queueDepth, deadLetterQueueSize, oldestWaitingTaskAge] as ObservableGauge<MetricAttributes>[];
  const callback: BatchObservableCallback<MetricAttributes> = async (result) => {
    let snapshots: QueueGaugeSnapshot[];
    try {
      snapshots = await source();
    } catch (err) {
      diag.warn(`queue gauges: source failed, skipping this collection: ${String(err)}`);
      return;
    }
    for (const s of snapshots) {
      for (const [status, count] of Object.entries(s.counts)) {
        result.observe(queueDepth, count, { queue: s.queue, status });
      }
      result.observe(deadLetterQueueSize, s.dlqSize, { queue: s.queue });
      result.observe(oldestWaitingTaskAge, s.oldestWaitingAgeMs ?? 0, { queue: s.queue });
    }
  };
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}

/**
 * Child-process driver for test/integration/telemetry.test.ts.
 *
 * OTel global providers can be registered once per process, and each scenario needs its own
 * environment (OTEL_LOGS_EXPORTER set or not, a dead collector, ...), so every scenario runs in a
 * fresh `node --import tsx test/helpers/telemetry-scenario.ts <scenario>` with the env prepared by
 * the test. pino writes JSON lines to stdout; the scenario's own result is the last stdout line,
 * prefixed with RESULT_PREFIX.
 *
 * Scenarios:
 *   record-all    record every instrument with known values, one submit span, two attempts (one
 *                 failing), logs inside and outside spans; forceFlush; shutdown.
 *   periodic      record one counter, then idle (no flush) so only the periodic reader can export;
 *                 the test kills the process once the metric arrived.
 *   unreachable   record everything, then time shutdown() against a collector that is down/hangs.
 */
import { initTelemetry } from '../../src/telemetry/init.js';
import {
  recordAttemptOutcome,
  recordCancellationRequested,
  recordDeadLettered,
  recordRetry,
  recordScheduledDispatch,
  recordTaskSelected,
  registerQueueGauges,
} from '../../src/telemetry/instruments.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { currentTraceparent, runInTaskSpan, SPAN_NAMES, startSubmitSpan } from '../../src/telemetry/tracing.js';

export const RESULT_PREFIX = '@@scenario-result ';

/** The fixed inputs record-all uses; the test derives its expected values from them. */
export const T0 = 1_700_000_000_000;
export const FIXTURE = {
  queue: 'q1',
  task: 'add',
  version: 2,
  role: 'default',
  waitedMs: 250,
  retryAttemptMs: 40,
  finalAttemptMs: 60,
  firstSubmittedAt: T0 - 1_000,
  dispatchLateMs: 1_500,
  gauges: [
    { queue: 'q1', counts: { submitted: 3, started: 1 }, dlqSize: 2, oldestWaitingAgeMs: 1234 },
    { queue: 'q2', counts: { submitted: 0 }, dlqSize: 0, oldestWaitingAgeMs: null },
  ],
} as const;

async function recordEverything(): Promise<void> {
  const { queue, task, version, role } = FIXTURE;
  recordTaskSelected({ queue, role, task, readyAt: T0 - FIXTURE.waitedMs, now: T0 });
  // Attempt 0 ends in a delayed retry, attempt 1 completes.
  recordAttemptOutcome({
    queue,
    task,
    status: 'scheduled',
    attemptStartedAt: T0,
    firstSubmittedAt: FIXTURE.firstSubmittedAt,
    endedAt: T0 + FIXTURE.retryAttemptMs,
  });
  recordRetry({ queue, task, version });
  recordAttemptOutcome({
    queue,
    task,
    status: 'completed',
    attemptStartedAt: T0 + 5_000,
    firstSubmittedAt: FIXTURE.firstSubmittedAt,
    endedAt: T0 + 5_000 + FIXTURE.finalAttemptMs,
  });
  recordDeadLettered({ queue, task, version });
  recordCancellationRequested({ queue, task });
  recordCancellationRequested({ queue, task });
  recordScheduledDispatch({ queue, taskName: task, runAt: T0 - FIXTURE.dispatchLateMs, dispatchedAt: T0 });
  registerQueueGauges(async () => FIXTURE.gauges.map((g) => ({ ...g, counts: { ...g.counts } })));
}

async function main(): Promise<void> {
  const scenario = process.argv[2];
  // Created before initTelemetry on purpose: the logger must still reach the SDK registered later.
  const logger = createLogger('jobbers-worker');
  const telemetry = await initTelemetry({ serviceName: 'jobbers-worker' });
  const result: Record<string, unknown> = { pid: process.pid };

  if (scenario === 'periodic') {
    recordAttemptOutcome({
      queue: 'q1',
      task: 'add',
      status: 'completed',
      attemptStartedAt: null,
      firstSubmittedAt: null,
    });
    console.log(RESULT_PREFIX + JSON.stringify(result));
    setTimeout(() => {}, 60_000); // stay alive; the test kills us
    return;
  }

  await recordEverything();
  const traceparent = await startSubmitSpan(FIXTURE.task, { 'task.id': 'T1', queue: FIXTURE.queue }, () =>
    currentTraceparent(),
  );
  await runInTaskSpan(traceparent, SPAN_NAMES.execute, { 'task.id': 'T1', attempt: 0 }, async () => {
    logger.info({ task_id: 'T1' }, 'Task T1 started (attempt 0).');
  });
  await runInTaskSpan(traceparent, SPAN_NAMES.execute, { 'task.id': 'T1', attempt: 1 }, async () => {
    throw new Error('boom');
  }).catch((err: Error) => logger.error({ err }, 'Task T1 failed with error: boom'));
  logger.warn('outside any span');
  Object.assign(result, { traceparent, traceparentOutsideSpans: currentTraceparent() });

  if (scenario === 'unreachable') {
    const started = Date.now();
    await telemetry.shutdown();
    result.shutdownMs = Date.now() - started;
  } else {
    await telemetry.forceFlush();
    await telemetry.shutdown();
  }
  console.log(RESULT_PREFIX + JSON.stringify(result));
}

// Only when run as a script: the test imports FIXTURE/RESULT_PREFIX from this module.
if (process.argv[1]?.endsWith('telemetry-scenario.ts')) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

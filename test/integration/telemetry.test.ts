/**
 * End-to-end telemetry: real OTLP/gRPC export from a child process to the in-process receiver.
 * Each scenario runs in its own process (test/helpers/telemetry-scenario.ts) because OTel global
 * providers are per process and the scenarios need different environments.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTelemetry, readTelemetrySettings } from '../../src/telemetry/init.js';
import { getInstruments, METRIC_CATALOGUE } from '../../src/telemetry/instruments.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { currentTraceparent, startSubmitSpan } from '../../src/telemetry/tracing.js';
import { startOtlpReceiver, type DecodedMetric, type OtlpReceiver } from '../helpers/otlp-receiver.js';
import { FIXTURE, RESULT_PREFIX, T0 } from '../helpers/telemetry-scenario.js';

interface ScenarioRun {
  code: number | null;
  elapsedMs: number;
  result: Record<string, any>;
  stdoutRecords: Array<Record<string, any>>;
  stderr: string;
}

/** Environment without any inherited OTEL_* / LOG_LEVEL so each scenario sets exactly what it tests. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_') && k !== 'LOG_LEVEL'),
  );
  return { ...env, ...extra };
}

function endpoints(url: string): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: url,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url,
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: url,
  };
}

function runScenario(
  scenario: string,
  env: Record<string, string>,
  /** killWhen gets a promise that resolves once the scenario printed its result line. */
  opts: { killWhen?: (ready: Promise<void>) => Promise<unknown> } = {},
): Promise<ScenarioRun> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/telemetry-scenario.ts', scenario], {
    cwd: process.cwd(),
    env: cleanEnv(env),
  });
  let stdout = '';
  let stderr = '';
  let markReady = (): void => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (d) => {
    stdout += d;
    if (stdout.includes(RESULT_PREFIX)) markReady();
  });
  child.stderr.on('data', (d) => (stderr += d));
  if (opts.killWhen) {
    opts
      .killWhen(ready)
      .finally(() => child.kill('SIGKILL'))
      .catch(() => {}); // the test awaits its own promise
  }
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const lines = stdout.split('\n').filter(Boolean);
      const resultLine = lines.find((l) => l.startsWith(RESULT_PREFIX));
      resolve({
        code,
        elapsedMs: Date.now() - started,
        result: resultLine ? JSON.parse(resultLine.slice(RESULT_PREFIX.length)) : {},
        stdoutRecords: lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)),
        stderr,
      });
    });
  });
}

const KIND_OF = { counter: 'sum', histogram: 'histogram', observableGauge: 'gauge' } as const;

function points(m: DecodedMetric | undefined, match: Record<string, unknown> = {}) {
  return (m?.dataPoints ?? []).filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v));
}

describe('telemetry export over OTLP/gRPC (OTEL_LOGS_EXPORTER=otlp)', () => {
  let rx: OtlpReceiver;
  let run: ScenarioRun;

  beforeAll(async () => {
    rx = await startOtlpReceiver();
    run = await runScenario('record-all', { ...endpoints(rx.url), OTEL_LOGS_EXPORTER: 'otlp' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
  afterAll(() => rx.close());

  it('decodes every request without error', () => {
    expect(rx.errors()).toEqual([]);
  });

  it.each(Object.values(METRIC_CATALOGUE))('exports $name with its exact kind, unit and attribute keys', (spec) => {
    const m = rx.latestMetric(spec.name);
    expect(m, `metric ${spec.name} not received`).toBeDefined();
    expect(m!.unit).toBe(spec.unit);
    expect(m!.kind).toBe(KIND_OF[spec.kind]);
    if (spec.kind === 'counter') expect(m!.monotonic).toBe(true);
    expect(m!.scope).toBe('jobbers');
    expect(m!.description).toBe(spec.description);
    expect(m!.dataPoints.length).toBeGreaterThan(0);
    for (const p of m!.dataPoints) expect(Object.keys(p.attributes).sort()).toEqual([...spec.attributes].sort());
  });

  it('keeps the original description of scheduled_task_dispatch_latency_seconds', () => {
    expect(rx.latestMetric('scheduled_task_dispatch_latency_seconds')?.description).toBe(
      "Seconds between a task's scheduled run_at and when it is dispatched to its queue.",
    );
  });

  it('records per-attempt values (B25)', () => {
    const base = { queue: FIXTURE.queue, task: FIXTURE.task };
    const processed = rx.latestMetric('tasks_processed');
    expect(points(processed, { ...base, status: 'scheduled' })[0]?.value).toBe(1);
    expect(points(processed, { ...base, status: 'completed' })[0]?.value).toBe(1);

    const exec = rx.latestMetric('task_execution_time');
    expect(points(exec, { status: 'scheduled' })[0]).toMatchObject({ count: 1, sum: FIXTURE.retryAttemptMs });
    expect(points(exec, { status: 'completed' })[0]).toMatchObject({ count: 1, sum: FIXTURE.finalAttemptMs });

    // End-to-end only for the terminal attempt, measured from the first submission.
    const e2e = rx.latestMetric('task_end_to_end_latency');
    expect(e2e?.dataPoints).toHaveLength(1);
    expect(points(e2e, { status: 'completed' })[0]).toMatchObject({
      count: 1,
      sum: T0 + 5_000 + FIXTURE.finalAttemptMs - FIXTURE.firstSubmittedAt,
    });

    const version = { ...base, version: FIXTURE.version };
    expect(points(rx.latestMetric('tasks_retried'), version)[0]?.value).toBe(1);
    expect(points(rx.latestMetric('tasks_dead_lettered'), version)[0]?.value).toBe(1);
    expect(points(rx.latestMetric('cancellations_requested'), base)[0]?.value).toBe(2);

    const claim = { ...base, role: FIXTURE.role };
    expect(points(rx.latestMetric('tasks_selected'), claim)[0]?.value).toBe(1);
    expect(points(rx.latestMetric('time_in_queue'), claim)[0]).toMatchObject({ count: 1, sum: FIXTURE.waitedMs });

    const dispatch = points(rx.latestMetric('scheduled_task_dispatch_latency_seconds'), {
      queue: FIXTURE.queue,
      task_name: FIXTURE.task,
    })[0];
    expect(dispatch).toMatchObject({ count: 1, sum: FIXTURE.dispatchLateMs / 1000 });
    // Seconds buckets, not the SDK's 0..10000 default.
    expect(dispatch?.explicitBounds).toContain(0.5);
  });

  it('reports the queue gauges from the registered source', () => {
    const depth = rx.latestMetric('queue_depth');
    expect(points(depth, { queue: 'q1', status: 'submitted' })[0]?.value).toBe(3);
    expect(points(depth, { queue: 'q1', status: 'started' })[0]?.value).toBe(1);
    expect(points(depth, { queue: 'q2', status: 'submitted' })[0]?.value).toBe(0);
    expect(points(rx.latestMetric('dead_letter_queue_size'), { queue: 'q1' })[0]?.value).toBe(2);
    expect(points(rx.latestMetric('oldest_waiting_task_age'), { queue: 'q1' })[0]?.value).toBe(1234);
    expect(points(rx.latestMetric('oldest_waiting_task_age'), { queue: 'q2' })[0]?.value).toBe(0);
  });

  it('sets service.name and service.instance.id = <hostname>:<pid> on every signal', () => {
    const expected = { 'service.name': 'jobbers-worker', 'service.instance.id': `${os.hostname()}:${run.result.pid}` };
    expect(rx.metrics()[0]?.resource).toMatchObject(expected);
    expect(rx.spans()[0]?.resource).toMatchObject(expected);
    expect(rx.logs()[0]?.resource).toMatchObject(expected);
  });

  it('links every attempt span to the submit span through the carried traceparent', () => {
    const submit = rx.spans().find((s) => s.name === 'task.submit');
    const attempts = rx.spans().filter((s) => s.name === 'task.execute');
    expect(submit).toBeDefined();
    expect(submit!.kind).toBe('SPAN_KIND_PRODUCER');
    expect(submit!.attributes).toMatchObject({ 'task.name': FIXTURE.task, 'task.id': 'T1' });
    expect(run.result.traceparent).toBe(`00-${submit!.traceId}-${submit!.spanId}-01`);
    expect(run.result.traceparentOutsideSpans).toBeNull();
    expect(attempts).toHaveLength(2);
    for (const a of attempts) {
      expect(a.traceId).toBe(submit!.traceId);
      expect(a.parentSpanId).toBe(submit!.spanId);
    }
  });

  it('marks a failing attempt span as error with the exception recorded', () => {
    const attempts = rx.spans().filter((s) => s.name === 'task.execute');
    const ok = attempts.find((s) => s.attributes.attempt === 0);
    const failed = attempts.find((s) => s.attributes.attempt === 1);
    expect(ok?.status.code).toBe('unset');
    expect(failed?.status).toEqual({ code: 'error', message: 'boom' });
    expect(failed?.events.find((e) => e.name === 'exception')?.attributes['exception.message']).toBe('boom');
  });

  it('exports logs correlated with the active span, severity mapped', () => {
    const attempt0 = rx.spans().find((s) => s.name === 'task.execute' && s.attributes.attempt === 0);
    const started = rx.logs().find((l) => l.body === 'Task T1 started (attempt 0).');
    expect(started).toMatchObject({ severityText: 'INFO', severityNumber: 9, traceId: attempt0?.traceId });
    expect(started?.spanId).toBe(attempt0?.spanId);
    expect(started?.attributes).toMatchObject({ task_id: 'T1' });
    expect(started?.scope).toBe('jobbers-worker');

    const failed = rx.logs().find((l) => l.body === 'Task T1 failed with error: boom');
    expect(failed).toMatchObject({ severityText: 'ERROR', severityNumber: 17 });
    expect(failed?.attributes['exception.message']).toBe('boom');

    const outside = rx.logs().find((l) => l.body === 'outside any span');
    expect(outside).toMatchObject({ severityText: 'WARN', traceId: null });
  });

  it('writes the same records to stdout as JSON with trace_id/span_id', () => {
    const attempt0 = rx.spans().find((s) => s.name === 'task.execute' && s.attributes.attempt === 0);
    const line = run.stdoutRecords.find((r) => r.msg === 'Task T1 started (attempt 0).');
    expect(line).toMatchObject({ level: 30, trace_id: attempt0?.traceId, span_id: attempt0?.spanId, task_id: 'T1' });
    expect(run.stdoutRecords.find((r) => r.msg === 'outside any span')?.trace_id).toBeUndefined();
  });
});

describe('telemetry with OTEL_LOGS_EXPORTER unset', () => {
  it('exports traces and metrics but no logs, and still logs to stdout', async () => {
    const rx = await startOtlpReceiver();
    try {
      const run = await runScenario('record-all', endpoints(rx.url));
      expect(run.code).toBe(0);
      expect(rx.spans().some((s) => s.name === 'task.execute')).toBe(true);
      expect(rx.latestMetric('tasks_processed')).toBeDefined();
      expect(rx.requestCounts().logs).toBe(0);
      expect(rx.logs()).toEqual([]);
      expect(run.stdoutRecords.some((r) => r.msg === 'Task T1 started (attempt 0).' && r.trace_id)).toBe(true);
    } finally {
      await rx.close();
    }
  });
});

describe('metric export interval', () => {
  it('honours OTEL_METRIC_EXPORT_INTERVAL without any flush', async () => {
    const rx = await startOtlpReceiver();
    try {
      const arrived = rx.waitFor((r) => r.latestMetric('tasks_processed') !== undefined, 30_000);
      // With the 60 s default nothing would arrive before the kill.
      const run = await runScenario(
        'periodic',
        { ...endpoints(rx.url), OTEL_METRIC_EXPORT_INTERVAL: '300' },
        {
          killWhen: () => arrived,
        },
      );
      await arrived;
      // Far below the 60 s default interval, with room for a loaded CI machine.
      expect(run.elapsedMs).toBeLessThan(30_000);
      expect(points(rx.latestMetric('tasks_processed'), { status: 'completed' })[0]?.value).toBe(1);
    } finally {
      await rx.close();
    }
  });
});

describe('no collector', () => {
  async function deadPort(): Promise<number> {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    return port;
  }

  it('does not crash or block when nothing listens on the endpoint', async () => {
    const url = `http://127.0.0.1:${await deadPort()}`;
    const run = await runScenario('unreachable', { ...endpoints(url), OTEL_LOGS_EXPORTER: 'otlp' });
    expect(run.code).toBe(0);
    expect(run.result.shutdownMs).toBeLessThan(6_000);
    expect(run.elapsedMs).toBeLessThan(15_000);
  });

  it('keeps running while periodic exports keep failing', async () => {
    const url = `http://127.0.0.1:${await deadPort()}`;
    const run = await runScenario(
      'periodic',
      { ...endpoints(url), OTEL_METRIC_EXPORT_INTERVAL: '200' },
      {
        killWhen: (ready) => ready.then(() => new Promise((r) => setTimeout(r, 2_000))),
      },
    );
    // Still alive (killed by us, no exit code) after ~10 failed exports, and nothing on stderr.
    expect(run.result.pid).toBeTypeOf('number');
    expect(run.code).toBeNull();
    expect(run.stderr).toBe('');
  });

  it('gives up on a collector that accepts calls but never answers', async () => {
    const rx = await startOtlpReceiver({ respond: 'never' });
    try {
      const run = await runScenario('unreachable', { ...endpoints(rx.url), OTEL_LOGS_EXPORTER: 'otlp' });
      expect(run.code).toBe(0);
      expect(rx.requestCounts().metrics).toBeGreaterThan(0); // the exports really were attempted
      // The 5 s export deadline bounds shutdown; the slack is for a loaded CI machine.
      expect(run.result.shutdownMs).toBeLessThan(10_000);
      expect(run.elapsedMs).toBeLessThan(40_000);
    } finally {
      await rx.close();
    }
  });
});

describe('configuration (in-process: nothing gets registered)', () => {
  it('defaults to localhost:4317, a 60 s metric interval and no log export', () => {
    expect(readTelemetrySettings({})).toEqual({
      disabled: false,
      metricsEndpoint: 'http://localhost:4317',
      tracesEndpoint: 'http://localhost:4317',
      logsEndpoint: 'http://localhost:4317',
      exportLogs: false,
      metricExportIntervalMs: 60_000,
    });
    expect(readTelemetrySettings({ OTEL_LOGS_EXPORTER: 'none' }).exportLogs).toBe(false);
    expect(readTelemetrySettings({ OTEL_LOGS_EXPORTER: 'OTLP' }).exportLogs).toBe(true);
  });

  it('takes the signal endpoint over the generic one, and the option over OTEL_METRIC_EXPORT_INTERVAL', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4317',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4317',
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
    };
    const settings = readTelemetrySettings(env);
    expect(settings).toMatchObject({ tracesEndpoint: 'http://traces:4317', metricsEndpoint: 'http://generic:4317' });
    expect(settings.metricExportIntervalMs).toBe(5000);
    expect(readTelemetrySettings(env, { metricExportIntervalMs: 250 }).metricExportIntervalMs).toBe(250);
  });

  it.each([
    [{ OTEL_LOGS_EXPORTER: 'bogus' }, /OTEL_LOGS_EXPORTER.*"bogus"/],
    [{ OTEL_LOGS_EXPORTER: 'console' }, /OTEL_LOGS_EXPORTER/],
    [{ OTEL_METRIC_EXPORT_INTERVAL: 'soon' }, /OTEL_METRIC_EXPORT_INTERVAL.*"soon"/],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector 4317' }, /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT/],
    [{ OTEL_SDK_DISABLED: 'maybe' }, /OTEL_SDK_DISABLED/],
  ])('rejects %o with a message naming the variable', async (env, message) => {
    await expect(initTelemetry({ serviceName: 'jobbers-worker', env })).rejects.toThrow(message);
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
  });

  it('OTEL_SDK_DISABLED=true returns a no-op handle and registers nothing', async () => {
    const handle = await initTelemetry({ serviceName: 'jobbers-worker', env: { OTEL_SDK_DISABLED: 'true' } });
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
    expect(await startSubmitSpan('t', {}, () => currentTraceparent())).toBeNull();
    getInstruments().tasksProcessed.add(1, { queue: 'q', task: 't', status: 'completed' }); // must not throw
    await expect(handle.forceFlush()).resolves.toBeUndefined();
    await expect(handle.shutdown()).resolves.toBeUndefined();
  });
});

describe('createLogger (in-process, no SDK)', () => {
  function capture(level?: string, env: NodeJS.ProcessEnv = {}) {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger('jobbers-manager', {
      level,
      env,
      destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
    });
    return { logger, lines };
  }

  it('writes JSON records at LOG_LEVEL and above, named after the service', () => {
    const { logger, lines } = capture(undefined, { LOG_LEVEL: 'warn' });
    logger.info('dropped');
    logger.warn({ queue: 'q1' }, 'Task %s kept', 'T1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, name: 'jobbers-manager', queue: 'q1', msg: 'Task T1 kept' });
    expect(lines[0]).not.toHaveProperty('trace_id'); // no active span
  });

  it('defaults to info and rejects an unknown LOG_LEVEL naming the variable', () => {
    const { logger, lines } = capture();
    logger.debug('hidden');
    logger.info('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
    expect(() => createLogger('x', { env: { LOG_LEVEL: 'loud' } })).toThrow(/LOG_LEVEL.*"loud"/);
  });
});

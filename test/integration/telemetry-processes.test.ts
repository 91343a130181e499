/**
 * Telemetry of the real processes: worker and scheduler CLIs export to a real OTLP gRPC receiver.
 * Metrics arrive with the original's names and labels, one trace links the submission to every
 * attempt, and logs are exported only when OTEL_LOGS_EXPORTER=otlp.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { alwaysFailTask, echoTask, scheduledFailTask } from '../../examples/tasks.js';
import { createStack, type Stack } from '../helpers/stack.js';
import { ROOT, spawnCli, type CliProcess } from '../helpers/processes.js';
import { startOtlpReceiver, type DecodedMetric, type OtlpReceiver } from '../helpers/otlp-receiver.js';

const EXAMPLES = join(ROOT, 'examples/tasks.ts');
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SUBMIT_SPAN = '00f067aa0ba902b7';

function series(m: DecodedMetric | undefined, attrs: Record<string, string | number>) {
  return (m?.dataPoints ?? []).filter((p) => Object.entries(attrs).every(([k, v]) => p.attributes[k] === v));
}

/** Environment that makes a CLI export every signal to `rx`, metrics every 500 ms. */
function otelEnv(rx: OtlpReceiver): Record<string, string> {
  return {
    OTEL_SDK_DISABLED: 'false',
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: rx.url,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: rx.url,
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: rx.url,
    OTEL_METRIC_EXPORT_INTERVAL: '500',
  };
}

/** SIGTERM flushes every signal before exit; then waits until what `exported` looks for has arrived. */
async function stopAndFlush(procs: CliProcess[], rx: OtlpReceiver, exported: (r: OtlpReceiver) => boolean) {
  for (const p of procs) p.kill('SIGTERM');
  await Promise.all(procs.map((p) => p.exited));
  await rx.waitFor(exported, 30_000);
}

/** SIGKILLs whatever a failed beforeAll left running, then closes what it opened. */
async function tearDown(procs: CliProcess[], stack: Stack | undefined, rx: OtlpReceiver | undefined) {
  for (const p of procs) p.kill('SIGKILL');
  await stack?.close();
  await rx?.close();
}

describe('telemetry of worker and scheduler processes', () => {
  let stack: Stack;
  let rx: OtlpReceiver;
  const procs: CliProcess[] = [];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    rx = await startOtlpReceiver();
    stack = await createStack([echoTask, alwaysFailTask, scheduledFailTask]);
    const otel = otelEnv(rx);
    const worker = spawnCli('worker', [EXAMPLES], {
      ...stack.env,
      ...otel,
      WORKER_TTL: '0',
      OTEL_LOGS_EXPORTER: 'otlp',
      LOG_LEVEL: 'debug',
    });
    const scheduler = spawnCli('scheduler', [], { ...stack.env, ...otel, SCHEDULER_POLL_INTERVAL: '0.2' });
    procs.push(worker, scheduler);
    await worker.waitForOutput(/Worker started/);
    await scheduler.waitForOutput(/Scheduler started/);
    const traceparent = `00-${TRACE_ID}-${SUBMIT_SPAN}-01`;
    ids.echo = (
      await stack.rt.tasks.submit({ name: 'echo_task', version: 1, parameters: { value: 'otel' }, traceparent })
    ).id;
    ids.fail = (await stack.client.submit(alwaysFailTask, {})).id;
    ids.sched = (await stack.client.submit(scheduledFailTask, {})).id;
    for (const id of Object.values(ids)) await stack.client.waitForTask(id, { timeoutMs: 30_000 });
    await stopAndFlush(procs, rx, (r) => r.latestMetric('scheduled_task_dispatch_latency_seconds') !== undefined);
  });
  afterAll(() => tearDown(procs, stack, rx));

  it('counts every attempt by outcome with queue, task and status labels', () => {
    const processed = rx.latestMetric('tasks_processed');
    expect(processed?.kind).toBe('sum');
    expect(series(processed, { queue: 'default', task: 'echo_task', status: 'completed' })[0]?.value).toBe(1);
    // always_fail_task: 2 immediate retries (left `submitted`), then failed.
    expect(series(processed, { queue: 'default', task: 'always_fail_task', status: 'submitted' })[0]?.value).toBe(2);
    expect(series(processed, { queue: 'default', task: 'always_fail_task', status: 'failed' })[0]?.value).toBe(1);
    // scheduled_fail_task retries go through the scheduler (left `scheduled`).
    expect(series(processed, { task: 'scheduled_fail_task', status: 'scheduled' })[0]?.value).toBe(2);
  });

  it('records execution time per attempt and end-to-end latency once per task', () => {
    const exec = rx.latestMetric('task_execution_time');
    expect(exec?.unit).toBe('ms');
    expect(series(exec, { task: 'always_fail_task' }).reduce((n, p) => n + (p.count ?? 0), 0)).toBe(3);
    const e2e = rx.latestMetric('task_end_to_end_latency');
    const failE2e = series(e2e, { task: 'always_fail_task', status: 'failed' })[0];
    expect(failE2e?.count).toBe(1);
    expect(failE2e?.sum).toBeGreaterThanOrEqual(0);
    expect(series(e2e, { task: 'always_fail_task', status: 'submitted' })).toEqual([]);
  });

  it('counts retries, dead letters, selections and time in queue with their labels', () => {
    expect(
      series(rx.latestMetric('tasks_retried'), { queue: 'default', task: 'always_fail_task', version: 1 })[0]?.value,
    ).toBe(2);
    expect(
      series(rx.latestMetric('tasks_dead_lettered'), { queue: 'default', task: 'always_fail_task', version: 1 })[0]
        ?.value,
    ).toBe(1);
    expect(
      series(rx.latestMetric('tasks_selected'), { queue: 'default', role: 'default', task: 'echo_task' })[0]?.value,
    ).toBe(1);
    const tiq = series(rx.latestMetric('time_in_queue'), {
      queue: 'default',
      role: 'default',
      task: 'always_fail_task',
    })[0];
    expect(tiq?.count).toBe(3);
  });

  it('the scheduler reports dispatch latency per queue and task name', () => {
    const m = rx.latestMetric('scheduled_task_dispatch_latency_seconds');
    expect(m?.unit).toBe('s');
    const p = series(m, { queue: 'default', task_name: 'scheduled_fail_task' })[0];
    expect(p?.count).toBe(2);
    expect(p?.sum ?? -1).toBeGreaterThanOrEqual(0);
    expect(p?.sum ?? 99).toBeLessThan(10);
  });

  it('one trace links the submission to the execution', () => {
    const exec = rx.spans().filter((s) => s.name === 'task.execute' && s.attributes['task.id'] === ids.echo);
    expect(exec).toHaveLength(1);
    expect(exec[0]?.traceId).toBe(TRACE_ID);
    expect(exec[0]?.parentSpanId).toBe(SUBMIT_SPAN);
    expect(exec[0]?.resource['service.name']).toBe('jobbers-worker');
    const failed = rx.spans().filter((s) => s.name === 'task.execute' && s.attributes['task.id'] === ids.fail);
    expect(failed).toHaveLength(3); // one span per attempt
  });

  it('exports logs only from the process with OTEL_LOGS_EXPORTER=otlp, correlated with traces', () => {
    const logs = rx.logs();
    expect(
      logs.some((l) => l.resource['service.name'] === 'jobbers-worker' && String(l.body).includes('Worker started')),
    ).toBe(true);
    expect(logs.filter((l) => l.resource['service.name'] === 'jobbers-scheduler')).toEqual([]);
    // One line per transition, inside the attempt's span.
    const done = logs.find((l) => l.body === `Task ${ids.echo} completed.`);
    expect(done?.traceId).toBe(TRACE_ID);
    expect(logs.some((l) => l.body === `Task ${ids.echo} started (attempt 1).`)).toBe(true);
    expect(logs.filter((l) => String(l.body).startsWith(`Task ${ids.fail} requeued for immediate retry`))).toHaveLength(
      2,
    );
    expect(logs.some((l) => l.body === `Task ${ids.fail} sent to dead letter queue.`)).toBe(true);
  });
});

describe('telemetry of the manager and a worker together', () => {
  let stack: Stack;
  let rx: OtlpReceiver;
  const procs: CliProcess[] = [];
  let submittedId = '';
  let cancelledId = '';

  beforeAll(async () => {
    rx = await startOtlpReceiver();
    stack = await createStack([echoTask]);
    const otel = otelEnv(rx);
    const manager = spawnCli('manager', [EXAMPLES], { ...stack.env, ...otel, PORT: '0', HOST: '127.0.0.1' });
    const worker = spawnCli('worker', [EXAMPLES], { ...stack.env, ...otel, WORKER_TTL: '0' });
    procs.push(manager, worker);
    const [, url] = await manager.waitForOutput(/Manager listening on (http:\/\/[^\s]+)/);
    await worker.waitForOutput(/Worker started/);
    const post = async (path: string, body?: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      return (await res.json()) as { task: { id: string } };
    };
    submittedId = (await post('/submit-task', { name: 'echo_task', version: 1, parameters: { value: 'via http' } }))
      .task.id;
    await stack.client.waitForTask(submittedId, { timeoutMs: 30_000 });
    const runAt = new Date(Date.now() + 3_600_000).toISOString();
    cancelledId = (
      await post('/schedule-task', { task: { name: 'echo_task', version: 1, parameters: {} }, run_at: runAt })
    ).task.id;
    await post(`/task/${cancelledId}/cancel`);
    // Gauges are read at collection time: wait for one collection after the cancel.
    await rx.waitFor(
      (r) => series(r.latestMetric('queue_depth'), { queue: 'default', status: 'cancelled' })[0]?.value === 1,
      30_000,
    );
    await stopAndFlush(procs, rx, (r) => r.latestMetric('cancellations_requested') !== undefined);
  });
  afterAll(() => tearDown(procs, stack, rx));

  it('one trace: the manager’s task.submit span is the parent of the worker’s task.execute span', () => {
    const exec = rx.spans().find((s) => s.name === 'task.execute' && s.attributes['task.id'] === submittedId);
    expect(exec).toBeDefined();
    const submit = rx.spans().find((s) => s.spanId === exec?.parentSpanId);
    expect(submit?.name).toBe('task.submit');
    expect(submit?.traceId).toBe(exec?.traceId);
    expect(submit?.resource['service.name']).toBe('jobbers-manager');
    expect(exec?.resource['service.name']).toBe('jobbers-worker');
  });

  it('the manager counts cancellations and reports queue gauges', () => {
    expect(series(rx.latestMetric('cancellations_requested'), { queue: 'default', task: 'echo_task' })[0]?.value).toBe(
      1,
    );
    const depth = rx.latestMetric('queue_depth');
    expect(series(depth, { queue: 'default', status: 'completed' })[0]?.value).toBe(1);
    expect(series(depth, { queue: 'default', status: 'cancelled' })[0]?.value).toBe(1);
    expect(rx.latestMetric('dead_letter_queue_size')).toBeDefined();
    expect(rx.latestMetric('oldest_waiting_task_age')).toBeDefined();
  });

  it('logs are not exported when OTEL_LOGS_EXPORTER is unset', () => {
    expect(rx.logs()).toEqual([]);
  });
});

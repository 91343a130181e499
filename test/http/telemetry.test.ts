/**
 * Telemetry of the API, through the real OTel SDK (initTelemetry) and an in-process OTLP
 * receiver: a submission runs in a `task.submit` span whose context is stored with the task, and
 * each accepted cancel increments `cancellations_requested{queue, task}`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTelemetry, type TelemetryHandle } from '../../src/telemetry/init.js';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.js';
import { createHttpStack, createParkedQueue, submit, type HttpStack } from './http-stack.js';

describe('API telemetry', () => {
  let rx: OtlpReceiver;
  let telemetry: TelemetryHandle;
  let s: HttpStack;

  beforeAll(async () => {
    rx = await startOtlpReceiver();
    telemetry = await initTelemetry({
      serviceName: 'jobbers-manager',
      metricExportIntervalMs: 60_000,
      env: {
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: rx.url,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: rx.url,
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: rx.url,
      },
    });
    s = await createHttpStack();
    await createParkedQueue(s, 'parked');
  });
  afterAll(async () => {
    await s.close();
    await telemetry.shutdown();
    await rx.close();
  });

  it('stores the traceparent of the task.submit span with the task', async () => {
    const id = (await submit(s, { name: 'echo_task', version: 1, queue: 'parked' })).body.task.id;
    const stored = (await s.call({ method: 'GET', url: `/tasks/${id}` })).body.traceparent as string;
    const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(stored);
    expect(match, stored).not.toBeNull();
    await telemetry.forceFlush();
    const span = rx.spans().find((sp) => sp.name === 'task.submit' && sp.spanId === match?.[2]);
    expect(span).toMatchObject({ traceId: match?.[1], attributes: { 'task.name': 'echo_task' } });
  });

  it('gives every task of a bulk submission the batch span', async () => {
    const r = await s.call({
      method: 'POST',
      url: '/tasks/bulk',
      payload: {
        tasks: [
          { name: 'echo_task', version: 1, queue: 'parked' },
          { name: 'echo_task', version: 1, queue: 'parked' },
        ],
      },
    });
    const ids = r.body.results.map((x: { task: { id: string } }) => x.task.id);
    const parents = await Promise.all(
      ids.map(async (id: string) => (await s.call({ method: 'GET', url: `/tasks/${id}` })).body.traceparent),
    );
    expect(parents[0]).toMatch(/^00-/);
    expect(parents[1]).toBe(parents[0]);
  });

  it('counts accepted cancellations by queue and task, not refused ones', async () => {
    for (let i = 0; i < 2; i++) {
      const id = (await submit(s, { name: 'echo_task', version: 1, queue: 'parked' })).body.task.id;
      expect((await s.call({ method: 'POST', url: `/task/${id}/cancel` })).status).toBe(200);
      expect((await s.call({ method: 'POST', url: `/task/${id}/cancel` })).status).toBe(409);
    }
    await telemetry.forceFlush();
    const metric = rx.latestMetric('cancellations_requested');
    expect(metric?.dataPoints).toEqual([
      expect.objectContaining({ attributes: { queue: 'parked', task: 'echo_task' }, value: 2 }),
    ]);
  });
});

/**
 * A real, in-process OTLP/gRPC receiver for end-to-end telemetry tests.
 *
 * No collector can run here (see /work/shared/reference/dependencies.md §4), so this stands in for
 * one: a @grpc/grpc-js server answering the three OTLP Export methods, decoding each request with
 * the protobufjs root shipped by `otlp-pb` (an alias of @opentelemetry/otlp-transformer@0.208.0)
 * and flattening it into plain objects that are easy to assert on.
 *
 * Usage:
 *   const rx = await startOtlpReceiver();
 *   // point a process at it: OTEL_EXPORTER_OTLP_{METRICS,TRACES,LOGS}_ENDPOINT = rx.url
 *   await rx.waitFor((r) => r.spans().some((s) => s.name === 'task.execute'), 5_000);
 *   expect(rx.latestMetric('tasks_processed')?.dataPoints[0]?.value).toBe(1);
 *   await rx.close();
 *
 * Notes for test authors:
 * - Metrics are exported with cumulative temporality, so every export repeats every series:
 *   `metrics()` holds every copy received; `latestMetric(name)` is the last (most complete) one.
 * - Ids (traceId, spanId, parentSpanId) are lower-case hex; absent ids are `null`.
 * - Attribute values keep their OTLP type: int attributes become numbers, string ones strings.
 * - `respond: 'never'` makes the receiver accept calls and never answer, to test that exporters
 *   cannot block a process whose collector hangs.
 */
import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';

const require = createRequire(import.meta.url);
// The generated root is untyped (its .d.ts only says `protobuf.Root`), hence the local shapes below.
const root = require('otlp-pb/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: any; logs: any } };
};
const collector = root.opentelemetry.proto.collector;

export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };
export type Attrs = Record<string, AttrValue>;

export interface DecodedDataPoint {
  attributes: Attrs;
  /** Sum and gauge points. */
  value?: number;
  /** Histogram points. */
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  bucketCounts?: number[];
  explicitBounds?: number[];
  startTimeUnixNano?: string;
  timeUnixNano?: string;
}

export interface DecodedMetric {
  name: string;
  description: string;
  unit: string;
  kind: 'sum' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary' | 'unknown';
  /** For sums: true for counters, false for up-down counters. */
  monotonic?: boolean;
  temporality?: 'cumulative' | 'delta' | 'unspecified';
  dataPoints: DecodedDataPoint[];
  scope: string;
  resource: Attrs;
}

export interface DecodedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  kind: string;
  attributes: Attrs;
  status: { code: 'unset' | 'ok' | 'error'; message: string };
  events: Array<{ name: string; attributes: Attrs }>;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  scope: string;
  resource: Attrs;
}

export interface DecodedLog {
  body: AttrValue;
  severityText: string;
  severityNumber: number;
  traceId: string | null;
  spanId: string | null;
  attributes: Attrs;
  timeUnixNano: string;
  scope: string;
  resource: Attrs;
}

export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>`: the value for the OTEL_EXPORTER_OTLP_*_ENDPOINT variables. */
  url: string;
  port: number;
  metrics(): DecodedMetric[];
  /** The last received copy of a metric (cumulative exports repeat it), or undefined. */
  latestMetric(name: string): DecodedMetric | undefined;
  spans(): DecodedSpan[];
  logs(): DecodedLog[];
  /** Export requests received per signal (including undecodable ones). */
  requestCounts(): { metrics: number; traces: number; logs: number };
  /** Decoding failures; a healthy test expects this to stay empty. */
  errors(): string[];
  /** Forgets everything received so far (the server keeps running). */
  clear(): void;
  /** Resolves once `pred` holds; rejects after `timeoutMs` with a summary of what did arrive. */
  waitFor(pred: (receiver: OtlpReceiver) => boolean, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface OtlpReceiverOptions {
  /** 'ok' (default) answers every export; 'never' accepts calls and never answers. */
  respond?: 'ok' | 'never';
}

type Signal = 'metrics' | 'traces' | 'logs';

const SERVICES: Record<Signal, { path: string; decoder: any; flatten: (obj: any) => unknown[] }> = {
  traces: {
    path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    decoder: collector.trace.v1.ExportTraceServiceRequest,
    flatten: flattenSpans,
  },
  metrics: {
    path: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
    decoder: collector.metrics.v1.ExportMetricsServiceRequest,
    flatten: flattenMetrics,
  },
  logs: {
    path: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
    decoder: collector.logs.v1.ExportLogsServiceRequest,
    flatten: flattenLogs,
  },
};

// Only present fields, 64-bit integers as strings (no precision loss), bytes as base64, enums by name.
const TO_OBJECT = { longs: String, bytes: String, enums: String, defaults: false, arrays: true };

const identity = (b: Buffer): Buffer => b;

export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const store = { metrics: [] as DecodedMetric[], traces: [] as DecodedSpan[], logs: [] as DecodedLog[] };
  const counts = { metrics: 0, traces: 0, logs: 0 };
  const errors: string[] = [];
  const listeners = new Set<() => void>();
  const server = new grpc.Server();

  for (const signal of Object.keys(SERVICES) as Signal[]) {
    const svc = SERVICES[signal];
    const definition: grpc.ServiceDefinition = {
      Export: {
        path: svc.path,
        requestStream: false,
        responseStream: false,
        // Identity (de)serializers: we decode ourselves so that decode errors are visible to tests.
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    };
    server.addService(definition, {
      Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        counts[signal]++;
        try {
          const obj = svc.decoder.toObject(svc.decoder.decode(call.request), TO_OBJECT);
          (store[signal] as unknown[]).push(...svc.flatten(obj));
        } catch (err) {
          errors.push(`${signal}: ${String(err)}`);
        }
        for (const listener of listeners) listener();
        // An empty buffer is a valid (empty) Export*ServiceResponse.
        if (options.respond !== 'never') callback(null, Buffer.alloc(0));
      },
    });
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    );
  });

  const receiver: OtlpReceiver = {
    url: `http://127.0.0.1:${port}`,
    port,
    metrics: () => [...store.metrics],
    latestMetric: (name) => store.metrics.findLast((m) => m.name === name),
    spans: () => [...store.traces],
    logs: () => [...store.logs],
    requestCounts: () => ({ ...counts }),
    errors: () => [...errors],
    clear: () => {
      store.metrics.length = 0;
      store.traces.length = 0;
      store.logs.length = 0;
      errors.length = 0;
      counts.metrics = counts.traces = counts.logs = 0;
    },
    waitFor: (pred, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const check = (): boolean => {
          if (!pred(receiver)) return false;
          cleanup();
          resolve();
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`OTLP receiver: condition not met within ${timeoutMs} ms; received ${summary()}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        // A hanging receiver holds open calls that tryShutdown would wait for forever.
        if (options.respond === 'never') {
          server.forceShutdown();
          resolve();
          return;
        }
        const force = setTimeout(() => server.forceShutdown(), 2_000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };

  function summary(): string {
    const metricNames = [...new Set(store.metrics.map((m) => m.name))].join(', ');
    const spanNames = [...new Set(store.traces.map((s) => s.name))].join(', ');
    return (
      `${counts.metrics} metrics request(s) [${metricNames}], ${counts.traces} traces request(s) [${spanNames}], ` +
      `${counts.logs} logs request(s) with ${store.logs.length} record(s); decode errors: ${errors.length}`
    );
  }

  return receiver;
}

// ---- flattening (toObject output → plain records) ----

function hex(b64: string | undefined): string | null {
  if (!b64) return null;
  const h = Buffer.from(b64, 'base64').toString('hex');
  return h.length > 0 ? h : null;
}

function num(v: string | number | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}

function anyValue(v: any): AttrValue {
  if (!v) return null;
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return v.doubleValue;
  if ('boolValue' in v) return v.boolValue;
  if ('bytesValue' in v) return hex(v.bytesValue);
  if ('arrayValue' in v) return (v.arrayValue.values ?? []).map(anyValue);
  if ('kvlistValue' in v) return attrs(v.kvlistValue.values);
  return null;
}

function attrs(kvs: Array<{ key: string; value?: unknown }> | undefined): Attrs {
  const out: Attrs = {};
  for (const kv of kvs ?? []) out[kv.key] = anyValue(kv.value);
  return out;
}

function temporality(t: string | undefined): DecodedMetric['temporality'] {
  if (t === 'AGGREGATION_TEMPORALITY_CUMULATIVE') return 'cumulative';
  if (t === 'AGGREGATION_TEMPORALITY_DELTA') return 'delta';
  return 'unspecified';
}

function numberPoint(p: any): DecodedDataPoint {
  return {
    attributes: attrs(p.attributes),
    value: p.asDouble ?? num(p.asInt) ?? 0,
    startTimeUnixNano: p.startTimeUnixNano,
    timeUnixNano: p.timeUnixNano,
  };
}

function histogramPoint(p: any): DecodedDataPoint {
  return {
    attributes: attrs(p.attributes),
    count: num(p.count) ?? 0,
    sum: p.sum,
    min: p.min,
    max: p.max,
    bucketCounts: (p.bucketCounts ?? []).map(Number),
    explicitBounds: p.explicitBounds ?? [],
    startTimeUnixNano: p.startTimeUnixNano,
    timeUnixNano: p.timeUnixNano,
  };
}

/** Visits every item of an OTLP request: resource → scope → item (span, metric or log record). */
function each<T>(
  resources: any[] | undefined,
  scopesKey: string,
  itemsKey: string,
  fn: (item: any, scope: string, resource: Attrs) => T,
): T[] {
  return (resources ?? []).flatMap((r) => {
    const resource = attrs(r.resource?.attributes);
    return (r[scopesKey] ?? []).flatMap((s: any) =>
      (s[itemsKey] ?? []).map((item: any) => fn(item, s.scope?.name ?? '', resource)),
    );
  });
}

function flattenMetrics(req: any): DecodedMetric[] {
  return each(req.resourceMetrics, 'scopeMetrics', 'metrics', (m, scope, resource): DecodedMetric => {
    const base = { name: m.name, description: m.description ?? '', unit: m.unit ?? '', scope, resource };
    if (m.sum) {
      const dataPoints = (m.sum.dataPoints ?? []).map(numberPoint);
      return {
        ...base,
        kind: 'sum',
        monotonic: m.sum.isMonotonic ?? false,
        temporality: temporality(m.sum.aggregationTemporality),
        dataPoints,
      };
    }
    if (m.gauge) return { ...base, kind: 'gauge', dataPoints: (m.gauge.dataPoints ?? []).map(numberPoint) };
    if (m.histogram) {
      const dataPoints = (m.histogram.dataPoints ?? []).map(histogramPoint);
      return { ...base, kind: 'histogram', temporality: temporality(m.histogram.aggregationTemporality), dataPoints };
    }
    // Not produced by Jobbers' instruments; kept coarse (count and sum only).
    const kind = m.exponentialHistogram ? 'exponentialHistogram' : m.summary ? 'summary' : 'unknown';
    const raw = (m.exponentialHistogram ?? m.summary)?.dataPoints ?? [];
    const dataPoints = raw.map((p: any) => ({ attributes: attrs(p.attributes), count: num(p.count) ?? 0, sum: p.sum }));
    return { ...base, kind, dataPoints };
  });
}

const STATUS_CODES: Record<string, DecodedSpan['status']['code']> = {
  STATUS_CODE_OK: 'ok',
  STATUS_CODE_ERROR: 'error',
};

function flattenSpans(req: any): DecodedSpan[] {
  return each(req.resourceSpans, 'scopeSpans', 'spans', (s, scope, resource) => ({
    name: s.name,
    traceId: hex(s.traceId) ?? '',
    spanId: hex(s.spanId) ?? '',
    parentSpanId: hex(s.parentSpanId),
    kind: s.kind ?? 'SPAN_KIND_UNSPECIFIED',
    attributes: attrs(s.attributes),
    status: { code: STATUS_CODES[s.status?.code] ?? 'unset', message: s.status?.message ?? '' },
    events: (s.events ?? []).map((e: any) => ({ name: e.name, attributes: attrs(e.attributes) })),
    startTimeUnixNano: s.startTimeUnixNano,
    endTimeUnixNano: s.endTimeUnixNano,
    scope,
    resource,
  }));
}

// `enums: String` turns severity numbers into names; the generated enum maps them back.
const SEVERITY_NUMBER = root.opentelemetry.proto.logs.v1.SeverityNumber as Record<string, number>;

function flattenLogs(req: any): DecodedLog[] {
  return each(req.resourceLogs, 'scopeLogs', 'logRecords', (l, scope, resource) => ({
    body: anyValue(l.body),
    severityText: l.severityText ?? '',
    severityNumber: SEVERITY_NUMBER[l.severityNumber] ?? 0,
    traceId: hex(l.traceId),
    spanId: hex(l.spanId),
    attributes: attrs(l.attributes),
    timeUnixNano: l.timeUnixNano ?? '0',
    scope,
    resource,
  }));
}

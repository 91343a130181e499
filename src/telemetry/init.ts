/**
 * OpenTelemetry bootstrap for every Jobbers process (manager, worker, scheduler, cleaner).
 *
 * Metrics, traces and (opt-in) logs leave over OTLP/gRPC, one endpoint variable per signal, as in
 * the original (spec §10.1). Differences on purpose:
 * - `OTEL_LOGS_EXPORTER` is honoured (spec B25): unset/`none` → logs stay on stdout only,
 *   `otlp` → also exported; anything else is a configuration error.
 * - Exporters never block the process: each export times out after EXPORT_TIMEOUT_MS and
 *   `shutdown()`/`forceFlush()` give up after SHUTDOWN_DEADLINE_MS, so a missing or hanging
 *   collector costs at most a few seconds at exit and nothing while running.
 * - `service.instance.id` is `<hostname>:<pid>`, so two workers on one host stay distinguishable.
 *
 * The global API providers are registered here, so `metrics.getMeter`, `trace.getTracer` and
 * `logs.getLogger` work everywhere afterwards. Call `initTelemetry` once, first thing in `main`.
 */
import os from 'node:os';
import { context, diag, metrics, propagation, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

export type ServiceName = 'jobbers-manager' | 'jobbers-worker' | 'jobbers-scheduler' | 'jobbers-cleaner';

export interface InitTelemetryOptions {
  serviceName: ServiceName;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Overrides OTEL_METRIC_EXPORT_INTERVAL (tests use a few hundred ms). */
  metricExportIntervalMs?: number;
}

export interface TelemetryHandle {
  /** Flushes and stops every exporter; never takes longer than SHUTDOWN_DEADLINE_MS. */
  shutdown(): Promise<void>;
  /** Exports everything buffered now; never takes longer than SHUTDOWN_DEADLINE_MS. */
  forceFlush(): Promise<void>;
}

export interface TelemetrySettings {
  disabled: boolean;
  metricsEndpoint: string;
  tracesEndpoint: string;
  logsEndpoint: string;
  exportLogs: boolean;
  metricExportIntervalMs: number;
}

export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4317';
export const DEFAULT_METRIC_EXPORT_INTERVAL_MS = 60_000;
/** Per export request, including the exporter's own retries. */
export const EXPORT_TIMEOUT_MS = 5_000;
export const SHUTDOWN_DEADLINE_MS = 5_000;

const NOOP_HANDLE: TelemetryHandle = { shutdown: async () => {}, forceFlush: async () => {} };

let active: { serviceName: ServiceName } | null = null;

/** Parses and validates the telemetry variables; throws a message naming the bad variable. */
export function readTelemetrySettings(
  env: NodeJS.ProcessEnv,
  overrides: { metricExportIntervalMs?: number } = {},
): TelemetrySettings {
  const disabled = parseBoolean(env, 'OTEL_SDK_DISABLED');
  const logsExporter = (env.OTEL_LOGS_EXPORTER ?? '').trim().toLowerCase();
  if (!['', 'none', 'otlp'].includes(logsExporter)) {
    throw new Error(
      `OTEL_LOGS_EXPORTER must be "otlp" (export logs) or "none"/unset (stdout only); got "${env.OTEL_LOGS_EXPORTER}".`,
    );
  }
  let interval = overrides.metricExportIntervalMs;
  if (interval === undefined) {
    const raw = env.OTEL_METRIC_EXPORT_INTERVAL?.trim();
    interval = raw ? Number(raw) : DEFAULT_METRIC_EXPORT_INTERVAL_MS;
    if (!Number.isInteger(interval) || interval <= 0) {
      throw new Error(`OTEL_METRIC_EXPORT_INTERVAL must be a positive integer of milliseconds; got "${raw}".`);
    }
  } else if (!Number.isInteger(interval) || interval <= 0) {
    throw new Error(`metricExportIntervalMs must be a positive integer of milliseconds; got ${interval}.`);
  }
  return {
    disabled,
    metricsEndpoint: parseEndpoint(env, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'),
    tracesEndpoint: parseEndpoint(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'),
    logsEndpoint: parseEndpoint(env, 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'),
    exportLogs: logsExporter === 'otlp',
    metricExportIntervalMs: interval,
  };
}

/**
 * Starts metrics, traces and (when OTEL_LOGS_EXPORTER=otlp) log export and registers the global
 * providers. With OTEL_SDK_DISABLED=true nothing is registered and a no-op handle is returned.
 * Validation happens before anything is registered, so a bad variable leaves the process clean.
 * Calling it again while running throws; after `shutdown()` it may be called again.
 *
 * Note: the SDK itself also reads a few standard variables from process.env (not from
 * `opts.env`): OTEL_SDK_DISABLED, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER*, OTEL_LOG_LEVEL,
 * OTEL_EXPORTER_OTLP_*_HEADERS and similar exporter details.
 */
export async function initTelemetry(opts: InitTelemetryOptions): Promise<TelemetryHandle> {
  const settings = readTelemetrySettings(opts.env ?? process.env, {
    metricExportIntervalMs: opts.metricExportIntervalMs,
  });
  if (settings.disabled) return NOOP_HANDLE;
  if (active) {
    // The OTel API accepts one global provider per process; a second one would be silently ignored.
    throw new Error(
      `initTelemetry(${opts.serviceName}) called while telemetry for ${active.serviceName} is running; shut it down first.`,
    );
  }

  // Detected attributes (host.*, process.*, OTEL_RESOURCE_ATTRIBUTES) go first so that our
  // service.name / service.instance.id always win: they are part of the compatibility contract.
  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector, hostDetector, processDetector] }))
    .merge(
      resourceFromAttributes({
        'service.name': opts.serviceName,
        'service.instance.id': `${os.hostname()}:${process.pid}`,
      }),
    );

  const metricReader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: settings.metricsEndpoint, timeoutMillis: EXPORT_TIMEOUT_MS }),
    exportIntervalMillis: settings.metricExportIntervalMs,
    // The SDK requires timeout <= interval; short test intervals get short timeouts.
    exportTimeoutMillis: Math.min(EXPORT_TIMEOUT_MS, settings.metricExportIntervalMs),
  });
  const spanProcessor = new BatchSpanProcessor(
    new OTLPTraceExporter({ url: settings.tracesEndpoint, timeoutMillis: EXPORT_TIMEOUT_MS }),
    { exportTimeoutMillis: EXPORT_TIMEOUT_MS },
  );
  const logProcessors = settings.exportLogs
    ? [
        new BatchLogRecordProcessor({
          exporter: new OTLPLogExporter({ url: settings.logsEndpoint, timeoutMillis: EXPORT_TIMEOUT_MS }),
          exportTimeoutMillis: EXPORT_TIMEOUT_MS,
        }),
      ]
    : // An empty list still registers a LoggerProvider (so NodeSDK does not fall back to its own
      // OTEL_LOGS_EXPORTER handling, which defaults to exporting) whose loggers report
      // enabled() === false, letting createLogger skip the OTel path cheaply.
      [];

  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    metricReaders: [metricReader],
    spanProcessors: [spanProcessor],
    logRecordProcessors: logProcessors,
  });
  sdk.start();
  active = { serviceName: opts.serviceName };

  let stopped: Promise<void> | null = null;
  return {
    forceFlush: () =>
      withDeadline('forceFlush', async () => {
        // Spans and logs first: metrics recorded while they flush still make this export.
        await Promise.allSettled([spanProcessor.forceFlush(), ...logProcessors.map((p) => p.forceFlush())]);
        await metricReader.forceFlush();
      }),
    shutdown: () => {
      stopped ??= withDeadline('shutdown', () => sdk.shutdown()).finally(() => {
        // Unregister so the process can init again (tests) and late callers get no-ops, not errors.
        metrics.disable();
        trace.disable();
        logs.disable();
        propagation.disable();
        context.disable();
        active = null;
      });
      return stopped;
    },
  };
}

async function withDeadline(what: string, fn: () => Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), SHUTDOWN_DEADLINE_MS);
    timer.unref();
  });
  try {
    const outcome = await Promise.race([fn().then(() => 'done' as const), deadline]);
    if (outcome === 'timeout')
      diag.warn(`telemetry ${what} gave up after ${SHUTDOWN_DEADLINE_MS} ms (collector unreachable?)`);
  } catch (err) {
    // Export failures must never take the process down; they are reported through the OTel diag channel.
    diag.warn(`telemetry ${what} failed: ${String(err)}`);
  } finally {
    clearTimeout(timer);
  }
}

function parseBoolean(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase() ?? '';
  if (raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new Error(`${name} must be "true" or "false"; got "${env[name]}".`);
}

/** Signal variable, else the standard generic OTEL_EXPORTER_OTLP_ENDPOINT, else the default. */
function parseEndpoint(env: NodeJS.ProcessEnv, name: string): string {
  const source = env[name]?.trim()
    ? name
    : env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()
      ? 'OTEL_EXPORTER_OTLP_ENDPOINT'
      : null;
  if (!source) return DEFAULT_OTLP_ENDPOINT;
  const raw = (env[source] as string).trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${source} must be a URL such as ${DEFAULT_OTLP_ENDPOINT}; got "${raw}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${source} must use http:// (plaintext gRPC) or https:// (TLS); got "${raw}".`);
  }
  return raw;
}

/**
 * Process logger: pino JSON lines on stdout, mirrored to the OpenTelemetry logs API.
 *
 * Every record carries `trace_id`/`span_id` of the active span (pino mixin), so stdout lines can
 * be joined with traces. Each record is also emitted through `@opentelemetry/api-logs`; whether
 * it leaves the process is decided by initTelemetry (OTEL_LOGS_EXPORTER=otlp). When log export is
 * off, the OTel logger reports `enabled() === false` and the mirror costs one call per line.
 *
 * The mirror works on the serialized line (one JSON.parse) rather than on pino's call arguments
 * so that it sees exactly what stdout sees: interpolated message, serializers, child bindings.
 * pino writes synchronously from the logging call, so the OTel SDK picks up the caller's active
 * context and the exported record is correlated with the caller's span.
 */
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { logs, SeverityNumber, type LoggerProvider, type Logger as OtelLogger } from '@opentelemetry/api-logs';
import { pino } from 'pino';

export type Logger = pino.Logger;

export interface CreateLoggerOptions {
  /** Overrides LOG_LEVEL. */
  level?: string;
  /** Defaults to process.env (LOG_LEVEL is read from it). */
  env?: NodeJS.ProcessEnv;
  /** Where JSON lines go; defaults to stdout (synchronous, so lines survive process.exit). */
  destination?: pino.DestinationStream;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

// pino numeric level → OTel severity (https://opentelemetry.io/docs/specs/otel/logs/data-model/).
const SEVERITY: Record<number, { number: SeverityNumber; text: string }> = {
  10: { number: SeverityNumber.TRACE, text: 'TRACE' },
  20: { number: SeverityNumber.DEBUG, text: 'DEBUG' },
  30: { number: SeverityNumber.INFO, text: 'INFO' },
  40: { number: SeverityNumber.WARN, text: 'WARN' },
  50: { number: SeverityNumber.ERROR, text: 'ERROR' },
  60: { number: SeverityNumber.FATAL, text: 'FATAL' },
};

/** Creates the logger of one process; `service` is the OTel scope name and pino `name`. */
export function createLogger(service: string, opts: CreateLoggerOptions = {}): Logger {
  const env = opts.env ?? process.env;
  const level = (opts.level ?? env.LOG_LEVEL ?? 'info').trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${opts.level ?? env.LOG_LEVEL}".`);
  }
  const out = opts.destination ?? pino.destination({ dest: 1, sync: true });
  const mirror = otelMirror(service);
  const destination: pino.DestinationStream = {
    write(line: string) {
      out.write(line);
      mirror(line);
    },
  };
  return pino(
    {
      name: service,
      level,
      mixin() {
        const span = trace.getSpan(context.active());
        const ctx = span?.spanContext();
        return ctx && isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
      },
    },
    destination,
  );
}

/** Returns a function that forwards one serialized pino line to the OTel logs API. */
function otelMirror(scope: string): (line: string) => void {
  // Looked up per provider: loggers obtained before initTelemetry would otherwise stay detached
  // after a re-initialisation (tests) — the same reason instruments.ts keys its cache.
  let cached: { provider: LoggerProvider; logger: OtelLogger } | null = null;
  return (line) => {
    const provider = logs.getLoggerProvider();
    if (cached?.provider !== provider) cached = { provider, logger: provider.getLogger(scope) };
    const logger = cached.logger;
    if (!logger.enabled()) return;
    try {
      logger.emit(toLogRecord(JSON.parse(line) as Record<string, unknown>));
    } catch {
      // A log line that cannot be mirrored must never break the caller; stdout still has it.
    }
  };
}

function toLogRecord(rec: Record<string, unknown>) {
  // Fields represented elsewhere in OTLP: level → severity, time → timestamp, msg → body,
  // trace_id/span_id → the record's trace context, pid/hostname/name → the resource/scope.
  const { level, time, msg, err, trace_id: _t, span_id: _s, pid: _p, hostname: _h, name: _n, ...rest } = rec;
  const severity = SEVERITY[level as number] ?? { number: SeverityNumber.UNSPECIFIED, text: String(level) };
  const attributes: Record<string, any> = { ...rest };
  if (err && typeof err === 'object') {
    const e = err as { type?: string; message?: string; stack?: string };
    if (e.type) attributes['exception.type'] = e.type;
    if (e.message) attributes['exception.message'] = e.message;
    if (e.stack) attributes['exception.stacktrace'] = e.stack;
  }
  return {
    timestamp: typeof time === 'number' ? time : Date.now(),
    severityNumber: severity.number,
    severityText: severity.text,
    body: typeof msg === 'string' ? msg : '',
    attributes,
  };
}

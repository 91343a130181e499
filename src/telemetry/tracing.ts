/**
 * Trace propagation from submission to every attempt (the original had none, spec §10.1).
 *
 * The submitter runs inside `startSubmitSpan` and stores `currentTraceparent()` with the task
 * (TaskRecord.traceparent). That value never changes afterwards: the scheduler's dispatch span
 * and each attempt's `task.execute` span are children of the submit span, so one trace shows the
 * submission, every scheduling step and every attempt (retries included) side by side.
 *
 * The W3C propagator is used directly rather than the global one so that the stored format is
 * always a W3C `traceparent`, whatever propagator an embedding application registers.
 * Without initTelemetry (or with OTEL_SDK_DISABLED=true) every helper still runs `fn`; spans are
 * no-ops and `currentTraceparent()` returns null.
 */
import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  INVALID_SPAN_CONTEXT,
  SpanKind,
  SpanStatusCode,
  ProxyTracerProvider,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { core } from '@opentelemetry/sdk-node';

export type SpanAttrs = Record<string, string | number | boolean>;

/** Span names; dashboards and the e2e tests rely on them. */
export const SPAN_NAMES = {
  submit: 'task.submit',
  dispatch: 'task.dispatch',
  execute: 'task.execute',
} as const;

export const TRACER_NAME = 'jobbers';

const w3c = new core.W3CTraceContextPropagator();
const NOOP_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
/** The API's no-op provider: what the global proxy delegates to until a real one is registered. */
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();

/** W3C traceparent of the active span (`00-<trace id>-<span id>-<flags>`), or null when none. */
export function currentTraceparent(ctx: Context = context.active()): string | null {
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, defaultTextMapSetter);
  return carrier.traceparent ?? null;
}

/**
 * Runs `fn` inside a `task.submit` span (child of whatever is active, e.g. an HTTP request span).
 * Call `currentTraceparent()` inside `fn` to get the value to store with the task.
 */
export function startSubmitSpan<T>(taskName: string, attrs: SpanAttrs, fn: (span: Span) => Promise<T> | T): Promise<T> {
  if (!tracingActive()) {
    // No tracer: skip building a span that would be a no-op (a submission is a hot path).
    try {
      return Promise.resolve(fn(NOOP_SPAN));
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }
  return runSpan(SPAN_NAMES.submit, SpanKind.PRODUCER, context.active(), { 'task.name': taskName, ...attrs }, fn);
}

/** A task span's parent (the carried traceparent, else the active context) and kind. */
function taskSpanPlace(traceparent: string | null, name: string): { parent: Context; kind: SpanKind } {
  const parent = traceparent ? w3c.extract(context.active(), { traceparent }, defaultTextMapGetter) : context.active();
  return { parent, kind: name === SPAN_NAMES.execute ? SpanKind.CONSUMER : SpanKind.INTERNAL };
}

/**
 * Runs `fn` inside a span (default use: `SPAN_NAMES.execute`, one per attempt) that is a child of
 * the carried `traceparent`; with no (or an unparsable) traceparent the span is a child of the
 * active context. On failure the exception is recorded, the status set to ERROR, and the error
 * rethrown.
 */
export function runInTaskSpan<T>(
  traceparent: string | null,
  name: string,
  attrs: SpanAttrs,
  fn: (span: Span) => Promise<T> | T,
): Promise<T> {
  const { parent, kind } = taskSpanPlace(traceparent, name);
  return runSpan(name || SPAN_NAMES.execute, kind, parent, attrs, fn);
}

/**
 * False while no tracer provider is registered (no initTelemetry, or OTEL_SDK_DISABLED=true): then
 * every span would be a no-op, and hot paths can skip building them.
 */
export function tracingActive(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NOOP_TRACER_PROVIDER;
}

/** An open span for work that settles through callbacks rather than one promise. */
export interface SpanScope {
  /** Runs `fn` with the span active (log lines and child spans inside it belong to it). */
  run<T>(fn: () => T): T;
  /** Ends the span; with an error message its status is ERROR. */
  end(errorMessage?: string): void;
}

/** Like runInTaskSpan, for callback-style work: the caller ends the span when the work settles. */
export function openTaskSpan(traceparent: string | null, name: string, attrs: SpanAttrs): SpanScope {
  const { parent, kind } = taskSpanPlace(traceparent, name);
  const span = trace.getTracer(TRACER_NAME).startSpan(name, { kind, attributes: attrs }, parent);
  const active = trace.setSpan(parent, span);
  return {
    run: (fn) => context.with(active, fn),
    end(errorMessage) {
      if (errorMessage !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage });
      span.end();
    },
  };
}

async function runSpan<T>(
  name: string,
  kind: SpanKind,
  parent: Context,
  attributes: SpanAttrs,
  fn: (span: Span) => Promise<T> | T,
): Promise<T> {
  const span = trace.getTracer(TRACER_NAME).startSpan(name, { kind, attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    span.recordException(err instanceof Error ? err : String(err));
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    span.end();
  }
}

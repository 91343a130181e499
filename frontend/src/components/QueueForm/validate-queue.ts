/**
 * Queue form values → request body, checked with the server's own request schema
 * (`requestSchemas.createQueue`) plus the one rule the schema cannot express: the three rate
 * fields are set together or not at all.
 */
import { validate } from '../../api/json-schema';
import { requestSchemas } from '../../api/schema.gen';
import type { QueueConfig, QueueConfigBody, RatePeriod } from '../../api/types';

export interface QueueFormValues {
  name: string;
  max_concurrent: string;
  rate_numerator: string;
  rate_denominator: string;
  rate_period: string;
}

export type QueueFormErrors = Partial<Record<keyof QueueFormValues, string>>;

export const RATE_PERIODS: readonly RatePeriod[] = ['second', 'minute', 'hour', 'day'];

export function toFormValues(q: QueueConfig | null): QueueFormValues {
  const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));
  if (!q) return { name: '', max_concurrent: '10', rate_numerator: '', rate_denominator: '', rate_period: '' };
  return {
    name: q.name,
    max_concurrent: text(q.max_concurrent),
    rate_numerator: text(q.rate_numerator),
    rate_denominator: text(q.rate_denominator),
    rate_period: q.rate_period ?? '',
  };
}

/** '' → null, digits → number; anything else stays text so the schema reports it. */
function num(text: string): number | string | null {
  const t = text.trim();
  if (t === '') return null;
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

export function validateQueueForm(v: QueueFormValues): { body: QueueConfigBody | null; errors: QueueFormErrors } {
  const errors: QueueFormErrors = {};
  const candidate = {
    name: v.name.trim(),
    max_concurrent: num(v.max_concurrent),
    rate_numerator: num(v.rate_numerator),
    rate_denominator: num(v.rate_denominator),
    rate_period: v.rate_period === '' ? null : v.rate_period,
  };
  if (candidate.name === '') errors.name = 'A queue needs a name';
  for (const p of validate(requestSchemas.createQueue, candidate)) {
    const field = p.path.split('.')[0] as keyof QueueFormValues;
    if (field in v && !errors[field]) errors[field] = p.message;
  }
  const rate = ['rate_numerator', 'rate_denominator', 'rate_period'] as const;
  const set = rate.filter((f) => candidate[f] !== null);
  if (set.length > 0 && set.length < rate.length) {
    for (const f of rate)
      if (candidate[f] === null) errors[f] = 'set tasks, window and period together (or leave all empty)';
  }
  if (Object.keys(errors).length > 0) return { body: null, errors };
  return { body: candidate as QueueConfigBody, errors };
}

/** `5 per minute`, `100 per 10 seconds`, or `none`. */
export function rateLabel(q: Pick<QueueConfig, 'rate_numerator' | 'rate_denominator' | 'rate_period'>): string {
  if (q.rate_numerator === null || q.rate_denominator === null || q.rate_period === null) return 'none';
  const window = q.rate_denominator === 1 ? q.rate_period : `${q.rate_denominator} ${q.rate_period}s`;
  return `${q.rate_numerator} per ${window}`;
}

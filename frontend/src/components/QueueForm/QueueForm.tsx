import { useState, type FormEvent } from 'react';
import type { QueueConfig, QueueConfigBody } from '../../api/types';
import { ErrorNotice } from '../ErrorNotice/ErrorNotice';
import styles from './QueueForm.module.css';
import {
  RATE_PERIODS,
  toFormValues,
  validateQueueForm,
  type QueueFormErrors,
  type QueueFormValues,
} from './validate-queue';

interface Props {
  /** The queue being edited; null creates a new one. */
  queue: QueueConfig | null;
  onSubmit: (body: QueueConfigBody) => void;
  onCancel?: () => void;
  pending?: boolean;
  error?: unknown;
}

/** Create or edit a queue's concurrency and rate limits; validated before anything is sent. */
export function QueueForm({ queue, onSubmit, onCancel, pending, error }: Props) {
  const [values, setValues] = useState<QueueFormValues>(() => toFormValues(queue));
  const [errors, setErrors] = useState<QueueFormErrors>({});
  const isNew = queue === null;

  const field = (name: keyof QueueFormValues, label: string, extra: { placeholder?: string; size?: number } = {}) => (
    <label className={styles.field}>
      {label}
      <input
        aria-label={label}
        value={values[name]}
        aria-invalid={errors[name] ? true : undefined}
        onChange={(e) => setValues({ ...values, [name]: e.target.value })}
        {...extra}
      />
      {errors[name] && <span className={styles.error}>{errors[name]}</span>}
    </label>
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = validateQueueForm(values);
    setErrors(result.errors);
    if (result.body) onSubmit(result.body);
  };

  return (
    <form
      className={styles.form}
      onSubmit={submit}
      noValidate
      aria-label={isNew ? 'New queue' : `Edit queue ${queue.name}`}
    >
      <div className={styles.row}>
        {isNew ? (
          field('name', 'Name', { placeholder: 'e.g. emails' })
        ) : (
          <strong className={styles.name}>{queue.name}</strong>
        )}
        {field('max_concurrent', 'Max concurrent', { placeholder: 'unlimited', size: 8 })}
        <fieldset className={styles.rate}>
          <legend>Rate limit (optional)</legend>
          {field('rate_numerator', 'Tasks', { size: 6 })}
          <span className={styles.per}>per</span>
          {field('rate_denominator', 'Window', { size: 4, placeholder: '1' })}
          <label className={styles.field}>
            Period
            <select
              aria-label="Period"
              value={values.rate_period}
              aria-invalid={errors.rate_period ? true : undefined}
              onChange={(e) => setValues({ ...values, rate_period: e.target.value })}
            >
              <option value="">—</option>
              {RATE_PERIODS.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
            {errors.rate_period && <span className={styles.error}>{errors.rate_period}</span>}
          </label>
        </fieldset>
        <div className={styles.buttons}>
          <button type="submit" className="primary" disabled={pending}>
            {isNew ? 'Create queue' : 'Save'}
          </button>
          {onCancel && (
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          )}
        </div>
      </div>
      <p className={styles.hint}>
        Max concurrent: running tasks at once across all workers; empty or 0 means unlimited.
      </p>
      {error !== undefined && error !== null && <ErrorNotice error={error} title="Not saved" />}
    </form>
  );
}

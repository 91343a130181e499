import type { AttemptError } from '../../api/types';
import { formatTime } from '../../utils/format';
import styles from './AttemptErrors.module.css';

/** Every failed attempt, oldest first: attempt number, when, error class and message. */
export function AttemptErrors({ errors }: { errors: readonly AttemptError[] }) {
  if (errors.length === 0) return <p className="muted">No attempt failed.</p>;
  return (
    <ol className={styles.list}>
      {errors.map((e, i) => (
        <li key={`${e.attempt}-${i}`} className={styles.item}>
          <div className={styles.meta}>
            <strong>Attempt {e.attempt + 1}</strong>
            <span>{formatTime(e.timestamp)}</span>
            {e.type && <code className={styles.type}>{e.type}</code>}
          </div>
          <pre className={styles.message}>{e.error}</pre>
        </li>
      ))}
    </ol>
  );
}

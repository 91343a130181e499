import type { TaskStatus } from '../../api/types';
import styles from './StatusPill.module.css';

/** A task status as a coloured pill (colours of the original console, spec §9.2). */
export function StatusPill({ status }: { status: TaskStatus | null | undefined }) {
  const name = status ?? 'unknown';
  return <span className={`${styles.pill} ${styles[name] ?? styles.unknown}`}>{name}</span>;
}

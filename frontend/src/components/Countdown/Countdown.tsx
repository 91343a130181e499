import { formatDuration, formatTime } from '../../utils/format';
import styles from './Countdown.module.css';

/** Time left until `at` ("in 2m 05s"), or how overdue it is; the exact time on hover. */
export function Countdown({ at, now }: { at: string | null | undefined; now: number }) {
  if (!at) return <span className="muted">—</span>;
  const left = Date.parse(at) - now;
  return (
    <span title={formatTime(at)} className={left <= 0 ? styles.due : styles.waiting}>
      {left > 0 ? `in ${formatDuration(left)}` : left > -5000 ? 'due now' : `overdue ${formatDuration(left)}`}
    </span>
  );
}

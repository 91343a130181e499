import { Link } from 'react-router';
import { STATUS_ORDER, type QueueStats } from '../../api/types';
import { formatDuration } from '../../utils/format';
import { StatusPill } from '../StatusPill/StatusPill';
import styles from './QueueStatsTable.module.css';

/** Per-queue counts by status; every non-zero count links to the filtered task list. */
export function QueueStatsTable({ stats }: { stats: readonly QueueStats[] }) {
  const total = (q: QueueStats) => STATUS_ORDER.reduce((n, s) => n + q.counts[s], 0);
  return (
    <div className="scroll-x">
      <table>
        <thead>
          <tr>
            <th>Queue</th>
            {STATUS_ORDER.map((s) => (
              <th key={s} className="num">
                <StatusPill status={s} />
              </th>
            ))}
            <th className="num">Total</th>
            <th className="num">Dead letters</th>
            <th className="num">Oldest waiting</th>
          </tr>
        </thead>
        <tbody>
          {stats.map((q) => (
            <tr key={q.queue}>
              <td>
                <Link to={`/tasks?queue=${encodeURIComponent(q.queue)}`}>{q.queue}</Link>
              </td>
              {STATUS_ORDER.map((s) => (
                <td key={s} className={`num ${q.counts[s] === 0 ? styles.zero : ''}`}>
                  {q.counts[s] === 0 ? (
                    '0'
                  ) : (
                    <Link to={`/tasks?queue=${encodeURIComponent(q.queue)}&status=${s}`}>{q.counts[s]}</Link>
                  )}
                </td>
              ))}
              <td className="num">{total(q)}</td>
              <td className={`num ${q.dlq === 0 ? styles.zero : styles.dlq}`}>
                {q.dlq === 0 ? '0' : <Link to={`/dlq?queue=${encodeURIComponent(q.queue)}`}>{q.dlq}</Link>}
              </td>
              <td className="num">
                {q.oldest_waiting_age_ms === null ? '—' : formatDuration(q.oldest_waiting_age_ms)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

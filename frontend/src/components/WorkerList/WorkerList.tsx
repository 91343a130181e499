import { Link } from 'react-router';
import type { WorkerInfo } from '../../api/types';
import { formatRelative } from '../../utils/format';
import styles from './WorkerList.module.css';

/** Live workers: where they run, what they serve, how full they are, what they run now. */
export function WorkerList({ workers, now }: { workers: readonly WorkerInfo[]; now: number }) {
  return (
    <div className="scroll-x">
      <table>
        <thead>
          <tr>
            <th>Worker</th>
            <th>Role</th>
            <th>Queues</th>
            <th>State</th>
            <th className="num">Busy</th>
            <th>Running</th>
            <th>Up since</th>
            <th>Last seen</th>
          </tr>
        </thead>
        <tbody>
          {workers.map((w) => (
            <tr key={w.id}>
              <td>
                <span className="mono">{w.host}</span> <span className="muted">pid {w.pid}</span>
              </td>
              <td>{w.role}</td>
              <td className="wrap">{w.queues.join(', ') || <span className="muted">none</span>}</td>
              <td>{w.state}</td>
              <td className="num">
                <meter min={0} max={Math.max(1, w.concurrency)} value={w.running.length} className={styles.meter} />{' '}
                {w.running.length}/{w.concurrency}
              </td>
              <td className="mono">
                <div className={styles.running}>
                  {w.running.map((id) => (
                    <Link key={id} to={`/tasks/${id}`}>
                      {id}
                    </Link>
                  ))}
                </div>
              </td>
              <td>{formatRelative(w.started_at, now)}</td>
              <td>{formatRelative(w.last_seen, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

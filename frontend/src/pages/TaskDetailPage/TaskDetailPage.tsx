import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type { TaskDetail } from '../../api/types';
import { AttemptErrors } from '../../components/AttemptErrors/AttemptErrors';
import { JsonBlock } from '../../components/JsonBlock/JsonBlock';
import { QueryState } from '../../components/QueryState/QueryState';
import { StatusPill } from '../../components/StatusPill/StatusPill';
import { TaskActions } from '../../components/TaskActions/TaskActions';
import { useNow } from '../../hooks/useNow';
import { useTask } from '../../hooks/useTasks';
import { formatRelative, formatTime } from '../../utils/format';
import styles from './TaskDetailPage.module.css';

const TIMESTAMPS: ReadonlyArray<[keyof TaskDetail, string]> = [
  ['created_at', 'Created'],
  ['submitted_at', 'Submitted'],
  ['scheduled_at', 'Scheduled for'],
  ['started_at', 'First started'],
  ['retried_at', 'Latest retry'],
  ['attempt_started_at', 'Attempt started'],
  ['heartbeat_at', 'Last heartbeat'],
  ['lease_expires_at', 'Lease expires'],
  ['completed_at', 'Finished'],
];

function Facts({ task, now }: { task: TaskDetail; now: number }) {
  const facts: Array<[string, ReactNode]> = [
    ['Queue', <Link to={`/tasks?queue=${encodeURIComponent(task.queue)}`}>{task.queue}</Link>],
    ['Attempt', `${task.retry_attempt + 1} of ${task.max_retries + 1}`],
    ['Starts', task.starts],
    ['Dead letters', task.dead_letter_policy === 'save' ? 'kept in the DLQ' : 'not kept'],
    ['Lost lease', task.lease_expiry_policy === 'requeue' ? 'requeue' : 'mark stalled'],
    ...TIMESTAMPS.filter(([k]) => task[k]).map(([k, label]): [string, ReactNode] => [
      label,
      <span title={String(task[k])}>
        {formatTime(task[k] as string)} <span className="muted">({formatRelative(task[k] as string, now)})</span>
      </span>,
    ]),
  ];
  if (task.traceparent) facts.push(['Trace', <code>{task.traceparent}</code>]);
  return (
    <dl className={styles.facts}>
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export default function TaskDetailPage() {
  const { taskId = '' } = useParams();
  const task = useTask(taskId);
  const now = useNow();
  return (
    <QueryState query={task}>
      {(t) => (
        <>
          <div className={styles.head}>
            <h1>
              {t.name} <span className="muted">v{t.version}</span>
            </h1>
            <StatusPill status={t.status} />
            <code className={styles.id}>{t.id}</code>
            <span className="spacer" />
            <TaskActions task={t} />
          </div>
          <div className={styles.columns}>
            <section className="panel">
              <h2>Details</h2>
              <Facts task={t} now={now} />
            </section>
            <div>
              <section className="panel">
                <h2>Parameters</h2>
                <JsonBlock value={t.parameters} empty="none" />
              </section>
              <section className="panel">
                <h2>Results</h2>
                <JsonBlock value={t.results} empty={t.status === 'completed' ? 'none' : 'not finished'} />
              </section>
            </div>
          </div>
          <section className="panel">
            <h2>Errors ({t.errors.length})</h2>
            <AttemptErrors errors={t.errors} />
          </section>
        </>
      )}
    </QueryState>
  );
}

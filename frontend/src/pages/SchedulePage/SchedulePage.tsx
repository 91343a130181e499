import { useMemo, useState } from 'react';
import type { ScheduledQuery } from '../../api/types';
import { Countdown } from '../../components/Countdown/Countdown';
import { QueryState } from '../../components/QueryState/QueryState';
import { TaskFilters, versionFilter } from '../../components/TaskFilters/TaskFilters';
import { TaskTable } from '../../components/TaskTable/TaskTable';
import { useQueues } from '../../hooks/useConfig';
import { useNow } from '../../hooks/useNow';
import { useScheduledTasks } from '../../hooks/useTasks';
import { useUrlState } from '../../hooks/useUrlState';
import { formatTime } from '../../utils/format';
import styles from './SchedulePage.module.css';

const DEFAULTS = { queue: '', status: '', task_name: '', task_version: '', limit: '50', start: '' };

/** Tasks waiting for a run time (scheduled tasks and delayed retries), pages by id cursor. */
export default function SchedulePage() {
  const [values, update] = useUrlState(DEFAULTS);
  const queues = useQueues();
  const queue = values.queue || (queues.data?.includes('default') ? 'default' : (queues.data?.[0] ?? ''));
  const limit = Number(values.limit) || 50;
  // Cursors of the pages before this one, for "Previous" (the API pages forward only).
  const [previous, setPrevious] = useState<string[]>([]);
  const now = useNow();

  const query = useMemo<ScheduledQuery | null>(
    () =>
      queue
        ? {
            queue,
            limit,
            start: values.start || undefined,
            task_name: values.task_name || undefined,
            task_version: versionFilter(values.task_version),
          }
        : null,
    [queue, limit, values.start, values.task_name, values.task_version],
  );
  const list = useScheduledTasks(query);
  const filter = (patch: Partial<typeof DEFAULTS>) => {
    setPrevious([]);
    update({ ...patch, start: '' });
  };
  const next = (lastId: string) => {
    setPrevious((p) => [...p, values.start]);
    update({ start: lastId });
  };
  const back = () => {
    update({ start: previous[previous.length - 1] ?? '' });
    setPrevious((p) => p.slice(0, -1));
  };

  return (
    <>
      <h1>Schedule</h1>
      <div className="toolbar">
        <TaskFilters values={{ ...values, queue }} onChange={filter} showStatus={false} />
        <label>
          Per page
          <select aria-label="Per page" value={String(limit)} onChange={(e) => filter({ limit: e.target.value })}>
            {['20', '50', '100'].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
      </div>
      {query === null && !queues.isPending ? (
        <div className="panel muted">No queue exists yet: create one on the Queues page.</div>
      ) : (
        <QueryState
          query={list}
          isEmpty={(d) => d.length === 0 && !values.start}
          empty="Nothing is waiting for a run time in this queue."
        >
          {(tasks) => (
            <>
              <TaskTable
                tasks={tasks}
                showQueue={false}
                extra={[
                  { header: 'Runs at', cell: (t) => formatTime(t.scheduled_at) },
                  { header: 'Countdown', cell: (t) => <Countdown at={t.scheduled_at} now={now} /> },
                ]}
              />
              <div className={styles.pager}>
                <button type="button" disabled={!values.start} onClick={back}>
                  ‹ Previous
                </button>
                <button
                  type="button"
                  disabled={tasks.length < limit}
                  onClick={() => next(tasks[tasks.length - 1]?.id ?? '')}
                >
                  Next ›
                </button>
              </div>
            </>
          )}
        </QueryState>
      )}
    </>
  );
}

import { useMemo, useState } from 'react';
import type { DeadLetterQuery } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton/ConfirmButton';
import { DeadLetterHistory } from '../../components/DeadLetterHistory/DeadLetterHistory';
import { ErrorNotice } from '../../components/ErrorNotice/ErrorNotice';
import { Notice } from '../../components/Notice/Notice';
import { QueryState } from '../../components/QueryState/QueryState';
import { TaskFilters, versionFilter } from '../../components/TaskFilters/TaskFilters';
import { TaskTable } from '../../components/TaskTable/TaskTable';
import { useDeadLetters, useRemoveDeadLetters, useResubmitDeadLetters } from '../../hooks/useDeadLetters';
import { useSelection } from '../../hooks/useSelection';
import { useUrlState } from '../../hooks/useUrlState';
import { plural } from '../../utils/format';
import styles from './DeadLetterPage.module.css';

const DEFAULTS = { queue: '', status: '', task_name: '', task_version: '', limit: '100' };

export default function DeadLetterPage() {
  const [values, update] = useUrlState(DEFAULTS);
  const query = useMemo<DeadLetterQuery>(
    () => ({
      queue: values.queue || undefined,
      task_name: values.task_name || undefined,
      task_version: versionFilter(values.task_version),
      limit: Number(values.limit) || 100,
    }),
    [values],
  );
  const list = useDeadLetters(query);
  const ids = useMemo(() => list.data?.map((t) => t.id) ?? [], [list.data]);
  const selection = useSelection(ids);
  const resubmit = useResubmitDeadLetters();
  const remove = useRemoveDeadLetters();
  const [reset, setReset] = useState(true);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const hasFilter = Boolean(query.queue || query.task_name || query.task_version !== undefined);
  const n = selection.selected.length;

  const toggleHistory = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const done = (text: string) => {
    setNotice(text);
    selection.clear();
  };
  const resubmitSelected = () =>
    resubmit.mutate(
      { task_ids: selection.selected, reset_retry_count: reset },
      { onSuccess: (r) => done(`${plural(r.resubmitted, 'task')} resubmitted.`) },
    );
  const resubmitMatching = () =>
    resubmit.mutate(
      {
        queue: query.queue,
        task_name: query.task_name,
        task_version: query.task_version,
        limit: query.limit,
        reset_retry_count: reset,
      },
      { onSuccess: (r) => done(`${plural(r.resubmitted, 'task')} resubmitted.`) },
    );
  const removeSelected = () =>
    remove.mutate(selection.selected, {
      onSuccess: (r) => done(`${plural(r.removed, 'entry', 'entries')} removed from the dead-letter queue.`),
    });

  return (
    <>
      <h1>Dead letter queue</h1>
      <div className="toolbar">
        <TaskFilters values={values} onChange={update} anyQueueLabel="all queues" showStatus={false} />
        <label>
          Show
          <select aria-label="Show" value={values.limit} onChange={(e) => update({ limit: e.target.value })}>
            {['50', '100', '500', '1000'].map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        <label className={styles.check}>
          <input type="checkbox" checked={reset} onChange={(e) => setReset(e.target.checked)} /> reset retry count
        </label>
        <ConfirmButton
          danger={false}
          className="primary"
          disabled={n === 0 || resubmit.isPending}
          title={`Resubmit ${plural(n, 'task')}?`}
          message="They go back to their queues; their error history is kept."
          confirmLabel="Resubmit"
          onConfirm={resubmitSelected}
        >
          Resubmit selected ({n})
        </ConfirmButton>
        <ConfirmButton
          disabled={!hasFilter || resubmit.isPending}
          title="Resubmit every matching task?"
          message={`Up to ${query.limit} dead-lettered tasks matching the filters go back to their queues.`}
          confirmLabel="Resubmit all"
          onConfirm={resubmitMatching}
          danger={false}
        >
          Resubmit all matching
        </ConfirmButton>
        <ConfirmButton
          disabled={n === 0 || remove.isPending}
          title={`Delete ${plural(n, 'entry', 'entries')}?`}
          message="They leave the dead-letter queue for good (the task records stay until the cleaner prunes them)."
          confirmLabel="Delete"
          onConfirm={removeSelected}
        >
          Delete selected ({n})
        </ConfirmButton>
      </div>
      {notice && <Notice onClose={() => setNotice(null)}>{notice}</Notice>}
      {resubmit.isError && <ErrorNotice error={resubmit.error} title="Resubmit failed" />}
      {remove.isError && <ErrorNotice error={remove.error} title="Delete failed" />}
      <QueryState
        query={list}
        isEmpty={(d) => d.length === 0}
        empty={hasFilter ? 'No dead-lettered task matches these filters.' : 'The dead-letter queue is empty.'}
      >
        {(tasks) => (
          <TaskTable
            tasks={tasks}
            selection={selection}
            extra={[
              {
                header: 'History',
                cell: (t) => (
                  <button type="button" onClick={() => toggleHistory(t.id)}>
                    {open.has(t.id) ? 'Hide' : 'Errors'}
                  </button>
                ),
              },
            ]}
            expanded={(t) => (open.has(t.id) ? <DeadLetterHistory taskId={t.id} /> : null)}
          />
        )}
      </QueryState>
    </>
  );
}

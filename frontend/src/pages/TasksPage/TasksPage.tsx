import { useMemo, useState } from 'react';
import type { BulkCancelResult, TaskListQuery, TaskStatus } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice/ErrorNotice';
import { Notice } from '../../components/Notice/Notice';
import { Pagination } from '../../components/Pagination/Pagination';
import { QueryState } from '../../components/QueryState/QueryState';
import { TaskFilters, versionFilter } from '../../components/TaskFilters/TaskFilters';
import { TaskTable } from '../../components/TaskTable/TaskTable';
import { useQueues } from '../../hooks/useConfig';
import { useSelection } from '../../hooks/useSelection';
import { useCancelTasks, useTaskList } from '../../hooks/useTasks';
import { useUrlState } from '../../hooks/useUrlState';
import { plural } from '../../utils/format';

const DEFAULTS = {
  queue: '',
  status: '',
  task_name: '',
  task_version: '',
  limit: '20',
  offset: '0',
  order_by: 'submitted_at',
};
const PAGE_SIZES = ['10', '20', '50', '100'];

export function summarizeCancel(results: readonly BulkCancelResult[]): string {
  const count = (pred: (r: BulkCancelResult) => boolean) => results.filter(pred).length;
  const parts = [
    `${count((r) => r.task_status === 'cancelled')} cancelled`,
    `${count((r) => r.status === 'cancellation_requested' && r.task_status !== 'cancelled')} asked to stop`,
  ];
  const missing = count((r) => r.status === 'not_found');
  const failed = results.filter((r) => r.status === 'error');
  if (missing) parts.push(`${missing} not found`);
  if (failed.length) parts.push(`${failed.length} refused (${failed[0]?.detail ?? 'error'})`);
  return parts.join(', ');
}

export default function TasksPage() {
  const [values, update] = useUrlState(DEFAULTS);
  const queues = useQueues();
  const fallbackQueue = queues.data?.includes('default') ? 'default' : (queues.data?.[0] ?? '');
  const queue = values.queue || fallbackQueue;
  const limit = Number(values.limit) || 20;
  const offset = Number(values.offset) || 0;

  const query = useMemo<TaskListQuery | null>(
    () =>
      queue
        ? {
            queue,
            limit,
            offset,
            order_by: values.order_by === 'task_id' ? 'task_id' : 'submitted_at',
            status: (values.status || undefined) as TaskStatus | undefined,
            task_name: values.task_name || undefined,
            task_version: versionFilter(values.task_version),
          }
        : null,
    [queue, limit, offset, values.order_by, values.status, values.task_name, values.task_version],
  );
  const list = useTaskList(query);
  const ids = useMemo(() => list.data?.tasks.map((t) => t.id) ?? [], [list.data]);
  const selection = useSelection(ids);
  const cancel = useCancelTasks();
  const [notice, setNotice] = useState<string | null>(null);

  /** Any filter change starts again at the first page. */
  const filter = (patch: Partial<typeof DEFAULTS>) => update({ ...patch, offset: '0' });
  const cancelSelected = () =>
    cancel.mutate(selection.selected, {
      onSuccess: (r) => {
        setNotice(summarizeCancel(r.results));
        selection.clear();
      },
    });

  return (
    <>
      <h1>Tasks</h1>
      <div className="toolbar">
        <TaskFilters values={{ ...values, queue }} onChange={filter} />
        <label>
          Order
          <select aria-label="Order" value={values.order_by} onChange={(e) => filter({ order_by: e.target.value })}>
            <option value="submitted_at">by state, then time</option>
            <option value="task_id">by id (submission order)</option>
          </select>
        </label>
        <label>
          Per page
          <select aria-label="Per page" value={String(limit)} onChange={(e) => filter({ limit: e.target.value })}>
            {PAGE_SIZES.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        <ConfirmButton
          disabled={selection.selected.length === 0 || cancel.isPending}
          title={`Cancel ${plural(selection.selected.length, 'task')}?`}
          message="Waiting tasks are cancelled at once; running tasks are asked to stop. Finished tasks are not affected."
          confirmLabel="Cancel tasks"
          onConfirm={cancelSelected}
        >
          Cancel selected ({selection.selected.length})
        </ConfirmButton>
      </div>
      {notice && <Notice onClose={() => setNotice(null)}>{notice}</Notice>}
      {cancel.isError && <ErrorNotice error={cancel.error} title="Cancel failed" />}
      {query === null && !queues.isPending ? (
        <div className="panel muted">No queue exists yet: create one on the Queues page.</div>
      ) : (
        <QueryState
          query={list}
          isEmpty={(d) => d.tasks.length === 0 && offset === 0}
          empty="No task matches these filters."
        >
          {(d) => (
            <>
              <TaskTable tasks={d.tasks} selection={selection} showQueue={false} />
              <Pagination
                total={d.total}
                limit={limit}
                offset={offset}
                onChange={(o) => update({ offset: String(o) })}
              />
            </>
          )}
        </QueryState>
      )}
    </>
  );
}

import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { TaskSummary } from '../../api/types';
import { formatParams, formatTime } from '../../utils/format';
import { StatusPill } from '../StatusPill/StatusPill';
import styles from './TaskTable.module.css';

export interface Column<T> {
  header: string;
  cell: (task: T) => ReactNode;
  className?: string;
}

export interface TableSelection {
  selected: readonly string[];
  isSelected: (id: string) => boolean;
  toggle: (id: string) => void;
  toggleAll: () => void;
}

interface Props<T extends TaskSummary> {
  tasks: readonly T[];
  selection?: TableSelection;
  /** Extra columns after the standard ones (scheduled time, actions, ...). */
  extra?: ReadonlyArray<Column<T>>;
  showQueue?: boolean;
  showError?: boolean;
  /** Content of a full-width row under a task (its error history, ...), or null for none. */
  expanded?: (task: T) => ReactNode;
}

/** Task summaries as a table: id (links to the detail page), type, queue, status, retries, times. */
export function TaskTable<T extends TaskSummary>(props: Props<T>) {
  const { tasks, selection, extra = [], showQueue = true, showError = true, expanded } = props;
  const width = 6 + (selection ? 1 : 0) + (showQueue ? 1 : 0) + (showError ? 1 : 0) + extra.length;
  const allSelected = selection !== undefined && tasks.length > 0 && selection.selected.length === tasks.length;
  return (
    <div className="scroll-x">
      <table className={styles.table}>
        <thead>
          <tr>
            {selection && (
              <th className={styles.check}>
                <input type="checkbox" aria-label="Select all" checked={allSelected} onChange={selection.toggleAll} />
              </th>
            )}
            <th>ID</th>
            <th>Task</th>
            {showQueue && <th>Queue</th>}
            <th>Status</th>
            <th className="num">Retry</th>
            <th>Parameters</th>
            <th>Submitted</th>
            {showError && <th>Last error</th>}
            {extra.map((c) => (
              <th key={c.header}>{c.header}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {tasks.map((t) => {
            const more = expanded?.(t);
            return (
              <Fragment key={t.id}>
                <tr className={selection?.isSelected(t.id) ? styles.selected : undefined}>
                  {selection && (
                    <td className={styles.check}>
                      <input
                        type="checkbox"
                        aria-label={`Select ${t.id}`}
                        checked={selection.isSelected(t.id)}
                        onChange={() => selection.toggle(t.id)}
                      />
                    </td>
                  )}
                  <td className="mono">
                    <Link to={`/tasks/${t.id}`}>{t.id}</Link>
                  </td>
                  <td>
                    {t.name} <span className="muted">v{t.version}</span>
                  </td>
                  {showQueue && <td>{t.queue}</td>}
                  <td>
                    <StatusPill status={t.status} />
                  </td>
                  <td className="num">{t.retry_attempt}</td>
                  <td className={`mono ${styles.params}`} title={JSON.stringify(t.parameters)}>
                    {formatParams(t.parameters, 40)}
                  </td>
                  <td>{formatTime(t.submitted_at)}</td>
                  {showError && (
                    <td className={styles.error} title={t.last_error}>
                      {t.last_error ?? ''}
                    </td>
                  )}
                  {extra.map((c) => (
                    <td key={c.header} className={c.className}>
                      {c.cell(t)}
                    </td>
                  ))}
                </tr>
                {more && (
                  <tr className={styles.expanded}>
                    <td colSpan={width}>{more}</td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

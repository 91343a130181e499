import { STATUS_ORDER } from '../../api/types';
import { QueueSelect } from '../QueueSelect/QueueSelect';
import { TaskNameInput } from '../TaskNameInput/TaskNameInput';

export interface TaskFilterValues {
  queue: string;
  status: string;
  task_name: string;
  task_version: string;
}

interface Props {
  values: TaskFilterValues;
  onChange: (patch: Partial<TaskFilterValues>) => void;
  /** Label of "every queue" when the view allows it; omit when a queue is required. */
  anyQueueLabel?: string;
  showStatus?: boolean;
}

/** Queue, status, task name and version filters shared by the task, schedule and DLQ views. */
export function TaskFilters({ values, onChange, anyQueueLabel, showStatus = true }: Props) {
  const badVersion = values.task_version !== '' && !/^\d+$/.test(values.task_version);
  return (
    <>
      <QueueSelect value={values.queue} onChange={(queue) => onChange({ queue })} anyLabel={anyQueueLabel} />
      {showStatus && (
        <label>
          Status
          <select aria-label="Status" value={values.status} onChange={(e) => onChange({ status: e.target.value })}>
            <option value="">any</option>
            {STATUS_ORDER.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      )}
      <TaskNameInput value={values.task_name} onChange={(task_name) => onChange({ task_name })} />
      <label>
        Version
        <input
          aria-label="Version"
          inputMode="numeric"
          size={5}
          placeholder="any"
          value={values.task_version}
          aria-invalid={badVersion}
          title={badVersion ? 'A version is a whole number' : undefined}
          onChange={(e) => onChange({ task_version: e.target.value.trim() })}
        />
      </label>
    </>
  );
}

/** The version filter as a number, or undefined when empty or not a whole number. */
export function versionFilter(text: string): number | undefined {
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

import { useState } from 'react';
import { CANCELLABLE, RESUBMITTABLE, type TaskDetail } from '../../api/types';
import { useCancelTask, useResubmitTask } from '../../hooks/useTasks';
import { ConfirmButton } from '../ConfirmButton/ConfirmButton';
import { ErrorNotice } from '../ErrorNotice/ErrorNotice';
import { Notice } from '../Notice/Notice';
import styles from './TaskActions.module.css';

/** Cancel (waiting or running tasks) and resubmit (finished unsuccessfully), each confirmed. */
export function TaskActions({ task }: { task: TaskDetail }) {
  const cancel = useCancelTask();
  const resubmit = useResubmitTask();
  const [reset, setReset] = useState(true);
  const [notice, setNotice] = useState<string | null>(null);
  const canCancel = CANCELLABLE.includes(task.status) && !task.cancel_requested;
  const canResubmit = RESUBMITTABLE.includes(task.status);

  return (
    <div>
      <div className={styles.actions}>
        {canCancel && (
          <ConfirmButton
            title={`Cancel ${task.name} ${task.id}?`}
            message={task.status === 'started' ? 'Its worker is asked to stop it.' : 'It will not run.'}
            confirmLabel="Cancel task"
            disabled={cancel.isPending}
            onConfirm={() => cancel.mutate(task.id, { onSuccess: (r) => setNotice(r.message) })}
          >
            Cancel task
          </ConfirmButton>
        )}
        {task.cancel_requested && task.status === 'started' && <span className="muted">Cancellation requested…</span>}
        {canResubmit && (
          <>
            <label className={styles.check}>
              <input type="checkbox" checked={reset} onChange={(e) => setReset(e.target.checked)} /> reset retry count
            </label>
            <ConfirmButton
              danger={false}
              className="primary"
              title={`Resubmit ${task.name} ${task.id}?`}
              message={`It goes back to queue ${task.queue}${reset ? ' with its full retry budget' : ''}; its error history is kept.`}
              confirmLabel="Resubmit"
              disabled={resubmit.isPending}
              onConfirm={() => resubmit.mutate({ id: task.id, reset }, { onSuccess: (r) => setNotice(r.message) })}
            >
              Resubmit
            </ConfirmButton>
          </>
        )}
      </div>
      {notice && <Notice onClose={() => setNotice(null)}>{notice}</Notice>}
      {cancel.isError && <ErrorNotice error={cancel.error} title="Cancel failed" />}
      {resubmit.isError && <ErrorNotice error={resubmit.error} title="Resubmit failed" />}
    </div>
  );
}

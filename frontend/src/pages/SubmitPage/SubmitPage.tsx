import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/errors';
import type { TaskSummary } from '../../api/types';
import { ErrorNotice } from '../../components/ErrorNotice/ErrorNotice';
import { Notice } from '../../components/Notice/Notice';
import { StatusPill } from '../../components/StatusPill/StatusPill';
import { SubmitForm } from '../../components/SubmitForm/SubmitForm';
import { useQueues } from '../../hooks/useConfig';
import { useTaskTypes } from '../../hooks/useSystem';
import { useSubmitTask } from '../../hooks/useTasks';

export default function SubmitPage() {
  const types = useTaskTypes();
  const queues = useQueues();
  const submit = useSubmitTask();
  const [last, setLast] = useState<{ task: TaskSummary; message: string } | null>(null);

  return (
    <>
      <h1>Submit task</h1>
      {last && (
        <Notice onClose={() => setLast(null)}>
          {last.message}: <Link to={`/tasks/${last.task.id}`}>{last.task.id}</Link> ({last.task.name} v
          {last.task.version} on {last.task.queue}) <StatusPill status={last.task.status} />
        </Notice>
      )}
      {types.isError && !isUnauthorized(types.error) && (
        <ErrorNotice error={types.error} title="Could not load the task types (enter the name by hand)" />
      )}
      {types.isPending ? (
        <div className="muted">Loading task types…</div>
      ) : (
        <SubmitForm
          key={types.data ? types.data.map((t) => `${t.name}@${t.version}`).join() : 'no-types'}
          types={types.data ?? []}
          queues={queues.data ?? []}
          pending={submit.isPending}
          error={submit.error}
          onSubmit={(s) => submit.mutate(s, { onSuccess: (r) => setLast({ task: r.task, message: r.message }) })}
        />
      )}
    </>
  );
}

/** A 401 is handled by the token prompt; repeating it here would only add noise. */
function isUnauthorized(err: unknown): boolean {
  return err instanceof ApiError && err.isUnauthorized;
}

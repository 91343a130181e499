import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import type { QueueConfigBody } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice/ErrorNotice';
import { Notice } from '../../components/Notice/Notice';
import { QueryState } from '../../components/QueryState/QueryState';
import { QueueForm } from '../../components/QueueForm/QueueForm';
import { rateLabel } from '../../components/QueueForm/validate-queue';
import { useDeleteQueue, useQueueConfigs, useRoles, useSaveQueue } from '../../hooks/useConfig';
import styles from './QueuesPage.module.css';

export default function QueuesPage() {
  const queues = useQueueConfigs();
  const roles = useRoles();
  const save = useSaveQueue();
  const remove = useDeleteQueue();
  // null: no form; '' : the create form; a name: that queue's edit form.
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const rolesOf = (queue: string) => (roles.data ?? []).filter((r) => r.queues.includes(queue)).map((r) => r.role);
  const open = (name: string | null) => {
    save.reset();
    setEditing(name);
  };
  const submit = (body: QueueConfigBody) =>
    save.mutate(
      { body, isNew: editing === '' },
      {
        onSuccess: (r) => {
          setNotice(`${r.message}: ${r.queue.name}`);
          setEditing(null);
        },
      },
    );

  return (
    <>
      <div className={styles.head}>
        <h1>Queues</h1>
        <button type="button" className="primary" onClick={() => open('')} disabled={editing === ''}>
          New queue
        </button>
      </div>
      {notice && <Notice onClose={() => setNotice(null)}>{notice}</Notice>}
      {remove.isError && <ErrorNotice error={remove.error} title="Delete failed" />}
      {editing === '' && (
        <QueueForm
          queue={null}
          onSubmit={submit}
          onCancel={() => open(null)}
          pending={save.isPending}
          error={save.error}
        />
      )}
      <QueryState query={queues} isEmpty={(d) => d.length === 0} empty="No queue yet.">
        {(list) => (
          <div className="scroll-x">
            <table>
              <thead>
                <tr>
                  <th>Queue</th>
                  <th className="num">Max concurrent</th>
                  <th>Rate limit</th>
                  <th>Roles</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((q) => (
                  <Fragment key={q.name}>
                    <tr>
                      <td>
                        <Link to={`/tasks?queue=${encodeURIComponent(q.name)}`}>{q.name}</Link>
                      </td>
                      <td className="num">{q.max_concurrent ? q.max_concurrent : 'unlimited'}</td>
                      <td>{rateLabel(q)}</td>
                      <td>
                        {rolesOf(q.name).join(', ') || <span className="muted">no role: no worker serves it</span>}
                      </td>
                      <td>
                        <div className={styles.actions}>
                          <button type="button" onClick={() => open(q.name)} disabled={editing === q.name}>
                            Edit
                          </button>
                          <ConfirmButton
                            title={`Delete queue ${q.name}?`}
                            message="It is removed from every role; its tasks stay in Redis but no worker will run them."
                            confirmLabel="Delete queue"
                            onConfirm={() =>
                              remove.mutate(q.name, { onSuccess: () => setNotice(`Queue ${q.name} deleted.`) })
                            }
                          >
                            Delete
                          </ConfirmButton>
                        </div>
                      </td>
                    </tr>
                    {editing === q.name && (
                      <tr>
                        <td colSpan={5} className={styles.editCell}>
                          <QueueForm
                            queue={q}
                            onSubmit={submit}
                            onCancel={() => open(null)}
                            pending={save.isPending}
                            error={save.error}
                          />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
    </>
  );
}

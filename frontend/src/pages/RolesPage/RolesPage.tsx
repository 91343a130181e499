import { useState } from 'react';
import { ConfirmButton } from '../../components/ConfirmButton/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice/ErrorNotice';
import { Notice } from '../../components/Notice/Notice';
import { QueryState } from '../../components/QueryState/QueryState';
import { RoleEditor } from '../../components/RoleEditor/RoleEditor';
import { useDeleteRole, useQueues, useRoles, useSaveRole } from '../../hooks/useConfig';
import styles from './RolesPage.module.css';

/** Roles: which queues the workers started with WORKER_ROLE=<role> serve. */
export default function RolesPage() {
  const roles = useRoles();
  const queues = useQueues();
  const save = useSaveRole();
  const remove = useDeleteRole();
  // null: no editor; '': the create form; a name: that role's editor.
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const current = roles.data?.find((r) => r.role === editing) ?? null;

  const open = (name: string | null) => {
    save.reset();
    setEditing(name);
  };
  const submit = (name: string, list: string[]) =>
    save.mutate(
      { name, queues: list, isNew: editing === '' },
      {
        onSuccess: (r) => {
          setNotice(`${r.message}: ${r.role} serves ${r.queues.join(', ') || 'no queue'}.`);
          setEditing(null);
        },
      },
    );

  return (
    <>
      <div className={styles.head}>
        <h1>Roles</h1>
        <button type="button" className="primary" onClick={() => open('')} disabled={editing === ''}>
          New role
        </button>
      </div>
      <p className="muted">
        A worker serves the queues of its role (WORKER_ROLE, default "default"). Changes reach running workers within a
        second.
      </p>
      {notice && <Notice onClose={() => setNotice(null)}>{notice}</Notice>}
      {remove.isError && <ErrorNotice error={remove.error} title="Delete failed" />}
      {editing !== null && (editing === '' || current) && (
        <RoleEditor
          key={editing}
          role={current}
          allQueues={queues.data ?? []}
          onSubmit={submit}
          onCancel={() => open(null)}
          pending={save.isPending}
          error={save.error}
        />
      )}
      <QueryState query={roles} isEmpty={(d) => d.length === 0} empty="No role yet.">
        {(list) => (
          <table>
            <thead>
              <tr>
                <th>Role</th>
                <th>Queues</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((r) => (
                <tr key={r.role}>
                  <td>{r.role}</td>
                  <td className="wrap">
                    {r.queues.join(', ') || <span className="muted">none: its workers stay idle</span>}
                  </td>
                  <td>
                    <div className={styles.actions}>
                      <button type="button" onClick={() => open(r.role)}>
                        Edit queues
                      </button>
                      <ConfirmButton
                        title={`Delete role ${r.role}?`}
                        message="Its queues are kept; workers started with this role will have nothing to serve."
                        confirmLabel="Delete role"
                        onConfirm={() =>
                          remove.mutate(r.role, { onSuccess: () => setNotice(`Role ${r.role} deleted.`) })
                        }
                      >
                        Delete
                      </ConfirmButton>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </>
  );
}

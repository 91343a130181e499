import { useState, type FormEvent } from 'react';
import { validate } from '../../api/json-schema';
import { requestSchemas } from '../../api/schema.gen';
import { ErrorNotice } from '../ErrorNotice/ErrorNotice';
import styles from './RoleEditor.module.css';

interface Props {
  /** The role being edited; null creates one. */
  role: { role: string; queues: readonly string[] } | null;
  allQueues: readonly string[];
  onSubmit: (name: string, queues: string[]) => void;
  onCancel: () => void;
  pending?: boolean;
  error?: unknown;
}

/** Picks the queues a role's workers serve (one checkbox per configured queue). */
export function RoleEditor({ role, allQueues, onSubmit, onCancel, pending, error }: Props) {
  const [name, setName] = useState(role?.role ?? '');
  const [queues, setQueues] = useState<ReadonlySet<string>>(new Set(role?.queues ?? []));
  const [nameError, setNameError] = useState<string | null>(null);
  // Queues the role lists that are not configured (any more) stay visible so they can be removed.
  const choices = [...new Set([...allQueues, ...queues])].sort();

  const toggle = (q: string) =>
    setQueues((prev) => {
      const next = new Set(prev);
      if (next.has(q)) next.delete(q);
      else next.add(q);
      return next;
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = role ? undefined : validate(requestSchemas.createRole.properties.name, name.trim())[0];
    setNameError(name.trim() === '' ? 'A role needs a name' : (problem?.message ?? null));
    if (name.trim() !== '' && !problem)
      onSubmit(
        name.trim(),
        choices.filter((q) => queues.has(q)),
      );
  };

  return (
    <form
      className={styles.editor}
      onSubmit={submit}
      noValidate
      aria-label={role ? `Edit role ${role.role}` : 'New role'}
    >
      {role ? (
        <h2>Role {role.role}</h2>
      ) : (
        <label className={styles.name}>
          Role name
          <input
            aria-label="Role name"
            value={name}
            aria-invalid={nameError ? true : undefined}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. mailers"
          />
          {nameError && <span className={styles.error}>{nameError}</span>}
        </label>
      )}
      <fieldset className={styles.queues}>
        <legend>Queues its workers serve</legend>
        {choices.length === 0 && <span className="muted">No queue configured yet.</span>}
        {choices.map((q) => (
          <label key={q} className={styles.queue}>
            <input type="checkbox" checked={queues.has(q)} onChange={() => toggle(q)} /> {q}
          </label>
        ))}
      </fieldset>
      <div className={styles.buttons}>
        <button type="submit" className="primary" disabled={pending}>
          {role ? 'Save' : 'Create role'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error !== undefined && error !== null && <ErrorNotice error={error} title="Not saved" />}
    </form>
  );
}

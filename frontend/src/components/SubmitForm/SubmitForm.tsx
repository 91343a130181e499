import { useState, type FormEvent } from 'react';
import type { SchemaProblem } from '../../api/json-schema';
import type { TaskType } from '../../api/types';
import { ErrorNotice } from '../ErrorNotice/ErrorNotice';
import { JsonEditor } from '../JsonEditor/JsonEditor';
import { SchemaForm } from '../SchemaForm/SchemaForm';
import { isFormable } from '../SchemaForm/schema-fields';
import { buildSubmission, draftFor, switchedMode, type Submission, type SubmitDraft } from './build-submission';
import styles from './SubmitForm.module.css';

interface Props {
  types: readonly TaskType[];
  queues: readonly string[];
  onSubmit: (s: Submission) => void;
  pending?: boolean;
  error?: unknown;
}

const keyOf = (t: Pick<TaskType, 'name' | 'version'>) => `${t.name}@${t.version}`;

/** Submit a task: parameters from a form generated from the task's schema, or as JSON. */
export function SubmitForm({ types, queues, onSubmit, pending, error }: Props) {
  const [draft, setDraft] = useState<SubmitDraft>(() => draftFor(types[0]));
  const [fieldProblems, setFieldProblems] = useState<SchemaProblem[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
  const type = types.find((t) => t.name === draft.name && t.version === draft.version);
  const schema = type?.parametersSchema ?? null;
  const formable = isFormable(schema);
  const patch = (p: Partial<SubmitDraft>) => setDraft((d) => ({ ...d, ...p }));

  const switchMode = () => {
    if (!formable) return;
    const next = switchedMode(draft, schema);
    if (next) patch(next);
    else setProblems(['Fix the JSON before switching to the form']);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = buildSubmission(draft, schema);
    setFieldProblems(r.fieldProblems);
    setProblems(r.problems);
    if (r.submission) onSubmit(r.submission);
  };

  return (
    <form className={styles.form} onSubmit={submit} noValidate aria-label="Submit task">
      <div className="toolbar">
        {types.length > 0 ? (
          <label>
            Task
            <select
              aria-label="Task"
              value={keyOf(draft)}
              onChange={(e) =>
                setDraft(
                  draftFor(
                    types.find((t) => keyOf(t) === e.target.value),
                    draft.queue,
                    draft.runAt,
                  ),
                )
              }
            >
              {types.map((t) => (
                <option key={keyOf(t)} value={keyOf(t)}>
                  {t.name} (v{t.version})
                </option>
              ))}
            </select>
          </label>
        ) : (
          <>
            <label>
              Task name
              <input aria-label="Task name" value={draft.name} onChange={(e) => patch({ name: e.target.value })} />
            </label>
            <label>
              Version
              <input
                aria-label="Version"
                type="number"
                min={0}
                size={4}
                value={draft.version}
                onChange={(e) => patch({ version: Number(e.target.value) || 0 })}
              />
            </label>
          </>
        )}
        <label>
          Queue
          <select aria-label="Queue" value={draft.queue} onChange={(e) => patch({ queue: e.target.value })}>
            <option value="">task's default</option>
            {queues.map((q) => (
              <option key={q}>{q}</option>
            ))}
          </select>
        </label>
        <label>
          Run at (optional)
          <input
            aria-label="Run at"
            type="datetime-local"
            step={1}
            value={draft.runAt}
            onChange={(e) => patch({ runAt: e.target.value })}
          />
        </label>
      </div>
      <section className={styles.params}>
        {formable && (
          <button type="button" className={styles.mode} onClick={switchMode}>
            {draft.mode === 'form' ? 'Edit as JSON' : 'Edit as form'}
          </button>
        )}
        {formable && draft.mode === 'form' ? (
          <SchemaForm
            schema={schema}
            texts={draft.texts}
            onChange={(texts) => patch({ texts })}
            problems={fieldProblems}
          />
        ) : (
          <JsonEditor value={draft.json} onChange={(json) => patch({ json })} problems={[]} />
        )}
        {!schema && draft.name && (
          <p className="muted">The server publishes no parameter schema for this task: enter its parameters as JSON.</p>
        )}
      </section>
      {problems.length > 0 && (
        <ul role="alert" className={styles.problems}>
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {error !== undefined && error !== null && <ErrorNotice error={error} title="Not submitted" />}
      <button type="submit" className="primary" disabled={pending}>
        {draft.runAt ? 'Schedule task' : 'Submit task'}
      </button>
    </form>
  );
}

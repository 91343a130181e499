import type { SchemaProblem } from '../../api/json-schema';
import type { JsonSchema } from '../../api/json-schema';
import styles from './SchemaForm.module.css';
import { fieldsOf, type FieldSpec } from './schema-fields';

interface Props {
  schema: JsonSchema;
  texts: Readonly<Record<string, string>>;
  onChange: (texts: Record<string, string>) => void;
  problems: readonly SchemaProblem[];
}

/** One input per parameter of a task's schema; see schema-fields.ts for the mapping. */
export function SchemaForm({ schema, texts, onChange, problems }: Props) {
  const fields = fieldsOf(schema);
  const set = (name: string, value: string) => onChange({ ...texts, [name]: value });
  const problemOf = (name: string) => problems.find((p) => p.path === name || p.path.startsWith(`${name}.`));
  if (fields.length === 0) return <p className="muted">This task takes no parameters.</p>;

  const input = (f: FieldSpec) => {
    const value = texts[f.name] ?? '';
    const common = { id: `param-${f.name}`, 'aria-invalid': problemOf(f.name) ? true : undefined };
    switch (f.kind) {
      case 'boolean':
        return (
          <input
            {...common}
            type="checkbox"
            checked={value === 'true'}
            onChange={(e) => set(f.name, String(e.target.checked))}
          />
        );
      case 'enum':
        return (
          <select {...common} value={value} onChange={(e) => set(f.name, e.target.value)}>
            {(!f.required || f.nullable) && <option value="">—</option>}
            {f.options.map((o) => (
              <option key={String(o)} value={String(o)}>
                {String(o)}
              </option>
            ))}
          </select>
        );
      case 'number':
      case 'integer':
        return (
          <input
            {...common}
            type="number"
            step={f.kind === 'integer' ? 1 : 'any'}
            value={value}
            onChange={(e) => set(f.name, e.target.value)}
          />
        );
      case 'string':
        return <input {...common} value={value} onChange={(e) => set(f.name, e.target.value)} />;
      default:
        return (
          <textarea
            {...common}
            className="mono"
            rows={2}
            value={value}
            placeholder="JSON"
            onChange={(e) => set(f.name, e.target.value)}
          />
        );
    }
  };

  return (
    <div className={styles.fields}>
      {fields.map((f) => (
        <div key={f.name} className={styles.field}>
          <label htmlFor={`param-${f.name}`} className={styles.label}>
            {f.name}
            {f.required && <span className={styles.required}> *</span>}
            <span className={styles.type}>{f.kind === 'json' ? 'JSON' : f.kind}</span>
          </label>
          {input(f)}
          {f.schema.description && <span className={styles.help}>{f.schema.description}</span>}
          {problemOf(f.name) && <span className={styles.error}>{problemOf(f.name)?.message}</span>}
        </div>
      ))}
    </div>
  );
}

import styles from './JsonEditor.module.css';

interface Props {
  value: string;
  onChange: (text: string) => void;
  /** Problems to show under the editor (parse errors, schema problems). */
  problems: readonly string[];
  label?: string;
}

/** Parses `text` as a JSON object (task parameters); an empty text is `{}`. */
export function parseJsonObject(text: string): { value: Record<string, unknown> | null; problem: string | null } {
  if (text.trim() === '') return { value: {}, problem: null };
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return { value: null, problem: 'Parameters must be a JSON object, like {"name": "value"}' };
    return { value: value as Record<string, unknown>, problem: null };
  } catch (err) {
    return { value: null, problem: `Not valid JSON: ${(err as Error).message}` };
  }
}

/** A monospace JSON textarea with a Format button. */
export function JsonEditor({ value, onChange, problems, label = 'Parameters (JSON)' }: Props) {
  const format = () => {
    const parsed = parseJsonObject(value);
    if (parsed.value) onChange(JSON.stringify(parsed.value, null, 2));
  };
  return (
    <div className={styles.editor}>
      <div className={styles.bar}>
        <label htmlFor="json-editor">{label}</label>
        <button type="button" onClick={format} disabled={parseJsonObject(value).value === null}>
          Format
        </button>
      </div>
      <textarea
        id="json-editor"
        className={styles.text}
        rows={8}
        spellCheck={false}
        value={value}
        aria-invalid={problems.length > 0 ? true : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {problems.map((p) => (
        <div key={p} className={styles.error}>
          {p}
        </div>
      ))}
    </div>
  );
}

import { useId } from 'react';
import { useTaskTypes } from '../../hooks/useSystem';

/** Free text with the registered task names as suggestions (names of older versions still match). */
export function TaskNameInput({ value, onChange }: { value: string; onChange: (name: string) => void }) {
  const types = useTaskTypes();
  const listId = useId();
  const names = [...new Set((types.data ?? []).map((t) => t.name))].sort();
  return (
    <label>
      Task name
      <input
        list={listId}
        value={value}
        placeholder="any"
        aria-label="Task name"
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={listId}>
        {names.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
    </label>
  );
}

import { useQueues } from '../../hooks/useConfig';

interface Props {
  value: string;
  onChange: (queue: string) => void;
  /** Label of the empty choice; omit to require a queue. */
  anyLabel?: string;
  label?: string;
}

/** The configured queues as a select; the current value stays selectable even if unknown. */
export function QueueSelect({ value, onChange, anyLabel, label = 'Queue' }: Props) {
  const queues = useQueues();
  const names = [...new Set([...(queues.data ?? []), ...(value ? [value] : [])])].sort();
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)} aria-label={label}>
        {anyLabel !== undefined && <option value="">{anyLabel}</option>}
        {anyLabel === undefined && !value && (
          <option value="">{queues.isPending ? 'loading…' : 'choose a queue'}</option>
        )}
        {names.map((q) => (
          <option key={q} value={q}>
            {q}
          </option>
        ))}
      </select>
    </label>
  );
}

import styles from './JsonBlock.module.css';

/** A JSON value, pretty-printed; `empty` when it is null or an empty object. */
export function JsonBlock({ value, empty = '—' }: { value: unknown; empty?: string }) {
  const isEmpty =
    value === null || value === undefined || (typeof value === 'object' && Object.keys(value).length === 0);
  if (isEmpty) return <span className="muted">{empty}</span>;
  return <pre className={styles.json}>{JSON.stringify(value, null, 2)}</pre>;
}

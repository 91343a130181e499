import styles from './Pagination.module.css';

interface Props {
  total: number;
  limit: number;
  offset: number;
  onChange: (offset: number) => void;
}

/** Exact pagination from the server's `total`: "21–40 of 137", page x of y, first/prev/next/last. */
export function Pagination({ total, limit, offset, onChange }: Props) {
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.min(pages, Math.floor(offset / limit) + 1);
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(total, offset + limit);
  const go = (p: number) => onChange((Math.min(Math.max(p, 1), pages) - 1) * limit);
  return (
    <nav className={styles.pagination} aria-label="Pagination">
      <span className={styles.range}>
        {first}–{last} of {total}
      </span>
      <button type="button" onClick={() => go(1)} disabled={page <= 1} aria-label="First page">
        «
      </button>
      <button type="button" onClick={() => go(page - 1)} disabled={page <= 1}>
        ‹ Prev
      </button>
      <span>
        Page {page} of {pages}
      </span>
      <button type="button" onClick={() => go(page + 1)} disabled={page >= pages}>
        Next ›
      </button>
      <button type="button" onClick={() => go(pages)} disabled={page >= pages} aria-label="Last page">
        »
      </button>
    </nav>
  );
}

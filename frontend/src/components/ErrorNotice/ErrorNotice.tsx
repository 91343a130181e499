import { ApiError, errorMessage, problemPath } from '../../api/errors';
import styles from './ErrorNotice.module.css';

/** An error from the API: its message, and for a 422 each field problem on its own line. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  const problems = error instanceof ApiError ? error.problems : [];
  if (error instanceof ApiError && error.isUnauthorized) {
    return (
      <div role="alert" className={styles.auth}>
        Waiting for an API token: {error.message}
      </div>
    );
  }
  return (
    <div role="alert" className={styles.error}>
      {title && <strong>{title}: </strong>}
      {problems.length > 0 ? (
        <>
          The server rejected the request:
          <ul>
            {problems.map((p, i) => (
              <li key={i}>
                {problemPath(p) && <code>{problemPath(p)}</code>} {p.msg}
              </li>
            ))}
          </ul>
        </>
      ) : (
        errorMessage(error)
      )}
    </div>
  );
}

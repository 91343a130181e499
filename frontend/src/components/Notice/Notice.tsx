import type { ReactNode } from 'react';
import styles from './Notice.module.css';

/** A short confirmation of what an action did, dismissible. */
export function Notice({ children, onClose }: { children: ReactNode; onClose?: () => void }) {
  return (
    <div role="status" className={styles.notice}>
      <span>{children}</span>
      {onClose && (
        <button type="button" className={styles.close} aria-label="Dismiss" onClick={onClose}>
          ×
        </button>
      )}
    </div>
  );
}

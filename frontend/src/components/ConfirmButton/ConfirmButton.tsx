import { useEffect, useRef, useState, type ReactNode } from 'react';
import styles from './ConfirmButton.module.css';

interface Props {
  /** Button text. */
  children: ReactNode;
  /** Dialog title, phrased as the question ("Delete queue emails?"). */
  title: string;
  /** What will happen, including what cannot be undone. */
  message?: ReactNode;
  confirmLabel?: string;
  onConfirm: () => void;
  disabled?: boolean;
  danger?: boolean;
  className?: string;
}

/** A button for a destructive action: nothing happens until the dialog is confirmed. */
export function ConfirmButton({
  children,
  title,
  message,
  confirmLabel = 'Confirm',
  onConfirm,
  disabled,
  danger = true,
  className,
}: Props) {
  const [open, setOpen] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    confirmRef.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <>
      <button
        type="button"
        className={className ?? (danger ? 'danger' : undefined)}
        disabled={disabled}
        onClick={() => setOpen(true)}
      >
        {children}
      </button>
      {open && (
        <div className={styles.backdrop} onClick={() => setOpen(false)}>
          <div
            role="dialog"
            aria-modal="true"
            aria-label={title}
            className={styles.dialog}
            onClick={(e) => e.stopPropagation()}
          >
            <h2>{title}</h2>
            {message && <div className={styles.message}>{message}</div>}
            <div className={styles.actions}>
              <button type="button" onClick={() => setOpen(false)}>
                Keep
              </button>
              <button
                type="button"
                ref={confirmRef}
                className={danger ? `${styles.confirm} ${styles.danger}` : `primary ${styles.confirm}`}
                onClick={() => {
                  setOpen(false);
                  onConfirm();
                }}
              >
                {confirmLabel}
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  );
}

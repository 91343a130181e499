import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTokenState, useTokens } from '../../api/ApiContext';
import styles from './TokenPrompt.module.css';

/**
 * Shown when the Manager answered 401: it runs with JOBBERS_API_TOKEN. The token is kept in
 * sessionStorage for this tab's session and every query is retried with it.
 */
export function TokenPrompt() {
  const state = useTokenState();
  const tokens = useTokens();
  const client = useQueryClient();
  const [value, setValue] = useState('');
  if (!state.needsToken) return null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!value.trim()) return;
    tokens.setToken(value.trim());
    setValue('');
    void client.invalidateQueries();
  };

  return (
    <div className={styles.backdrop}>
      <form role="dialog" aria-modal="true" aria-label="API token" className={styles.dialog} onSubmit={submit}>
        <h2>API token required</h2>
        <p className={styles.text}>
          This Manager asks for a bearer token (<code>JOBBERS_API_TOKEN</code>, or the read-only token to browse). It is
          kept for this browser session only.
        </p>
        {state.token && state.reason && <p className={styles.reason}>{state.reason}</p>}
        <input
          type="password"
          aria-label="Token"
          autoComplete="off"
          autoFocus
          value={value}
          onChange={(e) => setValue(e.target.value)}
          className={styles.input}
        />
        <div className={styles.actions}>
          <button type="submit" className="primary" disabled={!value.trim()}>
            Use token
          </button>
        </div>
      </form>
    </div>
  );
}

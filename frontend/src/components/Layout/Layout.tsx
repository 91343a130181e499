import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useTokenState, useTokens } from '../../api/ApiContext';
import { TokenPrompt } from '../TokenPrompt/TokenPrompt';
import styles from './Layout.module.css';

const LINKS = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/tasks', label: 'Tasks' },
  { to: '/scheduled', label: 'Schedule' },
  { to: '/dlq', label: 'Dead letters' },
  { to: '/queues', label: 'Queues' },
  { to: '/roles', label: 'Roles' },
  { to: '/submit', label: 'Submit task' },
];

export function Layout() {
  const { token } = useTokenState();
  const tokens = useTokens();
  return (
    <div className={styles.shell}>
      <header className={styles.header}>
        <span className={styles.brand}>Jobbers</span>
        <nav className={styles.nav}>
          {LINKS.map((l) => (
            <NavLink
              key={l.to}
              to={l.to}
              end={l.end}
              className={({ isActive }) => (isActive ? styles.active : undefined)}
            >
              {l.label}
            </NavLink>
          ))}
        </nav>
        {token && (
          <button type="button" className={styles.signOut} onClick={() => tokens.clear()} title="Forget the API token">
            Forget token
          </button>
        )}
      </header>
      <main className={styles.main}>
        <Suspense fallback={<div className="muted">Loading…</div>}>
          <Outlet />
        </Suspense>
      </main>
      <TokenPrompt />
    </div>
  );
}

/**
 * Parses `SQL_PATH`. The original took SQLAlchemy URLs, and deployments keep theirs, so we accept
 * the same spellings: a `+driver` suffix (`sqlite+aiosqlite`, `postgresql+asyncpg`) names a Python
 * driver and means nothing here, so it is dropped.
 *
 * SQLite follows SQLAlchemy's slash rule: `sqlite:///rel.db` is relative to the working directory,
 * `sqlite:////abs.db` is absolute, and `sqlite://` or `sqlite:///:memory:` is an in-memory database.
 */
import { ERRORS } from '../errors.js';

export type SqlTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; connectionString: string };

export const DEFAULT_SQL_PATH = 'sqlite+aiosqlite:///jobbers.db';
export const SQLITE_MEMORY = ':memory:';

const ACCEPTED_FORMS =
  'sqlite:///relative/path.db, sqlite:////absolute/path.db, sqlite:///:memory:, ' +
  'sqlite+aiosqlite:///jobbers.db, postgresql://user:password@host:5432/db ' +
  '(postgres:// and postgresql+asyncpg:// also work)';

// scheme, optional +driver, then everything after "://".
const URL_RE = /^([A-Za-z][A-Za-z0-9]*)(?:\+[A-Za-z0-9_]+)?:\/\/(.*)$/s;

export function parseSqlUrl(value: string): SqlTarget {
  const match = URL_RE.exec(value.trim());
  if (!match) throw invalid(value, 'it is not a URL');
  const scheme = (match[1] as string).toLowerCase();
  const rest = match[2] as string;

  if (scheme === 'sqlite') return { kind: 'sqlite', path: sqlitePath(value, rest) };
  if (scheme === 'postgresql' || scheme === 'postgres') {
    // Everything but the host part is optional in libpq URLs (`postgresql:///db` uses the local
    // socket), so only an empty remainder is certainly wrong; pg reports the rest when connecting.
    if (rest === '') throw invalid(value, 'it names no server or database');
    return { kind: 'postgres', connectionString: `postgresql://${rest}` };
  }
  throw invalid(value, `the database type "${scheme}" is not supported`);
}

function sqlitePath(value: string, rest: string): string {
  if (rest === '') return SQLITE_MEMORY;
  if (!rest.startsWith('/')) {
    // `sqlite://host/db`: SQLite has no server, and SQLAlchemy rejects this too.
    throw invalid(value, 'a SQLite URL has no host part, so it needs three slashes before a relative path');
  }
  // Query options (SQLAlchemy's `?mode=ro` and friends) have no equivalent here; refusing them
  // beats silently opening a different file called "x.db?mode=ro".
  if (rest.includes('?')) throw invalid(value, 'query options after "?" are not supported');
  const path = rest.slice(1);
  return path === '' ? SQLITE_MEMORY : path;
}

function invalid(value: string, reason: string) {
  return ERRORS.invalidSetting.make(
    `SQL_PATH "${redactSqlUrl(value)}" is not usable: ${reason}. Accepted forms: ${ACCEPTED_FORMS}.`,
  );
}

/** Error messages end up in logs; a password in a URL must not. */
export function redactSqlUrl(value: string): string {
  return value.replace(/(:\/\/[^/:@]*):[^/@]*@/, '$1:***@');
}

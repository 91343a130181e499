/**
 * jobbers_migrate: applies pending configuration-database migrations to the database named by
 * SQL_PATH, then exits. Safe to run while other processes use, or migrate, the same database.
 */
import { openConfigDatabase } from '../config/database.js';
import { migrateToLatest } from '../config/migrate.js';
import { DEFAULT_SQL_PATH, redactSqlUrl } from '../config/sql-url.js';
import { isJobbersError } from '../errors.js';

const HELP = `Usage: jobbers_migrate

Creates or upgrades the queue and role configuration tables in the database named by SQL_PATH.
Running it again when the database is up to date does nothing.

Environment:
  SQL_PATH  database URL (default ${DEFAULT_SQL_PATH}); accepts sqlite:///relative.db,
            sqlite:////absolute.db, sqlite+aiosqlite:///jobbers.db, postgresql://user@host:5432/db,
            postgresql+asyncpg://... and postgres://...

Exit status: 0 on success, 1 on any error.`;

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  if (args.length > 0) {
    console.error(`jobbers_migrate: unexpected argument "${args[0]}" (it takes none; see --help).`);
    return 1;
  }
  const url = process.env.SQL_PATH || DEFAULT_SQL_PATH;
  const db = await openConfigDatabase(url);
  try {
    const { applied } = await migrateToLatest(db).catch((err: unknown) => {
      throw new Error(`Migrating ${redactSqlUrl(url)} (SQL_PATH) failed: ${describeFailure(err)}`);
    });
    console.log(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'Database is up to date');
    return 0;
  } finally {
    await db.destroy();
  }
}

function describeFailure(err: unknown): string {
  if (isJobbersError(err)) return err.message;
  // pg reports a refused connection as an AggregateError with an empty message but a code.
  const code = (err as { code?: unknown } | null)?.code;
  const message = (err instanceof Error ? err.message : String(err)) || String(code ?? 'unknown error');
  const cause = err instanceof Error && err.cause !== undefined ? describeFailure(err.cause) : '';
  return cause && !message.includes(cause) ? `${message} (cause: ${cause})` : message;
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (err: unknown) => {
    console.error(`jobbers_migrate: ${describeFailure(err).replace(/\s*\n\s*/g, ' ')}`);
    process.exitCode = 1;
  },
);

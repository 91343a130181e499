/**
 * Brings the configuration schema up to date. Every process may call this at start-up, so
 * concurrent calls (several processes, or several instances in one process) must be safe:
 *
 * - PostgreSQL: Kysely's migrator takes an advisory lock and runs each batch in a transaction.
 * - SQLite: Kysely's SQLite "lock" is a no-op (it only guards the one connection of one process),
 *   so we hold SQLite's own write lock (BEGIN IMMEDIATE) around the whole run. The migrator
 *   then reads the applied list under that lock, and a second caller waits and finds nothing to do.
 */
import { Migrator, SqliteAdapter, sql, type Kysely, type MigrationResult } from 'kysely';
import { MIGRATIONS } from './migrations/index.js';

export interface MigrateOutcome {
  /** Names of the migrations this call applied, in order; empty when already up to date. */
  applied: string[];
}

/** How long a SQLite caller waits for another one's migration before giving up. */
const SQLITE_LOCK_WAIT_MS = 60_000;

export async function migrateToLatest(db: Kysely<any>): Promise<MigrateOutcome> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    return db.connection().execute((conn) => withSqliteWriteLock(conn, runMigrator));
  }
  return runMigrator(db);
}

async function runMigrator(db: Kysely<any>): Promise<MigrateOutcome> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) } });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const where = failed ? `Migration ${failed} failed` : 'Could not prepare the database for migrations';
    throw new Error(`${where}: ${describe(error)}`, { cause: error });
  }
  return { applied: (results ?? []).filter(isApplied).map((r) => r.migrationName) };
}

function isApplied(r: MigrationResult): boolean {
  return r.status === 'Success' && r.direction === 'Up';
}

async function withSqliteWriteLock<T>(conn: Kysely<any>, fn: (conn: Kysely<any>) => Promise<T>): Promise<T> {
  await beginImmediate(conn);
  try {
    const result = await fn(conn);
    await sql`commit`.execute(conn);
    return result;
  } catch (err) {
    // SQLite has transactional DDL: a failed migration leaves no half-made tables behind.
    await sql`rollback`.execute(conn).catch(() => undefined);
    throw err;
  }
}

/**
 * The connection's busy timeout would make SQLite wait synchronously, freezing the event loop;
 * when the lock holder is another connection of this same process it could then never finish.
 * So wait here without the busy handler, polling asynchronously.
 */
async function beginImmediate(conn: Kysely<any>): Promise<void> {
  const row = (await sql<{ timeout: number }>`pragma busy_timeout`.execute(conn)).rows[0];
  const savedTimeout = Number(row?.timeout ?? 0);
  await sql`pragma busy_timeout = 0`.execute(conn);
  try {
    const deadline = Date.now() + SQLITE_LOCK_WAIT_MS;
    for (;;) {
      try {
        await sql`begin immediate`.execute(conn);
        return;
      } catch (err) {
        if (!isSqliteBusy(err) || Date.now() > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  } finally {
    await sql.raw(`pragma busy_timeout = ${Math.trunc(savedTimeout)}`).execute(conn);
  }
}

function isSqliteBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

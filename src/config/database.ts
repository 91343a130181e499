/**
 * Opens the configuration database named by `SQL_PATH` as a Kysely instance.
 *
 * SQLite is shared by every process of a deployment (manager, workers, scheduler), so the file is
 * opened in WAL mode (readers never block the writer) with a busy timeout (a writer waits for
 * another instead of failing at once), and transactions start with BEGIN IMMEDIATE: a deferred
 * BEGIN that reads and then writes fails with SQLITE_BUSY at once, without waiting, when another
 * process wrote in between.
 */
import Database from 'libsql';
import pg from 'pg';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type SqliteStatement,
} from 'kysely';
import { ERRORS } from '../errors.js';
import { parseSqlUrl, SQLITE_MEMORY } from './sql-url.js';

export interface QueuesTable {
  name: string;
  max_concurrent: number | null;
  rate_numerator: number | null;
  rate_denominator: number | null;
  rate_period: string | null;
}

export interface RolesTable {
  name: string;
  /** A ULID, replaced on every write to the role so pollers can tell "changed" cheaply. */
  refresh_tag: string;
}

export interface RoleQueuesTable {
  role: string;
  queue: string;
}

export interface ConfigTables {
  queues: QueuesTable;
  roles: RolesTable;
  role_queues: RoleQueuesTable;
}

export type ConfigDatabase = Kysely<ConfigTables>;

/** How long a SQLite writer waits for another process's write lock before giving up. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

export async function openConfigDatabase(url: string): Promise<Kysely<ConfigTables>> {
  const target = parseSqlUrl(url);
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.connectionString, max: 5 });
    // An idle client losing its connection (server restart) emits 'error' on the pool; unhandled,
    // that would crash the process. The pool drops the client and the next query reconnects.
    pool.on('error', () => undefined);
    return new Kysely<ConfigTables>({ dialect: new PostgresDialect({ pool }) });
  }
  const sqlite = openSqlite(target.path);
  try {
    // busy_timeout first: switching to WAL needs a lock that another process may hold.
    sqlite.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    // Off by default in SQLite; role_queues relies on ON DELETE CASCADE.
    sqlite.exec('PRAGMA foreign_keys = ON');
    if (target.path !== SQLITE_MEMORY) sqlite.exec('PRAGMA journal_mode = WAL');
  } catch (err) {
    sqlite.close();
    throw err;
  }
  return new Kysely<ConfigTables>({
    dialect: new ImmediateSqliteDialect({ database: execTransactionControl(sqlite) }),
  });
}

const TRANSACTION_CONTROL = /^\s*(begin|commit|end|rollback)\b/i;

/**
 * libsql leaves a prepared BEGIN that failed with SQLITE_BUSY active, and every later COMMIT on
 * the connection then fails with "SQL statements in progress". `exec` does not have that problem,
 * so transaction-control statements go through it; everything else is prepared as usual.
 */
function execTransactionControl(db: Database.Database): SqliteDatabase {
  const noRows = { changes: 0, lastInsertRowid: 0 };
  return {
    close: () => db.close(),
    prepare(source: string): SqliteStatement {
      if (!TRANSACTION_CONTROL.test(source)) return db.prepare(source);
      return {
        reader: false,
        run: () => (db.exec(source), noRows),
        all: () => (db.exec(source), []),
        iterate: () => (db.exec(source), [][Symbol.iterator]()),
      };
    },
  };
}

function openSqlite(path: string): Database.Database {
  try {
    return new Database(path);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw ERRORS.storeUnavailable.make(
      `Cannot open the SQLite database "${path}" named by SQL_PATH (${reason}); check that its directory exists and is writable.`,
      err,
    );
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * ConfigStore on SQL (SQLite or PostgreSQL through Kysely). Semantics follow spec §4.3 with the
 * original's defects fixed: createRole refuses any existing role (B27), saveQueue is an atomic
 * upsert (B27), and unknown queues in a role are a 400 with their names instead of a 500 (B20).
 *
 * Concurrency: on SQLite every transaction starts with BEGIN IMMEDIATE (see database.ts), so
 * writers are serialised. On PostgreSQL (READ COMMITTED) the rows a decision depends on are locked:
 * saveRole/createRole share-lock the queues they reference and deleteQueue locks the queue it
 * removes, so a queue cannot vanish from, or be added to, a role behind a writer's back.
 */
import { SqliteAdapter, sql, type Kysely, type Transaction } from 'kysely';
import { ERRORS } from '../errors.js';
import { newTaskId } from '../domain/ids.js';
import { isValidName, NAME_RULE } from '../domain/names.js';
import { RATE_PERIODS, type QueueConfig, type RatePeriod, type RoleConfig } from '../domain/queue-config.js';
import type { ConfigStore } from '../ports/config-store.js';
import { openConfigDatabase, type ConfigTables, type QueuesTable } from './database.js';
import { migrateToLatest } from './migrate.js';

type Db = Kysely<ConfigTables>;
type Trx = Transaction<ConfigTables>;

/** Columns are SQL `integer` (32-bit on PostgreSQL); larger values would fail as a 500. */
const MAX_INT = 2_147_483_647;

export class SqlConfigStore implements ConfigStore {
  readonly #db: Db;
  readonly #sqlite: boolean;
  #closed = false;

  constructor(db: Db) {
    this.#db = db;
    this.#sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  }

  /** Opens `SQL_PATH`-style `url` and applies pending migrations. */
  static async open(url: string): Promise<SqlConfigStore> {
    const db = await openConfigDatabase(url);
    try {
      await migrateToLatest(db);
    } catch (err) {
      await db.destroy();
      throw err;
    }
    return new SqlConfigStore(db);
  }

  async listQueues(): Promise<string[]> {
    const rows = await this.#db.selectFrom('queues').select('name').execute();
    return sortNames(rows.map((r) => r.name));
  }

  async getQueue(name: string): Promise<QueueConfig | null> {
    checkName(name, 'queue');
    const row = await this.#db.selectFrom('queues').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toQueueConfig(row) : null;
  }

  async listQueueConfigs(): Promise<QueueConfig[]> {
    const rows = await this.#db.selectFrom('queues').selectAll().execute();
    return rows.map(toQueueConfig).sort((a, b) => compareNames(a.name, b.name));
  }

  async createQueue(config: QueueConfig): Promise<QueueConfig> {
    const valid = checkQueueConfig(config);
    // ON CONFLICT DO NOTHING + RETURNING tells "inserted" from "taken" in one atomic statement.
    const inserted = await this.#db
      .insertInto('queues')
      .values(toQueueRow(valid))
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('name')
      .executeTakeFirst();
    if (!inserted) throw ERRORS.queueExists.make(`Queue '${valid.name}' already exists.`);
    return valid;
  }

  async saveQueue(config: QueueConfig): Promise<QueueConfig> {
    const valid = checkQueueConfig(config);
    const { name: _name, ...limits } = toQueueRow(valid);
    await this.#db
      .insertInto('queues')
      .values(toQueueRow(valid))
      .onConflict((oc) => oc.column('name').doUpdateSet(limits))
      .execute();
    return valid;
  }

  async deleteQueue(name: string): Promise<boolean> {
    checkName(name, 'queue');
    return this.#db.transaction().execute(async (trx) => {
      // Locking the row first makes concurrent saveRole calls that reference it wait, so the
      // roles read below are exactly the roles whose membership the cascade removes.
      const exists = await trx
        .selectFrom('queues')
        .select('name')
        .where('name', '=', name)
        .$if(!this.#sqlite, (qb) => qb.forUpdate())
        .executeTakeFirst();
      if (!exists) return false;
      const roles = await trx.selectFrom('role_queues').select('role').where('queue', '=', name).execute();
      await trx.deleteFrom('queues').where('name', '=', name).execute();
      if (roles.length > 0) {
        const names = roles.map((r) => r.role);
        await trx.updateTable('roles').set({ refresh_tag: newTaskId() }).where('name', 'in', names).execute();
      }
      return true;
    });
  }

  async listRoles(): Promise<string[]> {
    const rows = await this.#db.selectFrom('roles').select('name').execute();
    return sortNames(rows.map((r) => r.name));
  }

  async getRole(name: string): Promise<RoleConfig | null> {
    checkName(name, 'role');
    const role = await this.#db.selectFrom('roles').select('name').where('name', '=', name).executeTakeFirst();
    if (!role) return null;
    return { name, queues: await this.getRoleQueues(name) };
  }

  async createRole(role: RoleConfig): Promise<RoleConfig> {
    const valid = checkRole(role);
    const roleExists = () => ERRORS.roleExists.make(`Role '${valid.name}' already exists.`);
    await this.#db.transaction().execute(async (trx) => {
      // Checked first so an existing role reports 409 even when its queue list is also wrong.
      const existing = await trx.selectFrom('roles').select('name').where('name', '=', valid.name).executeTakeFirst();
      if (existing) throw roleExists();
      await this.#lockQueues(trx, valid);
      // A concurrent createRole may have inserted it since the check above.
      const inserted = await trx
        .insertInto('roles')
        .values({ name: valid.name, refresh_tag: newTaskId() })
        .onConflict((oc) => oc.column('name').doNothing())
        .returning('name')
        .executeTakeFirst();
      if (!inserted) throw roleExists();
      await insertMembership(trx, valid);
    });
    return valid;
  }

  async saveRole(role: RoleConfig): Promise<RoleConfig> {
    const valid = checkRole(role);
    await this.#db.transaction().execute(async (trx) => {
      await this.#lockQueues(trx, valid);
      const tag = newTaskId();
      await trx
        .insertInto('roles')
        .values({ name: valid.name, refresh_tag: tag })
        .onConflict((oc) => oc.column('name').doUpdateSet({ refresh_tag: tag }))
        .execute();
      await trx.deleteFrom('role_queues').where('role', '=', valid.name).execute();
      await insertMembership(trx, valid);
    });
    return valid;
  }

  async deleteRole(name: string): Promise<boolean> {
    checkName(name, 'role');
    const deleted = await this.#db.deleteFrom('roles').where('name', '=', name).returning('name').executeTakeFirst();
    return deleted !== undefined;
  }

  async getRoleQueues(role: string): Promise<string[]> {
    checkName(role, 'role');
    const rows = await this.#db.selectFrom('role_queues').select('queue').where('role', '=', role).execute();
    return sortNames(rows.map((r) => r.queue));
  }

  /**
   * The role's current refresh tag (a ULID replaced on every change to its membership), or null
   * for an unknown role. Pollers compare it with the last one seen instead of re-reading queues.
   */
  async getRefreshTag(role: string): Promise<string | null> {
    checkName(role, 'role');
    const row = await this.#db.selectFrom('roles').select('refresh_tag').where('name', '=', role).executeTakeFirst();
    return row?.refresh_tag ?? null;
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#db);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#db.destroy();
  }

  /**
   * Throws ERRORS.unknownQueue unless every queue of the role exists; on PostgreSQL also
   * share-locks them until commit so deleteQueue cannot remove one meanwhile. Writers lock queues
   * before roles (deleteQueue too), which keeps the two from deadlocking.
   */
  async #lockQueues(trx: Trx, role: RoleConfig): Promise<void> {
    if (role.queues.length === 0) return;
    const found = await trx
      .selectFrom('queues')
      .select('name')
      .where('name', 'in', role.queues)
      .$if(!this.#sqlite, (qb) => qb.forShare())
      .execute();
    const existing = new Set(found.map((r) => r.name));
    const missing = role.queues.filter((q) => !existing.has(q));
    if (missing.length > 0) {
      // Thrown inside the transaction, so the role row and the old membership are left untouched.
      throw ERRORS.unknownQueue.make(
        `Role '${role.name}' refers to queues that do not exist: ${missing.map((q) => `'${q}'`).join(', ')}. ` +
          'Create the queues first.',
      );
    }
  }
}

async function insertMembership(trx: Trx, role: RoleConfig): Promise<void> {
  if (role.queues.length === 0) return;
  await trx
    .insertInto('role_queues')
    .values(role.queues.map((queue) => ({ role: role.name, queue })))
    .execute();
}

function checkName(value: unknown, what: 'queue' | 'role'): asserts value is string {
  if (!isValidName(value)) throw ERRORS.invalidName.make(`Invalid ${what} name ${show(value)}: use ${NAME_RULE}.`);
}

/** Validates and returns a normalised copy: unknown keys dropped, undefined read as null. */
function checkQueueConfig(config: QueueConfig): QueueConfig {
  checkName(config?.name, 'queue');
  const { name } = config;
  const maxConcurrent = config.maxConcurrent ?? null;
  const rateNumerator = config.rateNumerator ?? null;
  const rateDenominator = config.rateDenominator ?? null;
  const ratePeriod = config.ratePeriod ?? null;
  const bad = (msg: string) => ERRORS.invalidQueueConfig.make(`Invalid configuration for queue '${name}': ${msg}`);

  if (maxConcurrent !== null && !isIntIn(maxConcurrent, 0)) {
    throw bad(`maxConcurrent must be null (unlimited) or an integer from 0 to ${MAX_INT}, got ${show(maxConcurrent)}.`);
  }
  const setCount = [rateNumerator, rateDenominator, ratePeriod].filter((v) => v !== null).length;
  if (setCount !== 0 && setCount !== 3) {
    throw bad(
      'rateNumerator, rateDenominator and ratePeriod must be all set (a rate limit) or all null (none), got ' +
        `${show(rateNumerator)}, ${show(rateDenominator)}, ${show(ratePeriod)}.`,
    );
  }
  if (setCount === 3) {
    const counts = { rateNumerator, rateDenominator };
    for (const [field, value] of Object.entries(counts)) {
      if (!isIntIn(value, 1)) throw bad(`${field} must be an integer from 1 to ${MAX_INT}, got ${show(value)}.`);
    }
    if (!(RATE_PERIODS as readonly unknown[]).includes(ratePeriod)) {
      throw bad(`ratePeriod must be one of ${RATE_PERIODS.join(', ')}, got ${show(ratePeriod)}.`);
    }
  }
  return { name, maxConcurrent, rateNumerator, rateDenominator, ratePeriod };
}

/** Validates names and returns a copy with the queue list de-duplicated and sorted. */
function checkRole(role: RoleConfig): RoleConfig {
  checkName(role?.name, 'role');
  if (!Array.isArray(role.queues)) throw ERRORS.invalidParameters.make(`Role '${role.name}': queues must be a list.`);
  for (const queue of role.queues) checkName(queue, 'queue');
  return { name: role.name, queues: sortNames([...new Set(role.queues)]) };
}

function isIntIn(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= MAX_INT;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

function toQueueConfig(r: QueuesTable): QueueConfig {
  const ratePeriod = r.rate_period as RatePeriod | null;
  return {
    name: r.name,
    maxConcurrent: r.max_concurrent,
    rateNumerator: r.rate_numerator,
    rateDenominator: r.rate_denominator,
    ratePeriod,
  };
}

function toQueueRow(c: QueueConfig): QueuesTable {
  return {
    name: c.name,
    max_concurrent: c.maxConcurrent,
    rate_numerator: c.rateNumerator,
    rate_denominator: c.rateDenominator,
    rate_period: c.ratePeriod,
  };
}

/**
 * Code-unit order, done here rather than by ORDER BY: PostgreSQL sorts by the database's locale
 * collation and SQLite by bytes, and both backends must list names the same way.
 */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortNames(names: string[]): string[] {
  return names.sort(compareNames);
}

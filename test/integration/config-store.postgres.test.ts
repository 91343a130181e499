/**
 * ConfigStore contract and migration behaviour on a real PostgreSQL. The file gets its own
 * database (dropped at the end); each test starts from an empty schema, migrated afresh.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openConfigDatabase } from '../../src/config/database.js';
import { migrateToLatest } from '../../src/config/migrate.js';
import { SqlConfigStore } from '../../src/config/sql-config-store.js';
import { runConfigStoreContract } from '../contract/config-store.contract.js';

const BASE_URL = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const DB_NAME = `jobbers_cfg_${randomBytes(6).toString('hex')}`;
const url = (() => {
  const u = new URL(BASE_URL);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
})();

async function withClient<T>(connectionString: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops everything, including Kysely's migration tables, so the next open migrates from scratch. */
async function resetSchema(): Promise<void> {
  await withClient(url, (c) => c.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;'));
}

beforeAll(async () => {
  await withClient(BASE_URL, (c) => c.query(`CREATE DATABASE ${DB_NAME}`));
});

afterAll(async () => {
  await withClient(BASE_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`));
});

runConfigStoreContract('PostgreSQL', async () => {
  await resetSchema();
  const store = await SqlConfigStore.open(url);
  return { store, refreshTag: (role) => store.getRefreshTag(role), cleanup: () => store.close() };
});

describe('PostgreSQL configuration database', () => {
  beforeEach(resetSchema);

  it('accepts the SQLAlchemy spelling postgresql+asyncpg://', async () => {
    const store = await SqlConfigStore.open(url.replace(/^postgresql:/, 'postgresql+asyncpg:'));
    try {
      expect(await store.listQueues()).toEqual(['default']);
    } finally {
      await store.close();
    }
  });

  it('applies 0001 once; a second run has nothing to do', async () => {
    const db = await openConfigDatabase(url);
    try {
      expect(await migrateToLatest(db)).toEqual({ applied: ['0001-initial'] });
      expect(await migrateToLatest(db)).toEqual({ applied: [] });
    } finally {
      await db.destroy();
    }
  });

  it('two pools migrating the same database at once apply 0001 exactly once', async () => {
    // Several rounds, because the window in which both race for the tables is short.
    for (let round = 0; round < 3; round++) {
      if (round > 0) await resetSchema();
      const [a, b] = await Promise.all([openConfigDatabase(url), openConfigDatabase(url)]);
      try {
        const results = await Promise.all([migrateToLatest(a), migrateToLatest(b)]);
        expect(results.map((r) => r.applied).sort()).toEqual([[], ['0001-initial']]);
        const counts = await sql<{ q: number; r: number; m: number }>`
          select (select count(*)::int from queues) as q, (select count(*)::int from roles) as r,
                 (select count(*)::int from role_queues) as m`.execute(a);
        expect(counts.rows[0]).toEqual({ q: 1, r: 1, m: 1 });
      } finally {
        await Promise.all([a.destroy(), b.destroy()]);
      }
    }
  });
});

/** ConfigStore contract and migration behaviour on a real SQLite file (one temp file per test). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConfigDatabase } from '../../src/config/database.js';
import { migrateToLatest } from '../../src/config/migrate.js';
import { SqlConfigStore } from '../../src/config/sql-config-store.js';
import { runConfigStoreContract } from '../contract/config-store.contract.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'jobbers-cfg-'));
}

/** `sqlite:///` + an absolute path gives the four-slash absolute form. */
const urlFor = (file: string) => `sqlite:///${file}`;

runConfigStoreContract('SQLite', async () => {
  const dir = await tempDir();
  const store = await SqlConfigStore.open(urlFor(join(dir, 'config.db')));
  return {
    store,
    refreshTag: (role) => store.getRefreshTag(role),
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite configuration database', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens files in WAL mode with foreign keys on', async () => {
    const db = await openConfigDatabase(urlFor(join(dir, 'wal.db')));
    try {
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
      expect(fk.rows[0]?.foreign_keys).toBe(1);
    } finally {
      await db.destroy();
    }
  });

  it('applies 0001 once; a second run has nothing to do', async () => {
    const db = await openConfigDatabase(urlFor(join(dir, 'twice.db')));
    try {
      expect(await migrateToLatest(db)).toEqual({ applied: ['0001-initial'] });
      expect(await migrateToLatest(db)).toEqual({ applied: [] });
    } finally {
      await db.destroy();
    }
  });

  it('two connections migrating the same file at once apply 0001 exactly once', async () => {
    const file = urlFor(join(dir, 'race.db'));
    const [a, b] = await Promise.all([openConfigDatabase(file), openConfigDatabase(file)]);
    try {
      const results = await Promise.all([migrateToLatest(a), migrateToLatest(b)]);
      expect(results.map((r) => r.applied).sort()).toEqual([[], ['0001-initial']]);
      // The seed ran once: a second run would have failed on the primary keys or doubled rows.
      const counts = await sql<{ q: number; r: number; m: number }>`
        select (select count(*) from queues) as q, (select count(*) from roles) as r,
               (select count(*) from role_queues) as m`.execute(a);
      expect(counts.rows[0]).toEqual({ q: 1, r: 1, m: 1 });
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
    }
  });

  it('an in-memory URL gives a working, seeded store', async () => {
    for (const url of ['sqlite://', 'sqlite:///:memory:']) {
      const store = await SqlConfigStore.open(url);
      try {
        expect(await store.getRole('default')).toEqual({ name: 'default', queues: ['default'] });
      } finally {
        await store.close();
      }
    }
  });
});

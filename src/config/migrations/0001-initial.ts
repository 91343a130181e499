/**
 * The schema of spec §4.1 without `task_routing` (routing is not part of this store), plus the
 * seed the original created lazily: queue `default` without limits, and role `default` holding it.
 *
 * Migrations are frozen once released: never edit this file, add 0002-… instead.
 */
import type { Kysely } from 'kysely';
import { newTaskId } from '../../domain/ids.js';

// Migrations run against whatever schema exists at that point, not today's ConfigTables.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('queues')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('max_concurrent', 'integer')
    .addColumn('rate_numerator', 'integer')
    .addColumn('rate_denominator', 'integer')
    .addColumn('rate_period', 'text')
    .execute();

  await db.schema
    .createTable('roles')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('refresh_tag', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('role_queues')
    .addColumn('role', 'text', (c) => c.notNull().references('roles.name').onDelete('cascade'))
    .addColumn('queue', 'text', (c) => c.notNull().references('queues.name').onDelete('cascade'))
    .addPrimaryKeyConstraint('role_queues_pk', ['role', 'queue'])
    .execute();
  // The primary key serves lookups by role; deleting a queue looks its roles up by queue.
  await db.schema.createIndex('role_queues_queue_idx').on('role_queues').column('queue').execute();

  await db.insertInto('queues').values({ name: 'default' }).execute();
  await db.insertInto('roles').values({ name: 'default', refresh_tag: newTaskId() }).execute();
  await db.insertInto('role_queues').values({ role: 'default', queue: 'default' }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('role_queues').execute();
  await db.schema.dropTable('roles').execute();
  await db.schema.dropTable('queues').execute();
}

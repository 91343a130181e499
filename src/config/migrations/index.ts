/**
 * Every migration, in order. Kysely sorts by key, so keys start with a zero-padded number.
 * Migrations are listed here rather than read from a folder so they survive bundling and need
 * no file-system access at run time.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001-initial.js';

export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-initial': m0001,
});

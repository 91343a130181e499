/** Runs the real jobbers_migrate CLI as a child process against temporary SQLite files. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqlConfigStore } from '../../src/config/sql-config-store.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(env: Record<string, string | undefined>, args: string[] = []): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/migrate.ts', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

describe('jobbers_migrate', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jobbers-migrate-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('applies 0001 on a new database, then reports it up to date', async () => {
    const file = join(dir, 'cli.db');
    const first = await runCli({ SQL_PATH: `sqlite:///${file}` });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('0001-initial');
    expect(existsSync(file)).toBe(true);

    const second = await runCli({ SQL_PATH: `sqlite+aiosqlite:///${file}` });
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toContain('Database is up to date');
    expect(second.stdout).not.toContain('0001-initial');

    // The migrated file is usable as-is: the seed is there.
    const store = await SqlConfigStore.open(`sqlite:///${file}`);
    try {
      expect(await store.getRole('default')).toEqual({ name: 'default', queues: ['default'] });
    } finally {
      await store.close();
    }
  });

  // Process start-up jitter usually exceeds the migration itself, so this is a smoke test; the
  // in-process race in config-store.sqlite.test.ts is the one that reliably catches a missing lock.
  it('two processes migrating one file at once both succeed and apply 0001 once', async () => {
    const env = { SQL_PATH: `sqlite:///${join(dir, 'race.db')}` };
    const runs = await Promise.all([runCli(env), runCli(env)]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    expect(runs.filter((r) => r.stdout.includes('0001-initial'))).toHaveLength(1);
    expect(runs.filter((r) => r.stdout.includes('Database is up to date'))).toHaveLength(1);
  });

  it('exits 1 with a one-line message naming SQL_PATH for an unsupported URL', async () => {
    const run = await runCli({ SQL_PATH: 'mysql://x' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('SQL_PATH');
    expect(lines[0]).toContain('mysql://x');
    expect(lines[0]).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
  });

  it('exits 1 and says why when the SQLite directory does not exist', async () => {
    const run = await runCli({ SQL_PATH: `sqlite:///${join(dir, 'missing', 'x.db')}` });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(join(dir, 'missing', 'x.db'));
    expect(run.stderr).toContain('SQL_PATH');
  });

  it('--help prints usage naming SQL_PATH and its default, and exits 0 without touching a database', async () => {
    const run = await runCli({ SQL_PATH: 'mysql://never-used' }, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: jobbers_migrate');
    expect(run.stdout).toContain('SQL_PATH');
    expect(run.stdout).toContain('sqlite+aiosqlite:///jobbers.db');
  });
});

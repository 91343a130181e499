import { describe, expect, it } from 'vitest';
import { DEFAULT_SQL_PATH, parseSqlUrl } from '../../src/config/sql-url.js';
import { ERRORS, isJobbersError } from '../../src/errors.js';

describe('parseSqlUrl', () => {
  it.each([
    ['sqlite:///relative.db', 'relative.db'],
    ['sqlite:///dir/sub/relative.db', 'dir/sub/relative.db'],
    ['sqlite:////abs/path.db', '/abs/path.db'],
    ['sqlite+aiosqlite:///jobbers.db', 'jobbers.db'],
    ['sqlite+pysqlite:////var/lib/jobbers.db', '/var/lib/jobbers.db'],
    ['SQLite:///upper.db', 'upper.db'],
    ['sqlite:///:memory:', ':memory:'],
    ['sqlite://', ':memory:'],
    ['sqlite:///', ':memory:'],
  ])('%s → SQLite file %s', (url, path) => {
    expect(parseSqlUrl(url)).toEqual({ kind: 'sqlite', path });
  });

  it('the default SQL_PATH is the file jobbers.db in the working directory', () => {
    expect(parseSqlUrl(DEFAULT_SQL_PATH)).toEqual({ kind: 'sqlite', path: 'jobbers.db' });
  });

  it.each([
    ['postgresql://user@host:5432/db', 'postgresql://user@host:5432/db'],
    ['postgresql+asyncpg://user:pw@host:5432/db', 'postgresql://user:pw@host:5432/db'],
    ['postgresql+psycopg2://host/db?sslmode=require', 'postgresql://host/db?sslmode=require'],
    ['postgres://user@host/db', 'postgresql://user@host/db'],
    ['postgresql:///db', 'postgresql:///db'],
  ])('%s → PostgreSQL %s (driver suffix dropped)', (url, connectionString) => {
    expect(parseSqlUrl(url)).toEqual({ kind: 'postgres', connectionString });
  });

  it.each([
    'mysql://user@host/db',
    'mysql+pymysql://user@host/db',
    'jobbers.db',
    '/abs/jobbers.db',
    '',
    'sqlite:relative.db',
    'sqlite://host/file.db',
    'sqlite:///file.db?mode=ro',
    'postgresql://',
    'http://example.com/db',
  ])('rejects %j with a message naming SQL_PATH, the value and the accepted forms', (url) => {
    let caught: unknown;
    try {
      parseSqlUrl(url);
    } catch (err) {
      caught = err;
    }
    expect(isJobbersError(caught, 'invalidSetting')).toBe(true);
    const message = (caught as Error).message;
    expect(message).toContain('SQL_PATH');
    expect(message).toContain(`"${url}"`);
    expect(message).toContain('sqlite:///');
    expect(message).toContain('postgresql://');
    expect((caught as { code: string }).code).toBe(ERRORS.invalidSetting.code);
  });

  it('does not repeat a password from a rejected URL in the message', () => {
    expect(() => parseSqlUrl('mysql://admin:s3cret@db/x')).toThrow(/mysql:\/\/admin:\*\*\*@db\/x/);
    expect(() => parseSqlUrl('mysql://admin:s3cret@db/x')).not.toThrow(/s3cret/);
  });
});

/**
 * Settings: the only reader of process.env. Every variable is parsed once, validated, and a bad
 * value fails fast with a message naming the variable (DESIGN.md §1).
 */
import { isValidName, NAME_RULE } from '../domain/names.js';
import { ERRORS } from '../errors.js';

export interface Settings {
  /** @defaultValue redis://localhost:6379 */
  redisUrl: string;
  /** @defaultValue sqlite+aiosqlite:///jobbers.db */
  sqlPath: string;
  /** Key prefix, so several installations can share one Redis. @defaultValue jobbers */
  prefix: string;
  taskAdapter: 'msgpack';
  workerRole: string;
  workerConcurrentTasks: number;
  /** Tasks a worker claims before it exits (0 = forever). */
  workerTtl: number;
  /** Lease length in seconds: a dead worker's tasks are recovered within about this long. */
  workerLeaseTimeout: number;
  /** Seconds `continue` tasks may keep running after SIGTERM. */
  workerShutdownGrace: number;
  schedulerPollInterval: number;
  schedulerBatchSize: number;
  schedulerRole: string;
  port: number;
  host: string;
  apiToken: string | null;
  readonlyToken: string | null;
  /** Allowed CORS origins; empty = CORS off. */
  corsOrigins: string[];
  /** Largest accepted request body, bytes. */
  bodyLimit: number;
}

type Env = Record<string, string | undefined>;

function bad(name: string, value: string, expected: string): never {
  throw ERRORS.invalidSetting.make(`${name}=${JSON.stringify(value)} is invalid: expected ${expected}`);
}

function int(env: Env, name: string, def: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) bad(name, raw, `an integer from ${min} to ${max}`);
  return n;
}

function num(env: Env, name: string, def: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) bad(name, raw, `a number ≥ ${min}`);
  return n;
}

function name(env: Env, key: string, def: string): string {
  const raw = env[key] ?? def;
  if (!isValidName(raw)) bad(key, raw, NAME_RULE);
  return raw;
}

export function loadSettings(env: Env = process.env): Settings {
  const redisUrl = env.REDIS_URL || 'redis://localhost:6379';
  if (!/^rediss?:\/\//.test(redisUrl)) bad('REDIS_URL', redisUrl, 'a redis:// or rediss:// URL');
  const adapter = env.TASK_ADAPTER || 'msgpack';
  if (adapter === 'json') {
    throw ERRORS.invalidSetting.make(
      'TASK_ADAPTER=json needs the RedisJSON/RediSearch modules, which this version does not support; use TASK_ADAPTER=msgpack (the default)',
    );
  }
  if (adapter !== 'msgpack') bad('TASK_ADAPTER', adapter, '"msgpack" (or unset)');
  const prefix = env.JOBBERS_PREFIX || 'jobbers';
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(prefix))
    bad('JOBBERS_PREFIX', prefix, 'letters, digits, "_", "-", "." (1-32 characters)');
  return Object.freeze({
    redisUrl,
    sqlPath: env.SQL_PATH || 'sqlite+aiosqlite:///jobbers.db',
    prefix,
    taskAdapter: 'msgpack' as const,
    workerRole: name(env, 'WORKER_ROLE', 'default'),
    workerConcurrentTasks: int(env, 'WORKER_CONCURRENT_TASKS', 5, 1, 10_000),
    workerTtl: int(env, 'WORKER_TTL', 50, 0),
    workerLeaseTimeout: num(env, 'WORKER_LEASE_TIMEOUT', 30, 0.1),
    workerShutdownGrace: num(env, 'WORKER_SHUTDOWN_GRACE', 30, 0),
    schedulerPollInterval: num(env, 'SCHEDULER_POLL_INTERVAL', 5.0, 0.01),
    schedulerBatchSize: int(env, 'SCHEDULER_BATCH_SIZE', 1, 1, 100_000),
    schedulerRole: name(env, 'SCHEDULER_ROLE', 'default'),
    port: int(env, 'PORT', 8000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    apiToken: env.JOBBERS_API_TOKEN || null,
    readonlyToken: env.JOBBERS_READONLY_TOKEN || null,
    corsOrigins: (env.JOBBERS_CORS_ORIGINS || '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    bodyLimit: int(env, 'JOBBERS_BODY_LIMIT', 1_048_576, 1024),
  });
}

/**
 * Loads the Lua scripts once (SCRIPT LOAD) and calls them by SHA. Each script file gets
 * lua/_lib.lua prepended, so what runs inside Redis is self-contained. A NOSCRIPT reply (Redis
 * restarted or SCRIPT FLUSH) reloads the script and retries once.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';

const LUA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'lua');
const LIB = readFileSync(join(LUA_DIR, '_lib.lua'), 'utf8');

export const SCRIPT_NAMES = [
  'submit-tasks',
  'claim-tasks',
  'renew-leases',
  'retry-task',
  'finish-task',
  'cancel-task',
  'promote-due',
  'recover-leases',
  'resubmit-task',
  'prune-terminal',
  'prune-waiting',
  'set-type-limits',
  'expire-stale-leases',
] as const;
export type ScriptName = (typeof SCRIPT_NAMES)[number];

interface LoadedScript {
  source: string;
  sha: string;
}

const scripts = new Map<ScriptName, LoadedScript>(
  SCRIPT_NAMES.map((name) => {
    const source = `${LIB}\n${readFileSync(join(LUA_DIR, `${name}.lua`), 'utf8')}`;
    return [name, { source, sha: createHash('sha1').update(source).digest('hex') }];
  }),
);

export type ScriptArg = string | number | Buffer;

/** ioredis creates a Buffer-returning variant of every command at runtime; its types omit this one. */
type BufferEval = { evalshaBuffer(sha: string, numKeys: number, ...args: ScriptArg[]): Promise<unknown> };

/** Runs a script with binary-safe replies (ids and records are raw bytes). */
export async function runScript(redis: Redis, name: ScriptName, keys: string[], args: ScriptArg[]): Promise<unknown> {
  const script = scripts.get(name) as LoadedScript;
  try {
    return await (redis as unknown as BufferEval).evalshaBuffer(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    await redis.script('LOAD', script.source);
    return await (redis as unknown as BufferEval).evalshaBuffer(script.sha, keys.length, ...keys, ...args);
  }
}

/** Loads every script up front so the first real call is not a NOSCRIPT round trip. */
export async function loadScripts(redis: Redis): Promise<void> {
  await Promise.all([...scripts.values()].map((s) => redis.script('LOAD', s.source)));
}

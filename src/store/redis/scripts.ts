/**
 * Loads the Lua scripts once (SCRIPT LOAD) and calls them by SHA. Each script file gets the parts
 * of lua/_lib.lua it uses prepended, so what runs inside Redis is self-contained. A NOSCRIPT reply
 * (Redis restarted or SCRIPT FLUSH) reloads the script and retries once.
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
  'prune-rate-log',
] as const;
export type ScriptName = (typeof SCRIPT_NAMES)[number];

interface LoadedScript {
  source: string;
  sha: string;
}

/**
 * _lib.lua in paragraphs (blank-line separated; each declares one function or a group of
 * constants, with its comment). A script gets only the paragraphs it uses, directly or through
 * another paragraph: Redis runs the whole script body on every call, and defining every helper
 * each time cost about 1.9 µs per call (bench/micro.ts), more than submit-tasks.lua's own work.
 */
const LIB_PARAGRAPHS = LIB.split(/\n\s*\n/).map((text) => ({
  text,
  names: [...text.matchAll(/^local (?:function )?([\w, ]+?)\s*[=(]/gm)].flatMap((m) =>
    (m[1] as string).split(',').map((n) => n.trim()),
  ),
}));

const uses = (code: string, name: string) => new RegExp(`\\b${name}\\b`).test(code);

/** The lib paragraphs `body` needs, in their order in the file, followed by `body`. */
export function withLib(body: string): string {
  const included = new Set<number>();
  let code = body;
  for (let grew = true; grew;) {
    grew = false;
    LIB_PARAGRAPHS.forEach((p, i) => {
      if (!included.has(i) && p.names.some((n) => uses(code, n))) {
        included.add(i);
        code += `\n${p.text}`;
        grew = true;
      }
    });
  }
  const lib = LIB_PARAGRAPHS.filter((_, i) => included.has(i)).map((p) => p.text);
  return [...lib, body].join('\n\n');
}

const scripts = new Map<ScriptName, LoadedScript>(
  SCRIPT_NAMES.map((name) => {
    const source = withLib(readFileSync(join(LUA_DIR, `${name}.lua`), 'utf8'));
    return [name, { source, sha: createHash('sha1').update(source).digest('hex') }];
  }),
);

/** What SCRIPT LOAD sends for a script: its lib paragraphs and its file. */
export function scriptSource(name: ScriptName): string {
  return (scripts.get(name) as LoadedScript).source;
}

export type ScriptArg = string | number | Buffer;

/** ioredis creates a Buffer-returning variant of every command at runtime; its types omit this one. */
type BufferEval = { evalshaBuffer(sha: string, numKeys: number, ...args: ScriptArg[]): Promise<unknown> };

type Corkable = { cork(): void; uncork(): void; writable?: boolean };
/** Sockets that sent a script call in the current tick, and whether they are corked. */
const busy = new WeakMap<Corkable, { corked: boolean }>();

/**
 * The first script call of a tick is written at once (a lone call waits for nothing); further
 * calls in the same tick (many concurrent submissions, the continuations of one batch of replies)
 * are corked and leave in one write at the next tick instead of one write() system call each,
 * which is the largest single cost of a submission on the client.
 */
function coalesceWrites(redis: Redis): void {
  const stream = (redis as unknown as { stream?: Corkable }).stream;
  if (!stream || !stream.writable || redis.status !== 'ready') return;
  const state = busy.get(stream);
  if (!state) {
    busy.set(stream, { corked: false });
    process.nextTick(() => {
      const s = busy.get(stream);
      busy.delete(stream);
      if (s?.corked) stream.uncork();
    });
  } else if (!state.corked) {
    stream.cork();
    state.corked = true;
  }
}

/**
 * Runs a script with binary-safe replies (ids and records are raw bytes). A plain promise chain
 * rather than an async function: every submission and claim goes through here.
 */
export function runScript(redis: Redis, name: ScriptName, keys: string[], args: ScriptArg[]): Promise<unknown> {
  const script = scripts.get(name) as LoadedScript;
  const call = () => (redis as unknown as BufferEval).evalshaBuffer(script.sha, keys.length, ...keys, ...args);
  coalesceWrites(redis);
  return call().catch((err: unknown) => {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return redis.script('LOAD', script.source).then(call);
  });
}

/** Loads every script up front so the first real call is not a NOSCRIPT round trip. */
export async function loadScripts(redis: Redis): Promise<void> {
  await Promise.all([...scripts.values()].map((s) => redis.script('LOAD', s.source)));
}

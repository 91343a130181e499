/**
 * Micro-benchmarks of the Redis side, on a private redis-server: the figures that
 * docs/performance.md quotes for the Lua scripts come from here.
 *
 *   node --import tsx bench/micro.ts
 *
 * - header rewrite: a claim-and-complete pair of header transitions, unpack-and-repack of all 15
 *   fields (read_header/write_header) against rewriting only the changed bytes
 *   (lease_fields/completed_record/started_record); a Lua loop inside one EVAL.
 * - script prologue: an EVALSHA of `return 1`, bare and after the whole of _lib.lua (as every
 *   script was loaded before scripts.ts gave each only the helpers it uses).
 * - claim-tasks per call, with the bench's non-binding limits: nothing to do (want 0, no
 *   completions), and the concurrency-1 pattern (one completion and one claim per call); against
 *   the same claim commands for one task run in a tight Lua loop.
 * Per-call times are Redis's own (INFO commandstats), so the client and the network are left out.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { newTaskId } from '../src/domain/ids.js';
import type { NewTask } from '../src/domain/task.js';
import { RedisTaskStore } from '../src/store/redis/redis-task-store.js';
import { loadScripts, withLib } from '../src/store/redis/scripts.js';
import { startRedis } from './redis-server.js';
import { adminRedis, commandCalls } from './systems.js';

const LIB = readFileSync(new URL('../src/store/redis/lua/_lib.lua', import.meta.url), 'utf8');
const LIMITS = { maxConcurrent: 100_000, rateCount: 1_000_000, ratePeriodMs: 1000 };

function tasks(n: number): NewTask[] {
  return Array.from({ length: n }, (_, i) => ({
    id: newTaskId(),
    name: 'bench_noop',
    version: 1,
    queue: 'default',
    parameters: { i, text: 'x'.repeat(100) },
    maxRetries: 3,
    deadLetterPolicy: 'none',
    leaseExpiryPolicy: 'requeue',
  }));
}

/** Redis's own µs per EVALSHA while `fn` runs. */
async function evalshaUs(redis: Redis, fn: () => Promise<void>): Promise<number> {
  await redis.config('RESETSTAT');
  await fn();
  const s = (await commandCalls(redis)).evalsha ?? { calls: 0, usec: 0 };
  return s.usec / Math.max(1, s.calls);
}

/** µs per iteration of a Lua loop run in one EVAL (the round trip is spread over n). */
async function loopUs(redis: Redis, body: string, n: number, keys: string[] = []): Promise<number> {
  const t0 = process.hrtime.bigint();
  await redis.eval(withLib(body), keys.length, ...keys, n);
  return Number(process.hrtime.bigint() - t0) / 1000 / n;
}

const HEADER_SETUP = `local blob = struct.pack(HDR_FMT, 1, 2, 0, 0, 0, 3, 1, 12345, 1e12, 1e12, 1e12, 1e12, 0, 1e12, 0) .. string.rep('x', 150)
local out`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'jobbers-micro-'));
  const { url, proc } = await startRedis(dir);
  const redis = adminRedis(url);
  const rows: Array<[string, string]> = [];
  try {
    const n = 200_000;
    const full = await loopUs(
      redis,
      `${HEADER_SETUP}
for i = 1, tonumber(ARGV[1]) do
  local h = read_header(blob)
  h.status = S_STARTED; h.starts = h.starts + 1; h.owner = 7; h.attempt_started = i; h.heartbeat = i
  local started = write_header(h, blob)
  h = read_header(started)
  h.status = S_COMPLETED; h.completed = i
  out = write_header(h, started)
end
return #out`,
      n,
    );
    const partial = await loopUs(
      redis,
      `${HEADER_SETUP}
for i = 1, tonumber(ARGV[1]) do
  local starts = struct.unpack('>H', blob, 9) + 1
  local started = started_record(blob, starts, 7, i, i)
  local status, flags = lease_fields(started)
  out = completed_record(started, flags, i)
end
return #out`,
      n,
    );
    rows.push(['header rewrite, all 15 fields (µs per transition)', (full / 2).toFixed(2)]);
    rows.push(['header rewrite, changed bytes only (µs per transition)', (partial / 2).toFixed(2)]);

    for (const [label, source] of [
      ['EVALSHA of `return 1` (µs per call)', 'return 1'],
      ['EVALSHA of the whole _lib.lua + `return 1` (µs per call)', `${LIB}\nreturn 1`],
    ] as const) {
      const sha = (await redis.script('LOAD', source)) as string;
      const us = await evalshaUs(redis, async () => {
        for (let i = 0; i < 20_000; i += 100)
          await Promise.all(Array.from({ length: 100 }, () => redis.evalsha(sha, 0)));
      });
      rows.push([label, us.toFixed(2)]);
    }

    const store = new RedisTaskStore({ redis, prefix: 'micro' });
    await loadScripts(redis);
    const calls = 2000;
    await store.submit(tasks(calls + 10));
    const idle = await evalshaUs(redis, async () => {
      for (let i = 0; i < calls; i++)
        await store.claim({ queue: 'default', owner: 5, leaseMs: 30_000, want: 0, limits: LIMITS, completions: [] });
    });
    rows.push(['claim-tasks with nothing to do (µs per call)', idle.toFixed(1)]);
    let pending: Array<{ id: string; starts: number; results: null }> = [];
    const c1 = await evalshaUs(redis, async () => {
      for (let i = 0; i < calls; i++) {
        const r = await store.claim({
          queue: 'default',
          owner: 5,
          leaseMs: 30_000,
          want: 1,
          limits: LIMITS,
          completions: pending,
        });
        pending = r.claimed.map((c) => ({ id: c.id, starts: c.starts, results: null }));
      }
    });
    rows.push(['claim-tasks, one completion + one claim (µs per call)', c1.toFixed(1)]);
    await redis.flushall();
    await store.submit(tasks(calls));
    const loop = await loopUs(
      redis,
      `local base = base_of(KEYS[1])
for i = 1, tonumber(ARGV[1]) do
  local ids = redis.call('RPOP', base .. 'ready', 1)
  local blob = redis.call('HMGET', KEYS[1], unpack(ids))[1]
  local starts = struct.unpack('>H', blob, 9) + 1
  local updated = started_record(blob, starts, 5, struct.unpack('>d', blob, 31), i)
  redis.call('HSET', KEYS[1], ids[1], updated)
  redis.call('ZADD', base .. 'leases', 1e13, ids[1])
end
return 1`,
      calls,
      [store.keys.queue('default').tasks],
    );
    rows.push(['the same claim commands for one task, in a Lua loop (µs per task)', loop.toFixed(1)]);
  } finally {
    redis.disconnect();
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
  const width = Math.max(...rows.map(([l]) => l.length));
  for (const [label, value] of rows) process.stdout.write(`${label.padEnd(width)}  ${value}\n`);
}

await main();

/**
 * Read-only probes for the reliability suite: the engine's own records (task headers, leases,
 * queue structures) read straight from Redis, and the executions the fixture task module recorded.
 * Plus the per-test stack: an isolated key prefix, a private SQLite file and a client, and waits
 * on what it holds.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createClient, type JobbersClient } from '../../src/client.js';
import { idToBytes, bytesToId } from '../../src/domain/ids.js';
import type { AttemptError } from '../../src/domain/task.js';
import { KeyCatalogue } from '../../src/store/redis/keys.js';
import { decodeErrors, decodeHeader, type RecordHeader } from '../../src/store/redis/record-codec.js';
import type { TaskDefinition } from '../../src/tasks/define-task.js';
import { randomPrefix, SHARED_REDIS_URL, waitFor } from './reliability-env.js';

const LEASE_SENTINEL_LENGTH_MIN = 17; // task ids are 16 bytes; the sentinel is a long string

export interface TaskState extends RecordHeader {
  id: string;
  errors: AttemptError[];
}

/** Headers and error lists of `ids` in `queue` (null for a missing record), in chunks. */
export async function readTasks(
  redis: Redis,
  keys: KeyCatalogue,
  queue: string,
  ids: string[],
): Promise<Map<string, TaskState | null>> {
  const k = keys.queue(queue);
  const out = new Map<string, TaskState | null>();
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const bins = chunk.map(idToBytes);
    const [blobs, errs] = await Promise.all([
      redis.hmgetBuffer(k.tasks, ...bins),
      redis.hmgetBuffer(k.errors, ...bins),
    ]);
    chunk.forEach((id, j) => {
      const blob = blobs[j];
      out.set(id, blob ? { id, ...decodeHeader(blob), errors: decodeErrors(errs[j] ?? null) } : null);
    });
  }
  return out;
}

export interface LeaseEntry {
  id: string;
  deadline: number;
  owner: number;
  starts: number;
  status: string;
}

/** Current leases of `queue` with the owner/starts of each task record (the sentinel excluded). */
export async function leaseSnapshot(redis: Redis, keys: KeyCatalogue, queue: string): Promise<LeaseEntry[]> {
  const k = keys.queue(queue);
  const flat = await redis.zrangeBuffer(k.leases, 0, '-1', 'WITHSCORES');
  const entries: Array<{ bin: Buffer; deadline: number }> = [];
  for (let i = 0; i < flat.length; i += 2) {
    const bin = flat[i] as Buffer;
    if (bin.length >= LEASE_SENTINEL_LENGTH_MIN) continue;
    entries.push({ bin, deadline: Number(String(flat[i + 1])) });
  }
  if (entries.length === 0) return [];
  const blobs = await redis.hmgetBuffer(k.tasks, ...entries.map((e) => e.bin));
  return entries.flatMap((e, i) => {
    const blob = blobs[i];
    if (!blob) return [];
    const h = decodeHeader(blob);
    return [{ id: bytesToId(e.bin), deadline: e.deadline, owner: h.owner, starts: h.starts, status: h.status }];
  });
}

/** What is left in a queue's live structures (all zero once every task reached a terminal status). */
export async function queueResidue(redis: Redis, keys: KeyCatalogue, queue: string) {
  const k = keys.queue(queue);
  const [ready, delayed, leases] = await Promise.all([
    redis.llen(k.ready),
    redis.zcard(k.delayed),
    leaseSnapshot(redis, keys, queue),
  ]);
  return { ready, delayed, started: leases.length };
}

/** Sizes of the terminal sets of a queue. */
export async function terminalCounts(
  redis: Redis,
  keys: KeyCatalogue,
  queue: string,
): Promise<Record<'completed' | 'failed' | 'cancelled' | 'stalled' | 'dropped', number>> {
  const names = ['completed', 'failed', 'cancelled', 'stalled', 'dropped'] as const;
  const counts = await Promise.all(names.map((s) => redis.zcard(keys.queue(queue).done(s))));
  return Object.fromEntries(names.map((s, i) => [s, counts[i] as number])) as Record<(typeof names)[number], number>;
}

/** key → sha1(TYPE + DUMP) of every key matching `prefix:*` (prefix must hold no glob characters). */
export async function keyspaceDigest(redis: Redis, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const [type, dump] = await Promise.all([redis.type(key), redis.dumpBuffer(key)]);
      out.set(
        key,
        createHash('sha1')
          .update(type)
          .update(dump ?? Buffer.alloc(0))
          .digest('hex'),
      );
    }
  } while (cursor !== '0');
  return out;
}

// ------------------------------------------------------------------ fixture records

export interface Execution {
  i: number;
  token: string;
  start: number;
  pid: number;
  attempt: number;
  end: number | null;
  abort: number | null;
  abortCause: string | null;
}

/** Every execution the fixture task module recorded under `ns`, grouped by task index. */
export async function readExecutions(rec: Redis, ns: string): Promise<Map<number, Execution[]>> {
  const [starts, ends, aborts] = await Promise.all([
    rec.hgetall(`${ns}:start`),
    rec.hgetall(`${ns}:end`),
    rec.hgetall(`${ns}:abort`),
  ]);
  const byTask = new Map<number, Execution[]>();
  for (const [field, value] of Object.entries(starts)) {
    const [iStr, token] = field.split(':') as [string, string];
    const [t, pid, attempt] = value.split('|');
    const abort = aborts[field]?.split('|');
    const e: Execution = {
      i: Number(iStr),
      token,
      start: Number(t),
      pid: Number(pid),
      attempt: Number(attempt),
      end: ends[field] ? Number(ends[field]) : null,
      abort: abort ? Number(abort[0]) : null,
      abortCause: abort?.[1] ?? null,
    };
    const list = byTask.get(e.i);
    if (list) list.push(e);
    else byTask.set(e.i, [e]);
  }
  for (const list of byTask.values()) list.sort((a, b) => a.start - b.start);
  return byTask;
}

// ------------------------------------------------------------------ per-test stack

export interface ReliabilityStack {
  /** JOBBERS_PREFIX of this test. */
  prefix: string;
  /** Fixture record namespace (on the recorder Redis). */
  ns: string;
  sqlPath: string;
  redisUrl: string;
  keys: KeyCatalogue;
  client: JobbersClient;
  /** The client's main connection (engine Redis). */
  redis: Redis;
  /** Connection to where the fixture records executions. */
  recorder: Redis;
  recorderUrl: string;
  /** Environment for CLI processes of this stack. */
  env(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export async function createReliabilityStack(opts: {
  tag: string;
  redisUrl: string;
  tasks: TaskDefinition[];
  /** Where the fixture records executions; default: the shared test Redis. */
  recorderUrl?: string;
}): Promise<ReliabilityStack> {
  const prefix = randomPrefix(opts.tag);
  const ns = `relrec:${prefix}`;
  const dir = mkdtempSync(join(tmpdir(), 'jobbers-rel-'));
  const sqlPath = `sqlite:///${join(dir, 'config.db')}`;
  const recorderUrl = opts.recorderUrl ?? SHARED_REDIS_URL;
  // Applies the SQL migrations once, before any CLI process opens the same file.
  const client = await createClient({ redisUrl: opts.redisUrl, sqlPath, prefix, tasks: opts.tasks });
  const recorder = new Redis(recorderUrl, { maxRetriesPerRequest: null, connectionName: 'reliability-reader' });
  return {
    prefix,
    ns,
    sqlPath,
    redisUrl: opts.redisUrl,
    keys: new KeyCatalogue(prefix),
    client,
    redis: client.runtime.redis,
    recorder,
    recorderUrl,
    env: (extra = {}) => ({
      REDIS_URL: opts.redisUrl,
      SQL_PATH: sqlPath,
      JOBBERS_PREFIX: prefix,
      RELIABILITY_NS: ns,
      RELIABILITY_REDIS_URL: recorderUrl,
      ...extra,
    }),
    async close() {
      const delMatching = async (r: Redis, pattern: string) => {
        let cursor = '0';
        do {
          const [next, keys] = await r.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
          cursor = next;
          if (keys.length) await r.del(...keys);
        } while (cursor !== '0');
      };
      await Promise.allSettled([delMatching(recorder, `${ns}:*`), delMatching(client.runtime.redis, `${prefix}:*`)]);
      recorder.disconnect();
      await client.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls (every 250 ms) until every task of `ids` passes `done` (given null for a missing record). */
export async function waitForTasks(
  what: string,
  stack: ReliabilityStack,
  queue: string,
  ids: string[],
  done: (task: TaskState | null | undefined) => boolean,
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    what,
    async () => {
      const st = await readTasks(stack.redis, stack.keys, queue, ids);
      return ids.every((id) => done(st.get(id)));
    },
    timeoutMs,
    250,
  );
}

/** Polls until the queue's ready list, delayed set and lease set are all empty. */
export async function waitForEmptyQueue(
  what: string,
  stack: ReliabilityStack,
  queue: string,
  timeoutMs: number,
  stepMs: number,
): Promise<void> {
  await waitFor(
    what,
    async () => {
      const r = await queueResidue(stack.redis, stack.keys, queue);
      return r.ready === 0 && r.delayed === 0 && r.started === 0;
    },
    timeoutMs,
    stepMs,
  );
}

/**
 * Read paths: find a task by id, list a queue's tasks by status with exact pagination, counts.
 *
 * Task list semantic (one for every status, fixing spec B21): a queue's tasks are the union of
 * its per-status structures, listed in this order — started, submitted (oldest first),
 * scheduled (soonest first), then completed, failed, cancelled, stalled, dropped (newest first).
 * Without name/version filters pagination is computed from the structures' sizes, so pages are
 * exact and cheap. With filters the matching ids are found by scanning (bounded by SCAN_CAP).
 */
import type { Redis } from 'ioredis';
import type { TaskStatus } from '../../domain/status.js';
import type { TaskRecord } from '../../domain/task.js';
import { bytesToId, idToBytes } from '../../domain/ids.js';
import type { ListPage, QueueCounts } from '../../ports/task-store.js';
import type { KeyCatalogue } from './keys.js';
import { decodeBody, decodeHeader } from './record-codec.js';
import { toTaskRecord } from './record-mapper.js';

const LEASE_SENTINEL = '~lease-sentinel: keeps this sorted set in skiplist encoding for speed, never a task~';
const SEGMENT_ORDER: TaskStatus[] = [
  'started',
  'submitted',
  'scheduled',
  'completed',
  'failed',
  'cancelled',
  'stalled',
  'dropped',
];
/** Upper bound on ids examined by one filtered listing. */
export const SCAN_CAP = 100_000;
const CHUNK = 500;

export class TaskReader {
  private queuesCache: { at: number; names: string[] } | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly keys: KeyCatalogue,
  ) {}

  async knownQueues(fresh = false): Promise<string[]> {
    if (!fresh && this.queuesCache && Date.now() - this.queuesCache.at < 1000) return this.queuesCache.names;
    const names = (await this.redis.smembers(this.keys.queues)).sort();
    this.queuesCache = { at: Date.now(), names };
    return names;
  }

  /** Which queue holds this task; a derivation, refreshed once when the cached queue list misses. */
  async locate(id: string): Promise<{ queue: string; name: string; blob: Buffer } | null> {
    const [found] = await this.locateMany([id]);
    return found ?? null;
  }

  async locateMany(ids: string[]): Promise<Array<{ queue: string; name: string; blob: Buffer } | null>> {
    const bins = ids.map((id) => idToBytes(id));
    const attempt = async (queues: string[]) => {
      const pipe = this.redis.pipeline();
      for (const q of queues) for (const b of bins) pipe.hgetBuffer(this.keys.queue(q).tasks, b);
      const res = (await pipe.exec()) ?? [];
      return ids.map((_, i) => {
        for (let qi = 0; qi < queues.length; qi++) {
          const blob = res[qi * ids.length + i]?.[1] as Buffer | null;
          if (blob) return { queue: queues[qi] as string, name: decodeBody(blob).name, blob };
        }
        return null;
      });
    };
    let found = await attempt(await this.knownQueues());
    if (found.some((f) => f === null)) found = await attempt(await this.knownQueues(true));
    return found;
  }

  async getTask(id: string, queueHint?: string): Promise<TaskRecord | null> {
    if (queueHint) {
      const [rec] = await this.load(queueHint, [idToBytes(id)]);
      if (rec) return rec;
    }
    const loc = await this.locate(id);
    if (!loc) return null;
    const [rec] = await this.load(loc.queue, [idToBytes(id)]);
    return rec ?? null;
  }

  async getTasks(ids: string[]): Promise<Array<TaskRecord | null>> {
    const locs = await this.locateMany(ids);
    return Promise.all(
      locs.map(async (loc, i) =>
        loc ? ((await this.load(loc.queue, [idToBytes(ids[i] as string)]))[0] ?? null) : null,
      ),
    );
  }

  /** Loads full records for ids of one queue, in order; missing ids are skipped. */
  async load(queue: string, ids: Buffer[]): Promise<TaskRecord[]> {
    if (ids.length === 0) return [];
    const k = this.keys.queue(queue);
    const pipe = this.redis.pipeline();
    pipe.hmgetBuffer(k.tasks, ...ids);
    pipe.hmgetBuffer(k.results, ...ids);
    pipe.hmgetBuffer(k.errors, ...ids);
    for (const id of ids) pipe.zscore(k.leases, id);
    const res = (await pipe.exec()) ?? [];
    const blobs = res[0]?.[1] as Array<Buffer | null>;
    const results = res[1]?.[1] as Array<Buffer | null>;
    const errors = res[2]?.[1] as Array<Buffer | null>;
    const out: TaskRecord[] = [];
    ids.forEach((id, i) => {
      const blob = blobs[i];
      if (!blob) return;
      const lease = res[3 + i]?.[1] as string | null;
      out.push(
        toTaskRecord(bytesToId(id), queue, blob, results[i] ?? null, errors[i] ?? null, lease ? Number(lease) : null),
      );
    });
    return out;
  }

  private async segmentSize(queue: string, status: TaskStatus): Promise<number> {
    const k = this.keys.queue(queue);
    if (status === 'submitted') {
      const parked = await this.parkedKeys(queue);
      const sizes = await Promise.all([k.ready, ...parked].map((key) => this.redis.llen(key)));
      return sizes.reduce((a, b) => a + b, 0);
    }
    if (status === 'scheduled') return this.redis.zcard(k.delayed);
    if (status === 'started') {
      const [n, s] = await Promise.all([this.redis.zcard(k.leases), this.redis.zscore(k.leases, LEASE_SENTINEL)]);
      return n - (s === null ? 0 : 1);
    }
    return this.redis.zcard(k.done(status));
  }

  /** Ids of one status segment, positions [start, stop] in the segment's listing order. */
  private async segmentIds(queue: string, status: TaskStatus, start: number, stop: number): Promise<Buffer[]> {
    if (stop < start) return [];
    const k = this.keys.queue(queue);
    if (status === 'submitted') {
      const parked = await this.parkedKeys(queue);
      if (parked.length === 0) {
        // LPUSH enqueues, RPOP claims: the oldest entry is at the right end.
        const ids = await this.redis.lrangeBuffer(k.ready, -(stop + 1), -(start + 1));
        return ids.reverse();
      }
      // Tasks parked by a saturated per-type limit are waiting too: listed after the ready list.
      const all: Buffer[] = [];
      for (const key of [k.ready, ...parked]) all.push(...(await this.redis.lrangeBuffer(key, 0, -1)).reverse());
      return all.slice(start, stop + 1);
    }
    if (status === 'scheduled') return this.redis.zrangeBuffer(k.delayed, start, String(stop));
    if (status === 'started') {
      const ids = await this.redis.zrangeBuffer(k.leases, start, String(stop));
      return ids.filter((b) => b.length === 16);
    }
    return this.redis.zrevrangeBuffer(k.done(status), start, stop);
  }

  private async parkedKeys(queue: string): Promise<string[]> {
    const base = this.keys.queue(queue).tasks.slice(0, -'tasks'.length);
    const types = await this.redis.hkeys(`${base}type-limits`);
    return types.map((t) => `${base}parked:${t}`);
  }

  async listTasks(queue: string, page: ListPage): Promise<{ tasks: TaskRecord[]; total: number }> {
    const segments = page.status ? [page.status] : SEGMENT_ORDER;
    if (page.status === 'unsubmitted') return { tasks: [], total: 0 };
    const filtered = page.name !== undefined || page.version !== undefined;
    if (!filtered && page.orderBy !== 'task_id') {
      const sizes = await Promise.all(segments.map((s) => this.segmentSize(queue, s)));
      const total = sizes.reduce((a, b) => a + b, 0);
      const ids: Buffer[] = [];
      let skip = page.offset;
      let need = page.limit;
      for (let i = 0; i < segments.length && need > 0; i++) {
        const size = sizes[i] as number;
        if (skip >= size) {
          skip -= size;
          continue;
        }
        const take = Math.min(need, size - skip);
        ids.push(...(await this.segmentIds(queue, segments[i] as TaskStatus, skip, skip + take - 1)));
        need -= take;
        skip = 0;
      }
      return { tasks: await this.load(queue, ids), total };
    }
    // Filtered or id-ordered: collect candidate ids (bounded), filter on the record body, page.
    let candidates: Buffer[] = [];
    for (const s of segments) {
      if (candidates.length >= SCAN_CAP) break;
      candidates.push(...(await this.segmentIds(queue, s, 0, SCAN_CAP - candidates.length - 1)));
    }
    if (page.orderBy === 'task_id') candidates = candidates.sort(Buffer.compare);
    const matches = filtered ? await this.filterIds(queue, candidates, page.name, page.version) : candidates;
    const slice = matches.slice(page.offset, page.offset + page.limit);
    return { tasks: await this.load(queue, slice), total: matches.length };
  }

  private async filterIds(queue: string, ids: Buffer[], name?: string, version?: number): Promise<Buffer[]> {
    const k = this.keys.queue(queue);
    const out: Buffer[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const blobs = await this.redis.hmgetBuffer(k.tasks, ...chunk);
      chunk.forEach((id, j) => {
        const blob = blobs[j];
        if (!blob) return;
        const body = decodeBody(blob);
        if (name !== undefined && body.name !== name) return;
        if (version !== undefined && body.version !== version) return;
        out.push(id);
      });
    }
    return out;
  }

  async listActive(queue: string): Promise<TaskRecord[]> {
    const ids = await this.segmentIds(queue, 'started', 0, SCAN_CAP);
    return this.load(queue, ids);
  }

  async listScheduled(
    queue: string,
    opts: { name?: string; version?: number; after?: string; limit: number },
  ): Promise<TaskRecord[]> {
    let ids = (await this.redis.zrangeBuffer(this.keys.queue(queue).delayed, 0, String(SCAN_CAP - 1))).sort(
      Buffer.compare,
    );
    if (opts.after) {
      const after = idToBytes(opts.after);
      ids = ids.filter((id) => Buffer.compare(id, after) > 0);
    }
    const matches =
      opts.name !== undefined || opts.version !== undefined
        ? await this.filterIds(queue, ids, opts.name, opts.version)
        : ids;
    return this.load(queue, matches.slice(0, opts.limit));
  }

  /** Newest first across the selected queues. */
  async listDeadLetters(opts: {
    queue?: string;
    name?: string;
    version?: number;
    limit: number;
  }): Promise<TaskRecord[]> {
    const queues = opts.queue ? [opts.queue] : await this.knownQueues(true);
    const entries: Array<{ queue: string; id: Buffer; at: number }> = [];
    for (const q of queues) {
      const flat = await this.redis.zrevrangeBuffer(this.keys.queue(q).dlq, 0, SCAN_CAP - 1, 'WITHSCORES');
      for (let i = 0; i < flat.length; i += 2)
        entries.push({ queue: q, id: flat[i] as Buffer, at: Number(String(flat[i + 1])) });
    }
    entries.sort((a, b) => b.at - a.at);
    const out: TaskRecord[] = [];
    for (let i = 0; i < entries.length && out.length < opts.limit; i += CHUNK) {
      const chunk = entries.slice(i, i + CHUNK);
      // One pipeline per queue present in the chunk, then back into newest-first order.
      const byQueue = new Map<string, Buffer[]>();
      for (const e of chunk) byQueue.set(e.queue, [...(byQueue.get(e.queue) ?? []), e.id]);
      const loaded = new Map<string, TaskRecord>();
      for (const [q, ids] of byQueue) for (const rec of await this.load(q, ids)) loaded.set(rec.id, rec);
      for (const e of chunk) {
        const rec = loaded.get(bytesToId(e.id));
        if (!rec) continue;
        if (opts.name !== undefined && rec.name !== opts.name) continue;
        if (opts.version !== undefined && rec.version !== opts.version) continue;
        out.push(rec);
        if (out.length >= opts.limit) break;
      }
    }
    return out;
  }

  async countByStatus(queue: string): Promise<QueueCounts> {
    const k = this.keys.queue(queue);
    const pipe = this.redis.pipeline();
    pipe.llen(k.ready);
    pipe.zcard(k.delayed);
    pipe.zcard(k.leases);
    pipe.zscore(k.leases, LEASE_SENTINEL);
    const terminal: TaskStatus[] = ['completed', 'failed', 'cancelled', 'stalled', 'dropped'];
    for (const s of terminal) pipe.zcard(k.done(s));
    pipe.zcard(k.dlq);
    pipe.lindexBuffer(k.ready, -1);
    const res = ((await pipe.exec()) ?? []).map((r) => r[1]);
    const counts = {
      unsubmitted: 0,
      submitted: await this.segmentSize(queue, 'submitted'),
      scheduled: res[1] as number,
      started: (res[2] as number) - (res[3] === null ? 0 : 1),
    } as Record<TaskStatus, number>;
    terminal.forEach((s, i) => (counts[s] = res[4 + i] as number));
    let oldestWaitingAgeMs: number | null = null;
    const oldest = res[10] as Buffer | null;
    if (oldest) {
      const blob = await this.redis.hgetBuffer(k.tasks, oldest);
      if (blob) oldestWaitingAgeMs = Math.max(0, Date.now() - decodeHeader(blob).submittedAt);
    }
    return { queue, counts, dlq: res[9] as number, oldestWaitingAgeMs };
  }
}

/** Operational endpoints: `GET /stats`, `GET /workers`, `GET /healthz`. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { TASK_STATUSES } from '../../domain/status.js';
import { unpack } from '../../store/redis/record-codec.js';
import type { AppDeps } from '../deps.js';
import { NullableTime } from '../schemas/common.js';
import { iso } from '../serializers.js';

/** A registration not refreshed for this long belongs to a dead (or partitioned) worker. */
export const WORKER_LIVE_MS = 30_000;
/** /healthz answers within about this long even when a dependency hangs. */
const PING_TIMEOUT_MS = 2_000;

const STORED_STATUSES = TASK_STATUSES.filter((s) => s !== 'unsubmitted');

const QueueStats = z.object({
  queue: z.string(),
  counts: z.record(z.enum(STORED_STATUSES), z.number().int()).describe('Tasks per status.'),
  dlq: z.number().int().describe('Dead-letter queue entries.'),
  oldest_waiting_age_ms: z.number().nullable().describe('Age of the oldest queued task; null when none waits.'),
});

const WorkerInfo = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.number().int(),
  role: z.string(),
  queues: z.array(z.string()),
  concurrency: z.number().int(),
  running: z.array(z.string()).describe('Ids of the tasks it runs now.'),
  state: z.string(),
  started_at: NullableTime,
  last_seen: NullableTime,
});

const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.object({ redis: z.string(), sql: z.string() }),
  detail: z.string().optional(),
});

async function check(probe: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return 'ok';
  } catch (err) {
    return `error: ${(err as Error)?.message ?? String(err)}`;
  } finally {
    clearTimeout(timer);
  }
}

function toWorkerInfo(raw: unknown): z.output<typeof WorkerInfo> | null {
  if (!raw || typeof raw !== 'object') return null;
  const w = raw as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
  return {
    id: str(w.id),
    host: str(w.host),
    pid: Math.trunc(num(w.pid)),
    role: str(w.role),
    queues: strings(w.queues),
    concurrency: Math.trunc(num(w.concurrency)),
    running: strings(w.running),
    state: str(w.state),
    started_at: iso(num(w.startedAt)),
    last_seen: iso(num(w.lastSeen)),
  };
}

export const systemRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const rt = deps.runtime;

  app.get(
    '/stats',
    {
      schema: {
        operationId: 'getStats',
        summary: 'Per queue: tasks by status, dead-letter size, oldest waiting age',
        tags: ['system'],
        response: { 200: z.object({ queues: z.array(QueueStats) }) },
      },
    },
    async () => {
      // Queues with tasks and configured queues (a new queue shows up with zeros).
      const [known, configured] = await Promise.all([rt.store.knownQueues(), rt.config.listQueues()]);
      const names = [...new Set([...known, ...configured])].sort();
      const stats = await Promise.all(names.map((q) => rt.store.countByStatus(q)));
      return {
        queues: stats.map((s) => ({
          queue: s.queue,
          counts: Object.fromEntries(STORED_STATUSES.map((st) => [st, s.counts[st] ?? 0])) as Record<
            (typeof STORED_STATUSES)[number],
            number
          >,
          dlq: s.dlq,
          oldest_waiting_age_ms: s.oldestWaitingAgeMs,
        })),
      };
    },
  );

  app.get(
    '/workers',
    {
      schema: {
        operationId: 'getWorkers',
        summary: `Live workers (registration refreshed within ${WORKER_LIVE_MS / 1000} s)`,
        tags: ['system'],
        response: { 200: z.object({ workers: z.array(WorkerInfo) }) },
      },
    },
    async () => {
      const entries = await rt.redis.hgetallBuffer(rt.store.keys.workers);
      const cutoff = Date.now() - WORKER_LIVE_MS;
      const workers = [];
      for (const blob of Object.values(entries)) {
        let raw: unknown;
        try {
          raw = unpack(blob);
        } catch {
          continue; // A registration written by an incompatible version: not ours to show.
        }
        const lastSeen = (raw as { lastSeen?: unknown } | null)?.lastSeen;
        if (typeof lastSeen !== 'number' || lastSeen < cutoff) continue;
        const info = toWorkerInfo(raw);
        if (info) workers.push(info);
      }
      workers.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return { workers };
    },
  );

  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'getHealth',
        summary: 'Liveness and dependencies (Redis, SQL); never needs a token',
        tags: ['system'],
        security: [],
        response: { 200: Health, 503: Health },
      },
    },
    async (_req, reply) => {
      const [redis, sql] = await Promise.all([check(() => rt.redis.ping()), check(() => rt.config.ping())]);
      if (redis === 'ok' && sql === 'ok') return { status: 'ok' as const, checks: { redis, sql } };
      const failing = [redis !== 'ok' && `Redis ${redis}`, sql !== 'ok' && `SQL database ${sql}`].filter(Boolean);
      return reply.code(503).send({ status: 'unavailable', checks: { redis, sql }, detail: failing.join('; ') });
    },
  );
};

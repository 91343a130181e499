/**
 * Reliability 7 — Redis configuration guard (src/runtime/redis-guard.ts): with an eviction policy
 * other than noeviction, Redis may silently delete task records under memory pressure, so a
 * worker must say so loudly at start-up. Real worker CLIs against private redis-servers started
 * with `--maxmemory-policy allkeys-lru` / `volatile-lru` / `noeviction`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_TASKS } from '../helpers/reliability-env.js';
import { createReliabilityStack, type ReliabilityStack } from '../helpers/reliability-probe.js';
import { killAllChildren, spawnCli, workerIdentity, type LogLine } from '../helpers/reliability-procs.js';
import { PrivateRedis } from '../helpers/reliability-redis.js';
import { ResultRecorder } from '../helpers/reliability-results.js';
import { relWork } from './fixtures/tasks.js';

const POLICIES = ['allkeys-lru', 'volatile-lru', 'noeviction'] as const;

const results = new ResultRecorder(
  'redis-config-guard',
  'Redis configuration guard',
  'A worker started against a Redis that may evict keys (maxmemory-policy other than noeviction) prints a loud warning naming maxmemory-policy and the fix; with noeviction it prints none.',
);

describe('reliability: Redis eviction-policy guard', () => {
  const servers = new Map<string, PrivateRedis>();
  const stacks = new Map<string, ReliabilityStack>();

  beforeAll(async () => {
    for (const policy of POLICIES) {
      const r = await PrivateRedis.start(['--maxmemory', '64mb', '--maxmemory-policy', policy]);
      servers.set(policy, r);
      stacks.set(
        policy,
        await createReliabilityStack({ tag: `guard-${policy.slice(0, 8)}`, redisUrl: r.url, tasks: [relWork] }),
      );
    }
  });

  afterAll(async () => {
    await killAllChildren();
    results.save();
    for (const s of stacks.values()) await s.close();
    for (const r of servers.values()) await r.close();
  });

  it(
    'warns about maxmemory-policy when Redis may evict, and only then',
    results.run(async () => {
      const workers = POLICIES.map((policy) => ({
        policy,
        proc: spawnCli('worker', {
          name: `guard-${policy}`,
          env: stacks.get(policy)!.env({ WORKER_TTL: '0' }),
          args: [FIXTURE_TASKS],
        }),
      }));
      await Promise.all(workers.map((w) => workerIdentity(w.proc, 60_000)));
      const rows: Array<[string, string, string]> = [];
      for (const { policy, proc } of workers) {
        const started = proc.logs.findIndex((l) => l.msg === 'Worker started');
        const mentions = (l: LogLine) => /maxmemory-policy/.test(l.raw);
        const warnings = [
          ...proc.logs.filter(mentions),
          ...proc.stderr.filter((l) => /maxmemory-policy/.test(l)).map((raw) => ({ raw, at: 0 }) as LogLine),
        ];
        if (policy === 'noeviction') {
          expect(warnings, 'no warning with noeviction').toEqual([]);
          rows.push([policy, 'no', '–']);
          continue;
        }
        expect(warnings, `a warning with ${policy}`).toHaveLength(1);
        const w = warnings[0] as LogLine;
        expect(w.level, 'logged at warn level or above').toBeGreaterThanOrEqual(40);
        expect(w.msg).toMatch(/^WARNING/);
        expect(w.msg).toContain(`maxmemory-policy is "${policy}"`);
        expect(w.msg, 'names the fix').toContain('noeviction');
        expect(proc.logs.indexOf(w), 'printed at start-up, before "Worker started"').toBeLessThan(started);
        rows.push([policy, 'yes', String(w.msg)]);
      }
      results.table(
        'Worker start-up output per maxmemory-policy',
        ['maxmemory-policy', 'warning printed', 'message'],
        rows,
      );
      results.check(
        'allkeys-lru and volatile-lru: exactly one warn-level line at start-up, starting with WARNING, naming `maxmemory-policy`, the policy and the fix (noeviction)',
      );
      results.check('noeviction: no line mentions maxmemory-policy');
    }),
    120_000,
  );
});

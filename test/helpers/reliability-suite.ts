/**
 * The frame of a reliability test file: beforeAll starts a private redis-server and a per-test
 * stack on it; afterAll kills whatever children are left, saves the file's results (so a failed
 * run still shows up in docs/reliability.md), then closes the stack and the server. Call it inside
 * the describe block.
 */
import { afterAll, beforeAll } from 'vitest';
import type { TaskDefinition } from '../../src/tasks/define-task.js';
import { createReliabilityStack, type ReliabilityStack } from './reliability-probe.js';
import { killAllChildren } from './reliability-procs.js';
import { PrivateRedis } from './reliability-redis.js';
import type { ResultRecorder } from './reliability-results.js';

export interface ReliabilitySuite {
  readonly redis: PrivateRedis;
  readonly stack: ReliabilityStack;
}

export function reliabilitySuite(
  results: ResultRecorder,
  opts: {
    tag: string;
    tasks: TaskDefinition[];
    /** redis-server arguments (e.g. persistence). */
    redisArgs?: string[];
    /**
     * Whatever else the file needs on its Redis (a proxy, an admin connection), opened once the
     * stack is up; the function it returns runs after the results are saved, before the stack closes.
     */
    extra?: (redis: PrivateRedis) => Promise<() => unknown>;
  },
): ReliabilitySuite {
  let redis: PrivateRedis | undefined;
  let stack: ReliabilityStack | undefined;
  let closeExtra: (() => unknown) | undefined;

  beforeAll(async () => {
    redis = await PrivateRedis.start(opts.redisArgs);
    stack = await createReliabilityStack({ tag: opts.tag, redisUrl: redis.url, tasks: opts.tasks });
    closeExtra = await opts.extra?.(redis);
  });

  afterAll(async () => {
    await killAllChildren();
    results.save();
    await closeExtra?.();
    await stack?.close();
    await redis?.close();
  });

  // Read in test bodies only: both exist once beforeAll has run.
  const started = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('reliability suite not started (beforeAll failed)');
    return v;
  };
  return {
    get redis() {
      return started(redis);
    },
    get stack() {
      return started(stack);
    },
  };
}

/**
 * The cleaner: a one-shot maintenance pass (spec §7.2, with its defects fixed).
 *
 * --stale-time S       started tasks whose last heartbeat (or lease renewal) is older than S
 *                      seconds, and every task whose lease expired, are recovered: re-queued or
 *                      stalled by their policy. Needs no task module: the policy is in the record.
 * --completed-task-age A  deletes tasks that reached a terminal status more than A seconds ago,
 *                      with their results, errors and DLQ entry (no orphans).
 * --dlq-age D          removes DLQ entries older than D seconds (the task records stay until
 *                      --completed-task-age removes them).
 * --rate-limit-age R   prunes rate-limit log entries older than R seconds.
 * --min-queue-age / --max-queue-age T   delete waiting tasks submitted in the range, as the
 *                      original: only max → [0, max]; only min → [min, now]; both → [min, max];
 *                      min > max → [0, min] and [max, now]. Epoch seconds.
 */
import type { TaskStore } from '../ports/task-store.js';

export interface CleanOptions {
  staleTime?: number;
  completedTaskAge?: number;
  dlqAge?: number;
  rateLimitAge?: number;
  minQueueAge?: number;
  maxQueueAge?: number;
}

export interface CleanReport {
  queues: string[];
  recovered: number;
  pruned: number;
  dlqPruned: number;
  rateEntriesPruned: number;
  waitingPruned: number;
}

export interface CleanerStore extends TaskStore {
  expireStaleLeases?(queue: string, heartbeatBefore: number): Promise<number>;
}

export async function clean(
  store: CleanerStore,
  queues: string[],
  opts: CleanOptions,
  now = Date.now(),
): Promise<CleanReport> {
  const report: CleanReport = { queues, recovered: 0, pruned: 0, dlqPruned: 0, rateEntriesPruned: 0, waitingPruned: 0 };
  for (const q of queues) {
    if (opts.staleTime !== undefined) {
      if (store.expireStaleLeases) await store.expireStaleLeases(q, now - opts.staleTime * 1000);
      for (;;) {
        const n = await store.recoverExpiredLeases(q, 1000);
        report.recovered += n;
        if (n < 1000) break;
      }
    }
    if (opts.completedTaskAge !== undefined)
      report.pruned += await store.pruneTerminal(q, now - opts.completedTaskAge * 1000);
    if (opts.dlqAge !== undefined) report.dlqPruned += await store.pruneDeadLetters(q, now - opts.dlqAge * 1000);
    if (opts.rateLimitAge !== undefined)
      report.rateEntriesPruned += await store.pruneRateLog(q, now - opts.rateLimitAge * 1000);
    for (const [lo, hi] of waitingRanges(opts, now)) report.waitingPruned += await store.pruneWaiting(q, lo, hi);
  }
  return report;
}

/** The original's range rules, in epoch ms. */
export function waitingRanges(opts: CleanOptions, now: number): Array<[number, number]> {
  const min = opts.minQueueAge === undefined ? undefined : opts.minQueueAge * 1000;
  const max = opts.maxQueueAge === undefined ? undefined : opts.maxQueueAge * 1000;
  if (min === undefined && max === undefined) return [];
  if (min === undefined) return [[0, max as number]];
  if (max === undefined) return [[min, now]];
  if (min <= max) return [[min, max]];
  return [
    [0, min],
    [max, now],
  ];
}

import { useEffect, useState } from 'react';
import type { QueueStats } from '../api/types';

/** Totals over all queues at one poll of /stats. */
export interface StatsSample {
  at: number;
  completed: number;
  failed: number;
  waiting: number;
  running: number;
}

/** Per-second rates between two consecutive samples, plus the backlog at the later one. */
export interface RatePoint {
  at: number;
  completedPerSec: number;
  failedPerSec: number;
  waiting: number;
  running: number;
}

export function toSample(stats: readonly QueueStats[], at: number): StatsSample {
  const sum = (pick: (q: QueueStats) => number) => stats.reduce((acc, q) => acc + pick(q), 0);
  return {
    at,
    completed: sum((q) => q.counts.completed),
    // A task that ends badly is failed or stalled; retries in between are not failures yet.
    failed: sum((q) => q.counts.failed + q.counts.stalled),
    waiting: sum((q) => q.counts.submitted + q.counts.scheduled),
    running: sum((q) => q.counts.started),
  };
}

/**
 * Rates from counters. Counts drop when the cleaner prunes finished tasks, so a negative
 * difference is read as "no new completions" rather than plotted below zero.
 */
export function toRates(samples: readonly StatsSample[]): RatePoint[] {
  const points: RatePoint[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1] as StatsSample;
    const b = samples[i] as StatsSample;
    const secs = (b.at - a.at) / 1000;
    if (secs <= 0) continue;
    points.push({
      at: b.at,
      completedPerSec: Math.max(0, b.completed - a.completed) / secs,
      failedPerSec: Math.max(0, b.failed - a.failed) / secs,
      waiting: b.waiting,
      running: b.running,
    });
  }
  return points;
}

/** Keeps the last `max` samples of the /stats query (one per successful fetch). */
export function useStatsHistory(stats: readonly QueueStats[] | undefined, fetchedAt: number, max = 120) {
  const [samples, setSamples] = useState<StatsSample[]>([]);
  useEffect(() => {
    if (!stats || !fetchedAt) return;
    setSamples((prev) => {
      if (prev.length > 0 && (prev[prev.length - 1] as StatsSample).at === fetchedAt) return prev;
      return [...prev, toSample(stats, fetchedAt)].slice(-max);
    });
  }, [stats, fetchedAt, max]);
  return { samples, rates: toRates(samples) };
}

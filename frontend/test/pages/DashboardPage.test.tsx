import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { toRates, toSample } from '../../src/hooks/useStatsHistory';
import DashboardPage from '../../src/pages/DashboardPage/DashboardPage';
import { fakeApi, makeQueueStats, makeSummary, renderPage } from '../testUtils';

describe('DashboardPage', () => {
  it('shows per-queue counts linking to the filtered task list, workers and running tasks', async () => {
    const running = makeSummary({ status: 'started', name: 'slow_task' });
    const api = fakeApi({
      getStats: async () => [makeQueueStats('default', { completed: 12, failed: 3 }, 2)],
      getWorkers: async () => [
        {
          id: 'w1',
          host: 'box-1',
          pid: 42,
          role: 'default',
          queues: ['default'],
          concurrency: 5,
          running: [running.id],
          state: 'running',
          started_at: null,
          last_seen: null,
        },
      ],
      getActiveTasks: async () => [running],
    });
    renderPage(<DashboardPage />, { api });
    const failed = await screen.findByRole('link', { name: '3' });
    expect(failed.getAttribute('href')).toBe('/tasks?queue=default&status=failed');
    expect(screen.getByRole('link', { name: '2' }).getAttribute('href')).toBe('/dlq?queue=default');
    expect(await screen.findByText('box-1')).toBeTruthy();
    expect(screen.getByText('1/5')).toBeTruthy();
    expect(await screen.findAllByRole('link', { name: running.id })).toHaveLength(2); // worker row + running tasks table
  });

  it('says what to do when nothing is there yet', async () => {
    const api = fakeApi({ getStats: async () => [], getWorkers: async () => [], getActiveTasks: async () => [] });
    renderPage(<DashboardPage />, { api });
    expect(await screen.findByText(/No live worker: start one with jobbers_worker/)).toBeTruthy();
    expect(screen.getByText('No task is running.')).toBeTruthy();
    expect(screen.getAllByText('Collecting samples…')).toHaveLength(3);
  });
});

describe('stats history', () => {
  it('derives per-second rates from counters, never below zero', () => {
    const s0 = toSample(
      [makeQueueStats('a', { completed: 10, failed: 1 }), makeQueueStats('b', { completed: 5, submitted: 4 })],
      0,
    );
    const s1 = toSample(
      [
        makeQueueStats('a', { completed: 16, failed: 2, stalled: 1 }),
        makeQueueStats('b', { completed: 5, started: 2 }),
      ],
      2000,
    );
    // The cleaner pruned finished tasks between s1 and s2: counts drop.
    const s2 = toSample([makeQueueStats('a', { completed: 3 })], 4000);
    expect(s0).toEqual({ at: 0, completed: 15, failed: 1, waiting: 4, running: 0 });
    expect(toRates([s0, s1, s2])).toEqual([
      { at: 2000, completedPerSec: 3, failedPerSec: 1, waiting: 0, running: 2 },
      { at: 4000, completedPerSec: 0, failedPerSec: 0, waiting: 0, running: 0 },
    ]);
  });
});

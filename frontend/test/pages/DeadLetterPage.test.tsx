import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import DeadLetterPage from '../../src/pages/DeadLetterPage/DeadLetterPage';
import { fakeApi, makeSummary, renderPage } from '../testUtils';

const dead = [
  makeSummary({ name: 'always_fail_task', status: 'failed', retry_attempt: 2, last_error: 'always fails' }),
  makeSummary({ status: 'failed' }),
];

function setup(url = '/dlq') {
  const api = fakeApi({
    getQueues: async () => ['default'],
    getTaskTypes: async () => [],
    getDeadLetters: async () => dead,
    getDeadLetterHistory: async () => [
      { attempt: 0, timestamp: '2026-11-29T10:00:01.000Z', error: 'always fails', type: 'CustomError' },
      { attempt: 1, timestamp: '2026-11-29T10:00:02.000Z', error: 'always fails again', type: 'CustomError' },
    ],
    resubmitDeadLetters: async () => ({ resubmitted: 1, tasks: [] }),
    removeDeadLetters: async (ids: string[]) => ({ removed: ids.length, task_ids: ids }),
  });
  return renderPage(<DeadLetterPage />, { api, url, path: '/dlq' });
}

describe('DeadLetterPage', () => {
  it('shows the full error history of a task on demand', async () => {
    const { api } = setup();
    await screen.findByText(dead[0]?.id ?? '');
    const row = screen.getByText(dead[0]?.id ?? '').closest('tr') as HTMLElement;
    await userEvent.setup().click(within(row).getByRole('button', { name: 'Errors' }));
    expect(await screen.findByText('always fails again')).toBeTruthy();
    expect(screen.getByText('Attempt 2')).toBeTruthy();
    expect(screen.getAllByText('CustomError')).toHaveLength(2);
    expect(api.getDeadLetterHistory).toHaveBeenCalledWith(dead[0]?.id);
  });

  it('deletes the selection after confirmation', async () => {
    const { api } = setup();
    await screen.findByText(dead[1]?.id ?? '');
    const user = userEvent.setup();
    await user.click(screen.getByLabelText('Select all'));
    await user.click(screen.getByRole('button', { name: 'Delete selected (2)' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));
    expect(api.removeDeadLetters).toHaveBeenCalledWith(dead.map((t) => t.id));
    expect(await screen.findByText('2 entries removed from the dead-letter queue.')).toBeTruthy();
  });

  it('resubmits every task matching the URL filters, and only with a filter', async () => {
    const { api } = setup('/dlq?task_name=always_fail_task');
    await screen.findByText(dead[0]?.id ?? '');
    const user = userEvent.setup();
    await user.click(screen.getByLabelText('reset retry count'));
    await user.click(screen.getByRole('button', { name: 'Resubmit all matching' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Resubmit all' }));
    await waitFor(() =>
      expect(api.resubmitDeadLetters).toHaveBeenCalledWith({
        queue: undefined,
        task_name: 'always_fail_task',
        task_version: undefined,
        limit: 100,
        reset_retry_count: false,
      }),
    );
  });

  it('offers no filter-wide resubmit without a filter, and says when the queue is empty', async () => {
    const api = fakeApi({ getQueues: async () => [], getTaskTypes: async () => [], getDeadLetters: async () => [] });
    renderPage(<DeadLetterPage />, { api, url: '/dlq', path: '/dlq' });
    expect(await screen.findByText('The dead-letter queue is empty.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Resubmit all matching' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

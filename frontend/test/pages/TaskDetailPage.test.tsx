import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors';
import TaskDetailPage from '../../src/pages/TaskDetailPage/TaskDetailPage';
import { formatTime } from '../../src/utils/format';
import { fakeApi, makeDetail, makeSummary, renderPage } from '../testUtils';

describe('TaskDetailPage', () => {
  it('shows parameters, results, timestamps and every attempt error with its time', async () => {
    const task = makeDetail({
      status: 'failed',
      parameters: { value: 'p-value' },
      results: { partial: 'r-value' },
      completed_at: '2026-11-29T10:05:00.000Z',
      errors: [
        { attempt: 0, timestamp: '2026-11-29T10:01:00.000Z', error: 'first failure', type: 'CustomError' },
        { attempt: 1, timestamp: '2026-11-29T10:02:00.000Z', error: 'second failure', type: null },
      ],
    });
    renderPage(<TaskDetailPage />, {
      api: fakeApi({ getTask: async () => task }),
      url: `/tasks/${task.id}`,
      path: '/tasks/:taskId',
    });
    expect(await screen.findByText(/"p-value"/)).toBeTruthy();
    expect(screen.getByText(/"r-value"/)).toBeTruthy();
    expect(screen.getByText('Errors (2)')).toBeTruthy();
    expect(screen.getByText('second failure')).toBeTruthy();
    expect(screen.getByText(formatTime('2026-11-29T10:01:00.000Z'))).toBeTruthy();
    expect(screen.getByText('Finished').nextSibling?.textContent).toContain(formatTime('2026-11-29T10:05:00.000Z'));
    // A failed task can be resubmitted, not cancelled.
    expect(screen.queryByRole('button', { name: 'Cancel task' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Resubmit' })).toBeTruthy();
  });

  it('cancels a running task after confirmation and reports the server answer', async () => {
    const task = makeDetail({ status: 'started' });
    const api = fakeApi({
      getTask: async () => task,
      cancelTask: async () => ({ message: 'Cancellation request sent', task: makeSummary() }),
    });
    renderPage(<TaskDetailPage />, { api, url: `/tasks/${task.id}`, path: '/tasks/:taskId' });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Cancel task' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel task' }));
    expect(api.cancelTask).toHaveBeenCalledWith(task.id);
    expect(await screen.findByText('Cancellation request sent')).toBeTruthy();
  });

  it('says so when the task does not exist', async () => {
    const api = fakeApi({ getTask: () => Promise.reject(new ApiError(404, 'Task 01J… not found')) });
    renderPage(<TaskDetailPage />, { api, url: '/tasks/01JX', path: '/tasks/:taskId' });
    expect((await screen.findByRole('alert')).textContent).toContain('Task 01J… not found');
  });
});

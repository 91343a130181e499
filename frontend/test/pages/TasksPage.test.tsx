import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Api } from '../../src/api/client';
import type { TaskListQuery } from '../../src/api/types';
import TasksPage, { summarizeCancel } from '../../src/pages/TasksPage/TasksPage';
import { fakeApi, makeDetail, renderPage } from '../testUtils';

const page = Array.from({ length: 20 }, () => makeDetail({ status: 'failed', last_error: 'boom' }));

function setup(url = '/tasks?queue=emails&status=failed') {
  const api = fakeApi({
    getQueues: async () => ['default', 'emails'],
    getTaskTypes: async () => [],
    getTaskList: async () => ({ tasks: page, total: 45 }),
    cancelTasks: async (ids: string[]) => ({
      results: ids.map((task_id) => ({
        task_id,
        status: 'cancellation_requested' as const,
        task_status: 'cancelled' as const,
      })),
    }),
  });
  return renderPage(<TasksPage />, { api, url, path: '/tasks' });
}

const lastQuery = (api: Api) =>
  (api.getTaskList as unknown as { mock: { calls: TaskListQuery[][] } }).mock.calls.at(-1)?.[0];

describe('TasksPage', () => {
  it('reads filters from the URL and pages exactly with the total', async () => {
    const { api, router } = setup('/tasks?queue=emails&status=failed&offset=20');
    expect(await screen.findByText('21–40 of 45')).toBeTruthy();
    expect(screen.getByText('Page 2 of 3')).toBeTruthy();
    expect(lastQuery(api)).toMatchObject({ queue: 'emails', status: 'failed', offset: 20, limit: 20 });

    await userEvent.setup().click(screen.getByRole('button', { name: 'Next ›' }));
    await waitFor(() => expect(lastQuery(api)).toMatchObject({ offset: 40 }));
    expect(new URLSearchParams(router.state.location.search).get('offset')).toBe('40');
  });

  it('puts a filter change in the URL and starts again at page 1', async () => {
    const { api, router } = setup('/tasks?queue=emails&offset=20');
    await screen.findByText('21–40 of 45');
    await userEvent.setup().selectOptions(screen.getByLabelText('Status'), 'started');
    await waitFor(() => expect(lastQuery(api)).toMatchObject({ status: 'started', offset: 0 }));
    const search = new URLSearchParams(router.state.location.search);
    expect(search.get('status')).toBe('started');
    expect(search.get('offset')).toBeNull();
  });

  it('cancels the selected tasks only after confirmation', async () => {
    const { api } = setup();
    await screen.findByText('1–20 of 45');
    const user = userEvent.setup();
    await user.click(screen.getByLabelText(`Select ${page[0]?.id}`));
    await user.click(screen.getByLabelText(`Select ${page[2]?.id}`));
    await user.click(screen.getByRole('button', { name: 'Cancel selected (2)' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel 2 tasks?' });
    expect(api.cancelTasks).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel tasks' }));
    expect(api.cancelTasks).toHaveBeenCalledWith([page[0]?.id, page[2]?.id]);
    expect(await screen.findByText('2 cancelled, 0 asked to stop')).toBeTruthy();
  });

  it('shows the error of a failed load', async () => {
    const api = fakeApi({
      getQueues: async () => ['default'],
      getTaskTypes: async () => [],
      getTaskList: () => Promise.reject(new Error('Redis is down')),
    });
    renderPage(<TasksPage />, { api, url: '/tasks', path: '/tasks' });
    expect((await screen.findByRole('alert')).textContent).toMatch(/Could not load: Redis is down/);
  });
});

describe('summarizeCancel', () => {
  it('counts each outcome', () => {
    expect(
      summarizeCancel([
        { task_id: 'a', status: 'cancellation_requested', task_status: 'cancelled' },
        { task_id: 'b', status: 'cancellation_requested', task_status: 'started' },
        { task_id: 'c', status: 'not_found' },
        { task_id: 'd', status: 'error', detail: 'Task is completed' },
      ]),
    ).toBe('1 cancelled, 1 asked to stop, 1 not found, 1 refused (Task is completed)');
  });
});

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import QueuesPage from '../../src/pages/QueuesPage/QueuesPage';
import RolesPage from '../../src/pages/RolesPage/RolesPage';
import { fakeApi, makeQueueConfig, renderPage } from '../testUtils';

describe('QueuesPage', () => {
  it('lists queues with their limits and the roles that serve them', async () => {
    const api = fakeApi({
      getQueues: async () => ['default', 'emails'],
      getQueueConfig: async (name: string) =>
        name === 'emails'
          ? makeQueueConfig('emails', {
              max_concurrent: null,
              rate_numerator: 5,
              rate_denominator: 1,
              rate_period: 'minute',
            })
          : makeQueueConfig('default'),
      getRoles: async () => ['default'],
      getRole: async () => ({ role: 'default', queues: ['default'] }),
    });
    renderPage(<QueuesPage />, { api, url: '/queues', path: '/queues' });
    const row = (await screen.findByText('emails')).closest('tr') as HTMLElement;
    expect(row.textContent).toContain('unlimited');
    expect(row.textContent).toContain('5 per minute');
    expect(row.textContent).toContain('no role: no worker serves it');
  });

  it('creates a queue and refreshes the list; delete needs confirmation', async () => {
    let names = ['default'];
    const api = fakeApi({
      getQueues: async () => names,
      getQueueConfig: async (name: string) => makeQueueConfig(name),
      getRoles: async () => [],
      createQueue: async (body) => {
        names = [...names, body.name];
        return { message: 'Queue created successfully', queue: makeQueueConfig(body.name) };
      },
      deleteQueue: async () => ({ message: 'deleted' }),
    });
    renderPage(<QueuesPage />, { api, url: '/queues', path: '/queues' });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'New queue' }));
    await user.type(screen.getByLabelText('Name'), 'reports');
    await user.click(screen.getByRole('button', { name: 'Create queue' }));
    expect(await screen.findByText('Queue created successfully: reports')).toBeTruthy();
    expect(api.createQueue).toHaveBeenCalledWith({
      name: 'reports',
      max_concurrent: 10,
      rate_numerator: null,
      rate_denominator: null,
      rate_period: null,
    });
    const row = (await screen.findByRole('link', { name: 'reports' })).closest('tr') as HTMLElement;

    await user.click(within(row).getByRole('button', { name: 'Delete' }));
    expect(api.deleteQueue).not.toHaveBeenCalled();
    await user.click(
      within(screen.getByRole('dialog', { name: 'Delete queue reports?' })).getByRole('button', {
        name: 'Delete queue',
      }),
    );
    await waitFor(() => expect(api.deleteQueue).toHaveBeenCalledWith('reports'));
  });
});

describe('RolesPage', () => {
  it('assigns a queue to a role', async () => {
    const api = fakeApi({
      getQueues: async () => ['default', 'emails'],
      getRoles: async () => ['mailers'],
      getRole: async () => ({ role: 'mailers', queues: ['default'] }),
      updateRole: async (name: string, queues: string[]) => ({
        message: 'Role updated successfully',
        role: name,
        queues,
      }),
    });
    renderPage(<RolesPage />, { api, url: '/roles', path: '/roles' });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Edit queues' }));
    const form = screen.getByRole('form', { name: 'Edit role mailers' });
    await user.click(within(form).getByLabelText('emails'));
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(api.updateRole).toHaveBeenCalledWith('mailers', ['default', 'emails']);
    expect(await screen.findByText('Role updated successfully: mailers serves default, emails.')).toBeTruthy();
  });

  it('checks a new role name before creating it', async () => {
    const api = fakeApi({
      getQueues: async () => ['default'],
      getRoles: async () => [],
      createRole: async () => ({ message: '', role: '', queues: [] }),
    });
    renderPage(<RolesPage />, { api, url: '/roles', path: '/roles' });
    const user = userEvent.setup();
    expect(await screen.findByText('No role yet.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'New role' }));
    await user.type(screen.getByLabelText('Role name'), 'bad name!');
    await user.click(screen.getByRole('button', { name: 'Create role' }));
    expect(screen.getByText(/is not valid \(Role name/)).toBeTruthy();
    expect(api.createRole).not.toHaveBeenCalled();
  });
});

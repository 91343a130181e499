import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/api/client';
import { createTokenStore, TOKEN_KEY } from '../../src/api/token-store';
import { fakeFetch } from '../testUtils';

const ID = '01JABCDEFGHJKMNPQRSTVWXYZ0';

function setup(body: unknown = {}) {
  const { fetch, calls } = fakeFetch(() => ({ body }));
  return { api: createApiClient({ baseUrl: '/api', fetch, tokens: createTokenStore(null) }), calls };
}

describe('api client', () => {
  it('builds the task list query from the filters, leaving unset ones out', async () => {
    const { api, calls } = setup({ tasks: [], total: 0 });
    await api.getTaskList({ queue: 'emails', limit: 20, offset: 40, status: 'failed', task_name: undefined });
    expect(calls[0]?.url).toBe('/api/task-list?queue=emails&limit=20&offset=40&status=failed');
  });

  it('addresses one task by id in the path', async () => {
    const { api, calls } = setup({ message: 'ok', task: {} });
    await api.cancelTask(ID);
    await api.resubmitTask(ID, false);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      `POST /api/task/${ID}/cancel`,
      `POST /api/tasks/${ID}/resubmit`,
    ]);
    expect(calls[1]?.body).toEqual({ reset_retry_count: false });
  });

  it('sends DELETE with a body for the DLQ and a bare array for role queues', async () => {
    const { api, calls } = setup({ removed: 1, task_ids: [ID], role: 'r', queues: [], message: '' });
    await api.removeDeadLetters([ID]);
    await api.updateRole('mailers', ['emails', 'sms']);
    expect(calls[0]).toMatchObject({ method: 'DELETE', url: '/api/dead-letter-queue', body: { task_ids: [ID] } });
    expect(calls[1]).toMatchObject({ method: 'PUT', url: '/api/roles/mailers', body: ['emails', 'sms'] });
  });

  it('reads task types with their parameter schemas from /task-types', async () => {
    const schema = { type: 'object', properties: { value: { type: 'string' } } };
    const common = { queue: 'default', max_retries: 3, timeout: null, dead_letter_policy: 'none', on_shutdown: 'stop', max_concurrent: null };
    const { api, calls } = setup({
      task_types: [
        { name: 'echo_task', version: 1, ...common, parameters_schema: schema },
        { name: 'slow_task', version: 2, ...common, parameters_schema: null },
      ],
    });
    expect(await api.getTaskTypes()).toEqual([
      { name: 'echo_task', version: 1, parametersSchema: schema },
      { name: 'slow_task', version: 2, parametersSchema: null },
    ]);
    expect(calls[0]?.url).toMatch(/\/api\/task-types$/);
  });

  it('unwraps list responses', async () => {
    const { api } = setup({ queues: ['a', 'b'] });
    expect(await api.getQueues()).toEqual(['a', 'b']);
  });

  it('reads the token kept in sessionStorage', async () => {
    sessionStorage.setItem(TOKEN_KEY, 'from-session');
    const { fetch, calls } = fakeFetch(() => ({ body: { roles: [] } }));
    await createApiClient({ fetch, tokens: createTokenStore(sessionStorage) }).getRoles();
    expect(calls[0]).toMatchObject({ url: '/api/roles', headers: { Authorization: 'Bearer from-session' } });
  });
});

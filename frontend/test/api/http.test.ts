import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors';
import { buildUrl, createCaller } from '../../src/api/http';
import { createTokenStore } from '../../src/api/token-store';
import { fakeFetch } from '../testUtils';

const ID = '01JABCDEFGHJKMNPQRSTVWXYZ0';

describe('buildUrl', () => {
  it('joins base and path, encodes path parameters and drops empty query values', () => {
    expect(buildUrl('/api', '/roles/{role_name}', { role_name: 'a b/c' })).toBe('/api/roles/a%20b%2Fc');
    expect(
      buildUrl(
        '/api/',
        '/task-list',
        {},
        { queue: 'q', status: '', task_name: undefined, task_version: null, offset: 0 },
      ),
    ).toBe('/api/task-list?queue=q&offset=0');
    expect(buildUrl('/api', '/stats', {}, { queue: '' })).toBe('/api/stats');
    expect(buildUrl('http://m:8000', '/')).toBe('http://m:8000/');
  });

  it('refuses to build a path with a missing parameter', () => {
    expect(() => buildUrl('/api', '/tasks/{task_id}', {})).toThrow(/task_id/);
  });
});

describe('createCaller', () => {
  it('sends JSON bodies with a Content-Type, and the bearer token once one is set', async () => {
    const tokens = createTokenStore(null);
    const { fetch, calls } = fakeFetch(() => ({ body: { results: [] } }));
    const call = createCaller({ baseUrl: '/api', fetch, tokens });
    await call('getStats', {});
    tokens.setToken('s3cret');
    await call('cancelTasks', { body: { task_ids: [ID] } });
    expect(calls[0]).toMatchObject({ url: '/api/stats', method: 'GET' });
    expect(calls[0]?.headers).not.toHaveProperty('Authorization');
    expect(calls[0]?.headers).not.toHaveProperty('Content-Type');
    expect(calls[1]).toMatchObject({ url: '/api/tasks/cancel', method: 'POST', body: { task_ids: [ID] } });
    expect(calls[1]?.headers).toMatchObject({ Authorization: 'Bearer s3cret', 'Content-Type': 'application/json' });
  });

  it('maps a 422 detail list to an ApiError with one problem per field', async () => {
    const detail = [
      { loc: ['body', 'name'], msg: 'must be letters, digits', type: 'invalid_string' },
      { loc: ['body', 'max_concurrent'], msg: 'must be >= 0', type: 'too_small' },
    ];
    const { fetch } = fakeFetch(() => ({ status: 422, body: { detail } }));
    const call = createCaller({ baseUrl: '/api', fetch, tokens: createTokenStore(null) });
    const err = await call('createQueue', { body: { name: '-bad' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(422);
    expect((err as ApiError).problems).toHaveLength(2);
    expect((err as ApiError).message).toBe('name: must be letters, digits; max_concurrent: must be >= 0');
  });

  it('uses the detail string of other errors, and the status when the body is not JSON', async () => {
    const { fetch } = fakeFetch((url) =>
      url.includes('tasks')
        ? { status: 404, body: { detail: `Task ${ID} not found` } }
        : { status: 502, text: '<html>bad gateway</html>' },
    );
    const call = createCaller({ baseUrl: '/api', fetch, tokens: createTokenStore(null) });
    await expect(call('getTask', { params: { task_id: ID } })).rejects.toMatchObject({
      status: 404,
      message: `Task ${ID} not found`,
    });
    await expect(call('getStats', {})).rejects.toMatchObject({ status: 502, message: 'HTTP 502 Bad Gateway' });
  });

  it('asks for a token on 401 and reports unreachable servers as status 0', async () => {
    const tokens = createTokenStore(null);
    const { fetch } = fakeFetch(() => ({ status: 401, body: { detail: 'Invalid bearer token' } }));
    await expect(createCaller({ baseUrl: '/api', fetch, tokens })('getStats', {})).rejects.toMatchObject({
      status: 401,
    });
    expect(tokens.getState()).toMatchObject({ needsToken: true, reason: 'Invalid bearer token' });

    const down = (() => Promise.reject(new TypeError('fetch failed'))) as unknown as typeof fetch;
    await expect(createCaller({ baseUrl: '/api', fetch: down, tokens })('getStats', {})).rejects.toMatchObject({
      status: 0,
      message: expect.stringContaining('fetch failed'),
    });
  });
});

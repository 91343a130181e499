import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/api/client';
import { createTokenStore, TOKEN_KEY } from '../../src/api/token-store';
import { Layout } from '../../src/components/Layout/Layout';
import { useStats } from '../../src/hooks/useSystem';
import { fakeFetch, makeQueueStats, renderPage } from '../testUtils';

function StatsProbe() {
  const stats = useStats(false);
  return <div>{stats.data ? `queues: ${stats.data.map((q) => q.queue).join(',')}` : 'no data'}</div>;
}

describe('bearer token flow', () => {
  it('prompts on 401, keeps the token for the session and retries with it', async () => {
    const { fetch, calls } = fakeFetch((_url, init) => {
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === 'Bearer letmein'
        ? { body: { queues: [makeQueueStats('default')] } }
        : { status: 401, body: { detail: 'Not authenticated' } };
    });
    const tokens = createTokenStore(sessionStorage);
    const api = createApiClient({ fetch, tokens });
    renderPage(
      <>
        <StatsProbe />
        <Layout />
      </>,
      { api, tokens },
    );

    const dialog = await screen.findByRole('dialog', { name: 'API token' });
    expect(dialog.textContent).toMatch(/JOBBERS_API_TOKEN/);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Token'), 'letmein');
    await user.click(screen.getByRole('button', { name: 'Use token' }));

    await screen.findByText('queues: default');
    expect(screen.queryByRole('dialog', { name: 'API token' })).toBeNull();
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe('letmein');
    expect(calls.at(-1)?.headers.Authorization).toBe('Bearer letmein');
  });

  it('shows why a stored token was refused, and "Forget token" clears it', async () => {
    sessionStorage.setItem(TOKEN_KEY, 'stale');
    const { fetch } = fakeFetch(() => ({ status: 401, body: { detail: 'Invalid bearer token' } }));
    const tokens = createTokenStore(sessionStorage);
    renderPage(
      <>
        <StatsProbe />
        <Layout />
      </>,
      { api: createApiClient({ fetch, tokens }), tokens },
    );
    await screen.findByText('Invalid bearer token');
    tokens.setToken('other'); // closes the prompt; the header now offers to forget it
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Forget token' }));
    await waitFor(() => expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull());
  });
});

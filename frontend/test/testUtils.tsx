/**
 * Test helpers: a fake API (every method rejects unless the test stubs it), providers with a
 * memory router, and data factories for the server's shapes.
 */
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { vi } from 'vitest';
import { createApiClient, type Api } from '../src/api/client';
import { createTokenStore, type TokenStore } from '../src/api/token-store';
import type { QueueConfig, QueueStats, TaskDetail, TaskSummary } from '../src/api/types';
import { AppProviders, createQueryClient } from '../src/app/AppProviders';

type Stubs = { [K in keyof Api]?: Api[K] };

/** An Api whose methods are vi.fn()s; unstubbed ones reject so a forgotten stub fails loudly. */
export function fakeApi(stubs: Stubs = {}): Api {
  const names = Object.keys(createApiClient({ tokens: createTokenStore(null) })) as Array<keyof Api>;
  const api = {} as Record<keyof Api, unknown>;
  for (const name of names) {
    api[name] = vi.fn(stubs[name] ?? (() => Promise.reject(new Error(`fakeApi.${name} was not stubbed`))));
  }
  return api as Api;
}

interface RenderOptions {
  api?: Api;
  tokens?: TokenStore;
  /** Initial URL, e.g. `/tasks?queue=default`. */
  url?: string;
  /** Route pattern the element is mounted at, e.g. `/tasks/:taskId`. */
  path?: string;
}

export function renderPage(
  element: ReactElement,
  { api = fakeApi(), tokens = createTokenStore(null), url = '/', path = '/' }: RenderOptions = {},
) {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { retry: false, refetchInterval: false, staleTime: Infinity } });
  const router = createMemoryRouter(
    [
      { path, element },
      { path: '*', element: <div>elsewhere</div> },
    ],
    { initialEntries: [url] },
  );
  const view = render(
    <AppProviders api={api} tokens={tokens} queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...view, api, router, queryClient };
}

let seq = 0;
/** A ULID-shaped id, unique per call. */
export function makeId(): string {
  seq += 1;
  return `01JABCDEFGHJKMNPQRSTV${String(seq).padStart(5, '0')}`;
}

export function makeSummary(overrides: Partial<TaskSummary> = {}): TaskSummary {
  return {
    id: makeId(),
    name: 'echo_task',
    queue: 'default',
    version: 1,
    parameters: { value: 'x' },
    status: 'submitted',
    retry_attempt: 0,
    submitted_at: '2026-11-29T10:00:00.000Z',
    ...overrides,
  };
}

export function makeDetail(overrides: Partial<TaskDetail> = {}): TaskDetail {
  const base = makeSummary();
  return {
    ...base,
    max_retries: 2,
    starts: 0,
    results: null,
    errors: [],
    created_at: base.submitted_at,
    started_at: null,
    retried_at: null,
    attempt_started_at: null,
    heartbeat_at: null,
    completed_at: null,
    scheduled_at: null,
    lease_expires_at: null,
    cancel_requested: false,
    dead_letter_policy: 'none',
    lease_expiry_policy: 'requeue',
    traceparent: null,
    ...overrides,
  };
}

export function makeQueueStats(queue: string, counts: Partial<QueueStats['counts']> = {}, dlq = 0): QueueStats {
  return {
    queue,
    counts: {
      submitted: 0,
      started: 0,
      completed: 0,
      cancelled: 0,
      stalled: 0,
      failed: 0,
      dropped: 0,
      scheduled: 0,
      ...counts,
    },
    dlq,
    oldest_waiting_age_ms: null,
  };
}

export function makeQueueConfig(name: string, overrides: Partial<QueueConfig> = {}): QueueConfig {
  return { name, max_concurrent: 10, rate_numerator: null, rate_denominator: null, rate_period: null, ...overrides };
}

/** A fetch double answering JSON; `calls` records url, method, headers and parsed body. */
export function fakeFetch(
  answer: (url: string, init: RequestInit) => { status?: number; body?: unknown; text?: string },
) {
  const calls: Array<{ url: string; method: string; headers: Record<string, string>; body: unknown }> = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    calls.push({
      url,
      method: init.method ?? 'GET',
      headers: { ...(init.headers as Record<string, string>) },
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const a = answer(url, init);
    const text = a.text ?? (a.body === undefined ? '' : JSON.stringify(a.body));
    return new Response(text, { status: a.status ?? 200, statusText: a.status === 502 ? 'Bad Gateway' : '' });
  });
  return { fetch: fn as unknown as typeof fetch, calls };
}

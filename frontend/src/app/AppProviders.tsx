import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiProvider } from '../api/ApiContext';
import type { Api } from '../api/client';
import { ApiError } from '../api/errors';
import type { TokenStore } from '../api/token-store';

/** Client errors (4xx) are answers, not glitches: retrying them only delays the message. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
        staleTime: 1000,
      },
      mutations: { retry: false },
    },
  });
}

export function AppProviders({
  api,
  tokens,
  queryClient,
  children,
}: {
  api: Api;
  tokens: TokenStore;
  queryClient: QueryClient;
  children: ReactNode;
}) {
  return (
    <QueryClientProvider client={queryClient}>
      <ApiProvider api={api} tokens={tokens}>
        {children}
      </ApiProvider>
    </QueryClientProvider>
  );
}

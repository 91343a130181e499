import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { Api } from './client';
import type { TokenState, TokenStore } from './token-store';

interface ApiContextValue {
  api: Api;
  tokens: TokenStore;
}

const ApiContext = createContext<ApiContextValue | null>(null);

export function ApiProvider({ api, tokens, children }: ApiContextValue & { children: ReactNode }) {
  return <ApiContext.Provider value={{ api, tokens }}>{children}</ApiContext.Provider>;
}

function useApiContext(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi() needs an <ApiProvider> above it');
  return value;
}

export function useApi(): Api {
  return useApiContext().api;
}

export function useTokens(): TokenStore {
  return useApiContext().tokens;
}

export function useTokenState(): TokenState {
  const tokens = useTokens();
  return useSyncExternalStore(tokens.subscribe, tokens.getState);
}

/**
 * The bearer token for a Manager started with JOBBERS_API_TOKEN. It lives in sessionStorage: it
 * survives reloads of the tab but not the browser session, and it is never sent anywhere but
 * the API. `needsToken` turns true when the API answers 401, which opens the token prompt.
 */
export interface TokenState {
  token: string | null;
  needsToken: boolean;
  /** The server's message for the last rejection ("Invalid bearer token", ...). */
  reason: string | null;
}

export interface TokenStore {
  getState(): TokenState;
  subscribe(listener: () => void): () => void;
  setToken(token: string): void;
  clear(): void;
  reject(reason: string): void;
}

export const TOKEN_KEY = 'jobbers.apiToken';

export function createTokenStore(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null): TokenStore {
  let state: TokenState = { token: storage?.getItem(TOKEN_KEY) || null, needsToken: false, reason: null };
  const listeners = new Set<() => void>();
  const update = (next: TokenState) => {
    state = next;
    for (const l of listeners) l();
  };
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setToken(token) {
      storage?.setItem(TOKEN_KEY, token);
      update({ token, needsToken: false, reason: null });
    },
    clear() {
      storage?.removeItem(TOKEN_KEY);
      update({ token: null, needsToken: false, reason: null });
    },
    reject(reason) {
      if (state.needsToken && state.reason === reason) return;
      update({ ...state, needsToken: true, reason });
    },
  };
}

/** sessionStorage when the browser allows it (private modes may throw). */
export function sessionStorageOrNull(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

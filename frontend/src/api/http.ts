/**
 * One HTTP call to an operation of the generated contract: fills the path, drops empty query
 * values, attaches the bearer token, and turns every failure into an ApiError.
 */
import { ApiError, errorMessage, toApiError } from './errors';
import { operations, type Operations } from './schema.gen';
import type { TokenStore } from './token-store';

export type OperationId = keyof Operations;
type Part<K extends OperationId, P extends 'body' | 'query' | 'params'> = Operations[K][P];
type Field<T, Name extends string> = [T] extends [never] ? unknown : { [N in Name]: T };

/** `{ params, query, body }` exactly as the operation declares them. */
export type CallArgs<K extends OperationId> = Field<Part<K, 'params'>, 'params'> &
  Field<Part<K, 'query'>, 'query'> &
  Field<Part<K, 'body'>, 'body'>;

export type QueryValue = string | number | boolean | null | undefined;

/** `base + path`, with `{name}` segments encoded and empty query values (null, undefined, '') left out. */
export function buildUrl(
  base: string,
  path: string,
  params: Readonly<Record<string, string>> = {},
  query: Readonly<Record<string, QueryValue>> = {},
): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new Error(`Missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') search.append(k, String(v));
  }
  const qs = search.toString();
  return `${base.replace(/\/+$/, '')}${filled}${qs ? `?${qs}` : ''}`;
}

export interface HttpOptions {
  /** Prefix of every API path, e.g. `/api` (default) or `http://manager:8000`. */
  baseUrl: string;
  fetch: typeof fetch;
  tokens: TokenStore;
}

interface LooseArgs {
  params?: Record<string, string>;
  query?: Record<string, QueryValue>;
  body?: unknown;
}

export type Caller = <K extends OperationId>(op: K, args: CallArgs<K>) => Promise<Operations[K]['response']>;

export function createCaller({ baseUrl, fetch: doFetch, tokens }: HttpOptions): Caller {
  return async (op, args) => {
    const { method, path } = operations[op];
    const a = args as LooseArgs;
    const headers: Record<string, string> = { Accept: 'application/json' };
    const { token } = tokens.getState();
    if (token) headers.Authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (a.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(a.body);
    }
    let res: Response;
    try {
      res = await doFetch(buildUrl(baseUrl, path, a.params, a.query), { method, headers, body });
    } catch (err) {
      throw new ApiError(0, `Cannot reach the Manager API (${errorMessage(err)})`);
    }
    const text = await res.text();
    let data: unknown = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        if (res.ok) throw new ApiError(res.status, `The API answered ${method} ${path} with something other than JSON`);
      }
    }
    if (!res.ok) {
      const err = toApiError(res.status, res.statusText, data);
      if (res.status === 401) tokens.reject(err.message);
      throw err;
    }
    return data as Operations[typeof op]['response'];
  };
}

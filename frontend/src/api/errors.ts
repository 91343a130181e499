/** The one error type the data layer throws; views show `message` and, for 422, `problems`. */
import type { ValidationProblem } from './types';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    message: string,
    /** Field-level problems of a 422 (empty otherwise). */
    readonly problems: readonly ValidationProblem[] = [],
  ) {
    super(message);
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}

function isProblem(v: unknown): v is ValidationProblem {
  if (!v || typeof v !== 'object') return false;
  const p = v as Record<string, unknown>;
  return Array.isArray(p.loc) && typeof p.msg === 'string';
}

/** `body.loc` without the leading "body"/"querystring": `["body","name"]` → `name`. */
export function problemPath(p: ValidationProblem): string {
  const loc = p.loc.filter((part, i) => !(i === 0 && (part === 'body' || part === 'querystring' || part === 'params')));
  return loc.join('.');
}

/** Maps a non-2xx answer to an ApiError: `detail` string, 422 lists, or a plain status text. */
export function toApiError(status: number, statusText: string, body: unknown): ApiError {
  const detail = body && typeof body === 'object' ? (body as { detail?: unknown }).detail : undefined;
  if (typeof detail === 'string' && detail) return new ApiError(status, detail);
  if (Array.isArray(detail)) {
    const problems = detail.filter(isProblem);
    const text = problems.map((p) => (problemPath(p) ? `${problemPath(p)}: ${p.msg}` : p.msg)).join('; ');
    return new ApiError(status, text || `HTTP ${status}`, problems);
  }
  return new ApiError(status, `HTTP ${status}${statusText ? ` ${statusText}` : ''}`);
}

/** A readable message for anything a query or mutation may reject with. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * Retry delay computation (spec §3.4). `attempt` is the retry count *before* this retry
 * (0 for the first retry), which is why linear backoff's first retry has zero delay.
 */
export const BACKOFF_STRATEGIES = ['constant', 'linear', 'exponential', 'exponential_jitter'] as const;
export type BackoffStrategy = (typeof BACKOFF_STRATEGIES)[number];

export interface BackoffOptions {
  /** Base delay in seconds; null means "retry immediately, without the scheduler". */
  retryDelay: number | null;
  backoff: BackoffStrategy;
  /** Upper bound in seconds for any computed delay. */
  maxRetryDelay: number;
}

/** Delay in seconds before the next attempt. */
export function computeRetryDelay(opts: BackoffOptions, attempt: number, random: () => number = Math.random): number {
  const base = opts.retryDelay ?? 0;
  let delay: number;
  switch (opts.backoff) {
    case 'constant':
      delay = base;
      break;
    case 'linear':
      delay = base * attempt;
      break;
    case 'exponential':
      delay = base * 2 ** attempt;
      break;
    case 'exponential_jitter':
      delay = random() * base * 2 ** attempt;
      break;
  }
  return Math.max(0, Math.min(delay, opts.maxRetryDelay));
}

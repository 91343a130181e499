/** jobbers_cleaner's flags (the original's six, in seconds or epoch seconds). */
import { parseArgs } from 'node:util';
import { ERRORS } from '../errors.js';
import type { CleanOptions } from './cleaner.js';

const FLAGS = {
  'stale-time': 'staleTime',
  'completed-task-age': 'completedTaskAge',
  'dlq-age': 'dlqAge',
  'rate-limit-age': 'rateLimitAge',
  'min-queue-age': 'minQueueAge',
  'max-queue-age': 'maxQueueAge',
} as const;

export function parseCleanerArgs(argv: string[]): CleanOptions {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.keys(FLAGS).map((f) => [f, { type: 'string' as const }])),
      strict: true,
    }) as { values: Record<string, string | undefined> });
  } catch (err) {
    throw ERRORS.badRequest.make(`${(err as Error).message}; see jobbers_cleaner --help`);
  }
  const opts: CleanOptions = {};
  for (const [flag, key] of Object.entries(FLAGS)) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n < 0) {
      throw ERRORS.badRequest.make(
        `--${flag} must be a number ≥ 0 (seconds${flag.endsWith('queue-age') ? ' since the epoch' : ''}), got "${raw}"`,
      );
    }
    opts[key] = n;
  }
  return opts;
}

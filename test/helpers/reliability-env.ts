/**
 * Shared settings of the reliability suite (test/reliability, issue #6).
 *
 * CI runs short variants (the whole folder in about three minutes on two cores); setting
 * RELIABILITY_LONG=1 scales every scenario up for local soak runs. Figures are written as JSON to
 * RESULTS_DIR and rendered into docs/reliability.md by scripts/reliability-report.ts.
 */
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LONG = process.env.RELIABILITY_LONG === '1';
export const MODE: 'ci' | 'long' = LONG ? 'long' : 'ci';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_DIR = process.env.RELIABILITY_RESULTS_DIR ?? join(REPO_ROOT, '.tmp', 'reliability');
export const REPORT_PATH = join(REPO_ROOT, 'docs', 'reliability.md');
export const FIXTURE_TASKS = join(REPO_ROOT, 'test', 'reliability', 'fixtures', 'tasks.ts');

/** The Redis every test may share (each on its own key prefix); private servers are started per file. */
export const SHARED_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** `ci` value normally, `long` value under RELIABILITY_LONG=1. */
export function scale<T>(ci: T, long: T): T {
  return LONG ? long : ci;
}

/** A fresh key prefix accepted by JOBBERS_PREFIX (letters, digits, `_.-`, ≤ 32 characters). */
export function randomPrefix(tag: string): string {
  return `rel-${tag}-${randomBytes(4).toString('hex')}`.slice(0, 32);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `pred` until it holds; throws with `what` in the message after `timeoutMs`. */
export async function waitFor(
  what: string,
  pred: () => Promise<boolean> | boolean,
  timeoutMs: number,
  stepMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await pred()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

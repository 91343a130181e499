/** Pure domain rules: ids, backoff, names, statuses. */
import { describe, expect, it } from 'vitest';
import { bytesToId, idTime, idToBytes, isValidTaskId, newTaskId } from '../../src/domain/ids.js';
import { computeRetryDelay } from '../../src/domain/backoff.js';
import { isValidName } from '../../src/domain/names.js';
import { queueLimits } from '../../src/domain/queue-config.js';
import { STATUS_CODE, statusFromCode, TASK_STATUSES } from '../../src/domain/status.js';

describe('task ids', () => {
  it('round-trip between the 26-char and 16-byte forms, and byte order is time order', () => {
    const ids = Array.from({ length: 500 }, () => newTaskId());
    for (const id of ids) expect(bytesToId(idToBytes(id))).toBe(id);
    const sorted = [...ids].map(idToBytes).sort(Buffer.compare).map(bytesToId);
    expect(sorted).toEqual(ids); // monotonic factory: creation order
    expect(idToBytes('7ZZZZZZZZZZZZZZZZZZZZZZZZZ').toString('hex')).toBe('f'.repeat(32));
    expect(Math.abs(idTime(newTaskId()) - Date.now())).toBeLessThan(1000);
  });

  it('rejects what is not a ULID', () => {
    for (const bad of [
      '',
      'abc',
      '8ZZZZZZZZZZZZZZZZZZZZZZZZZ',
      '01ARZ3NDEKTSV4RRFFQ69G5FAU',
      '01ARZ3NDEKTSV4RRFFQ69G5FA',
    ]) {
      expect(isValidTaskId(bad)).toBe(false);
    }
    expect(() => idToBytes('01ARZ3NDEKTSV4RRFFQ69G5FAU')).toThrow(/not a ULID/);
  });
});

describe('backoff (spec §3.4)', () => {
  const opts = (
    backoff: 'constant' | 'linear' | 'exponential' | 'exponential_jitter',
    retryDelay: number | null,
    maxRetryDelay = 3600,
  ) => ({
    backoff,
    retryDelay,
    maxRetryDelay,
  });
  it('follows the original table', () => {
    expect(computeRetryDelay(opts('exponential', 60), 0)).toBe(60);
    expect(computeRetryDelay(opts('exponential', 60), 1)).toBe(120);
    expect(computeRetryDelay(opts('linear', 30), 0)).toBe(0);
    expect(computeRetryDelay(opts('linear', 30), 1)).toBe(30);
    expect(computeRetryDelay(opts('linear', 30), 2)).toBe(60);
    expect(computeRetryDelay(opts('constant', 5), 7)).toBe(5);
    expect(computeRetryDelay(opts('exponential_jitter', 10), 2, () => 0.5)).toBe(20);
    expect(computeRetryDelay(opts('constant', null), 3)).toBe(0);
  });
  it('caps at max_retry_delay; 0 means immediate', () => {
    expect(computeRetryDelay(opts('exponential', 60, 100), 5)).toBe(100);
    expect(computeRetryDelay(opts('exponential', 50, 100), 1)).toBe(100);
    expect(computeRetryDelay(opts('constant', 60, 0), 0)).toBe(0);
  });
});

describe('names', () => {
  it('accept plain names and refuse key-pattern and control characters', () => {
    for (const ok of ['default', 'external-api', 'a.b_c-1', 'Q'.repeat(64)]) expect(isValidName(ok)).toBe(true);
    for (const bad of ['', 'a:b', '{x}', 'a*', 'a b', 'é', 'a\n', '-x', '.x', 'Q'.repeat(65)])
      expect(isValidName(bad)).toBe(false);
  });
});

describe('statuses and limits', () => {
  it('keep the exact strings and stable codes', () => {
    expect(TASK_STATUSES).toEqual([
      'unsubmitted',
      'submitted',
      'started',
      'completed',
      'cancelled',
      'stalled',
      'failed',
      'dropped',
      'scheduled',
    ]);
    for (const s of TASK_STATUSES) expect(statusFromCode(STATUS_CODE[s])).toBe(s);
  });
  it('a queue is rate limited only with numerator, denominator and period all set', () => {
    expect(
      queueLimits({ name: 'q', maxConcurrent: 3, rateNumerator: 100, rateDenominator: 2, ratePeriod: 'minute' }),
    ).toEqual({
      maxConcurrent: 3,
      rateCount: 100,
      ratePeriodMs: 120_000,
    });
    expect(
      queueLimits({ name: 'q', maxConcurrent: null, rateNumerator: 0, rateDenominator: 1, ratePeriod: 'second' })
        .rateCount,
    ).toBe(0);
    expect(queueLimits(null)).toEqual({ maxConcurrent: 0, rateCount: 0, ratePeriodMs: 0 });
  });
});

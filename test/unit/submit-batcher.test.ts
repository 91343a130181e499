/** SubmitBatcher: one call per tick and key after the first, outcomes split per caller. */
import { describe, expect, it } from 'vitest';
import { SubmitBatcher } from '../../src/store/redis/submit-batcher.js';

function recorder(fail = false) {
  const calls: Array<{ key: string; items: number[] }> = [];
  const send = (key: string, items: number[]) => {
    calls.push({ key, items: [...items] });
    return fail ? Promise.reject(new Error('Redis is down')) : Promise.resolve(items.map((i) => i * 10));
  };
  return { calls, send };
}

describe('SubmitBatcher', () => {
  it('sends the first call of a tick at once and the rest of the tick together, per key', async () => {
    const { calls, send } = recorder();
    const b = new SubmitBatcher(send);
    const results = Promise.all([b.submit('a', [1]), b.submit('a', [2, 3]), b.submit('b', [4]), b.submit('a', [5])]);
    expect(calls).toEqual([
      { key: 'a', items: [1] },
      { key: 'b', items: [4] },
    ]);
    expect(await results).toEqual([[10], [20, 30], [40], [50]]);
    expect(calls).toEqual([
      { key: 'a', items: [1] },
      { key: 'b', items: [4] },
      { key: 'a', items: [2, 3, 5] },
    ]);
    // A later tick starts again with an immediate call.
    await b.submit('a', [6]);
    expect(calls.at(-1)).toEqual({ key: 'a', items: [6] });
  });

  it('caps a batch: at maxItems it is sent at once and a new one collects the rest', async () => {
    const { calls, send } = recorder();
    const b = new SubmitBatcher(send, 3);
    const all = Promise.all([1, 2, 3, 4, 5, 6].map((i) => b.submit('a', [i])));
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
    expect(await all).toEqual([[10], [20], [30], [40], [50], [60]]);
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('rejects every caller of a failed call, and only them', async () => {
    const { send } = recorder(true);
    const b = new SubmitBatcher(send);
    const settled = await Promise.allSettled([b.submit('a', [1]), b.submit('a', [2]), b.submit('a', [3])]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
  });
});

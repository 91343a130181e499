/**
 * Joins submissions made to one queue in the same tick into one script call.
 *
 * The first submission of a tick is sent at once, so a lone submission waits for nothing. Any
 * further ones in the same tick (a busy producer: many requests submitting concurrently, replies
 * arriving together) are queued and sent together at process.nextTick, each caller receiving the
 * outcomes of its own tasks. Per task the result is the same as separate calls (each task is
 * stored or reported a duplicate on its own, in call order); what is saved is a script call, its
 * encoding and its reply per submission, the largest cost of a submission on the client.
 *
 * States per key: no entry (the next call is sent at once) → open batch (the tick's first call
 * went out; later calls join it) → flushed at nextTick (no entry again). A batch that reaches
 * `maxItems` tasks is sent at once and a fresh one opened, so one tick cannot build a huge call.
 */
interface Waiter<R> {
  count: number;
  resolve: (outcomes: R[]) => void;
  reject: (err: unknown) => void;
}

interface Batch<T, R> {
  items: T[];
  waiters: Array<Waiter<R>>;
}

export class SubmitBatcher<T, R> {
  private readonly open = new Map<string, Batch<T, R>>();

  constructor(
    private readonly send: (key: string, items: T[]) => Promise<R[]>,
    private readonly maxItems = 1000,
  ) {}

  submit(key: string, items: T[]): Promise<R[]> {
    const batch = this.open.get(key);
    if (!batch) {
      this.open.set(key, { items: [], waiters: [] });
      process.nextTick(() => this.flush(key));
      try {
        return this.send(key, items);
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }
    const outcome = new Promise<R[]>((resolve, reject) => batch.waiters.push({ count: items.length, resolve, reject }));
    for (const item of items) batch.items.push(item);
    if (batch.items.length >= this.maxItems) {
      this.open.set(key, { items: [], waiters: [] });
      this.dispatch(key, batch);
    }
    return outcome;
  }

  private flush(key: string): void {
    const batch = this.open.get(key);
    this.open.delete(key);
    if (batch) this.dispatch(key, batch);
  }

  private dispatch(key: string, batch: Batch<T, R>): void {
    if (batch.waiters.length === 0) return;
    let sent: Promise<R[]>;
    try {
      sent = this.send(key, batch.items);
    } catch (err) {
      sent = Promise.reject(err as Error);
    }
    sent.then(
      (outcomes) => {
        let at = 0;
        for (const w of batch.waiters) {
          w.resolve(outcomes.slice(at, at + w.count));
          at += w.count;
        }
      },
      (err: unknown) => {
        for (const w of batch.waiters) w.reject(err);
      },
    );
  }
}

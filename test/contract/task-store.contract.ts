/**
 * The TaskStore contract (spec §12.2 as a checklist, plus the transitions this port adds).
 * Any adapter runs it: `runTaskStoreContract('redis', makeStore)`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { newTaskId } from '../../src/domain/ids.js';
import { NO_LIMITS } from '../../src/domain/queue-config.js';
import type { NewTask } from '../../src/domain/task.js';
import type { ClaimRequest, TaskStore } from '../../src/ports/task-store.js';

export interface StoreFixture {
  store: TaskStore;
  /** Moves the store's clock view: expires every lease of a queue now (simulates a dead worker). */
  expireLeases(queue: string): Promise<void>;
  cleanup(): Promise<void>;
}

export function newTask(over: Partial<NewTask> = {}): NewTask {
  return {
    id: newTaskId(),
    name: 'echo',
    version: 1,
    queue: 'q1',
    parameters: { i: 1 },
    maxRetries: 2,
    deadLetterPolicy: 'save',
    leaseExpiryPolicy: 'requeue',
    ...over,
  };
}

const OWNER = 4242;

function claimReq(queue: string, want: number, over: Partial<ClaimRequest> = {}): ClaimRequest {
  return { queue, owner: OWNER, leaseMs: 30_000, want, limits: NO_LIMITS, completions: [], ...over };
}

export function runTaskStoreContract(adapter: string, make: () => Promise<StoreFixture>): void {
  describe(`TaskStore contract: ${adapter}`, () => {
    let fx: StoreFixture;
    let store: TaskStore;
    beforeEach(async () => {
      fx = await make();
      store = fx.store;
      return () => fx.cleanup();
    });

    describe('submit and read', () => {
      it('stores and enqueues a task; getTask round-trips every field', async () => {
        const t = newTask({ parameters: { a: [1, 2], b: { c: 'x' } } });
        expect(await store.submit([t])).toEqual(['stored']);
        const rec = await store.getTask(t.id);
        expect(rec).toMatchObject({
          id: t.id,
          name: 'echo',
          version: 1,
          queue: 'q1',
          status: 'submitted',
          retryAttempt: 0,
          maxRetries: 2,
        });
        expect(rec?.parameters).toEqual({ a: [1, 2], b: { c: 'x' } });
        expect(rec?.submittedAt).toBeGreaterThan(0);
        expect(rec?.errors).toEqual([]);
        expect(rec?.results).toBeNull();
        expect(rec?.deadLetterPolicy).toBe('save');
      });

      it('returns null for an absent task', async () => {
        expect(await store.getTask(newTaskId())).toBeNull();
      });

      it('a duplicate id is refused and changes nothing', async () => {
        const t = newTask();
        await store.submit([t]);
        expect(await store.submit([{ ...t, name: 'other' }])).toEqual(['duplicate']);
        expect((await store.getTask(t.id))?.name).toBe('echo');
        expect((await store.countByStatus('q1')).counts.submitted).toBe(1);
      });

      it('bulk submission keeps per-item outcomes in order across queues', async () => {
        const a = newTask();
        const b = newTask({ queue: 'q2' });
        await store.submit([a]);
        expect(await store.submit([newTask(), a, b])).toEqual(['stored', 'duplicate', 'stored']);
        expect((await store.knownQueues()).sort()).toEqual(['q1', 'q2']);
      });

      it('a future run_at stores the task as scheduled, not ready', async () => {
        const t = newTask({ runAt: Date.now() + 60_000 });
        await store.submit([t]);
        const rec = await store.getTask(t.id);
        expect(rec?.status).toBe('scheduled');
        expect(rec?.runAt).toBe(t.runAt);
        expect((await store.claim(claimReq('q1', 10))).claimed).toHaveLength(0);
      });

      it('getTasks preserves input order and gives null for missing ids', async () => {
        const a = newTask();
        const b = newTask({ queue: 'q2' });
        await store.submit([a, b]);
        const got = await store.getTasks([b.id, newTaskId(), a.id]);
        expect(got.map((t) => t?.id ?? null)).toEqual([b.id, null, a.id]);
      });
    });

    describe('task list', () => {
      it('is empty for an empty queue', async () => {
        expect(await store.listTasks('q1', { offset: 0, limit: 10 })).toEqual({ tasks: [], total: 0 });
      });

      it('pages are disjoint, exact, in submission order, with the total', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          const t = newTask({ parameters: { i } });
          ids.push(t.id);
          await store.submit([t]);
        }
        const p1 = await store.listTasks('q1', { offset: 0, limit: 3 });
        const p2 = await store.listTasks('q1', { offset: 3, limit: 3 });
        expect(p1.total).toBe(5);
        expect([...p1.tasks, ...p2.tasks].map((t) => t.id)).toEqual(ids);
        expect((await store.listTasks('q1', { offset: 9, limit: 3 })).tasks).toEqual([]);
      });

      it('covers every status and filters by status, name and version exactly', async () => {
        const tasks = [
          newTask({ name: 'a', version: 1 }),
          newTask({ name: 'a', version: 2 }),
          newTask({ name: 'b', version: 1 }),
          newTask({ name: 'a', version: 1 }),
        ];
        await store.submit(tasks);
        const claim = await store.claim(claimReq('q1', 1)); // the oldest: a@1 → started
        expect(claim.claimed[0]?.id).toBe(tasks[0]?.id);
        const all = await store.listTasks('q1', { offset: 0, limit: 10 });
        expect(all.total).toBe(4);
        expect(all.tasks[0]?.status).toBe('started');
        const started = await store.listTasks('q1', { status: 'started', offset: 0, limit: 10 });
        expect(started.tasks.map((t) => t.id)).toEqual([tasks[0]?.id]);
        const a1 = await store.listTasks('q1', { name: 'a', version: 1, offset: 0, limit: 10 });
        expect(a1.tasks.map((t) => t.id).sort()).toEqual([tasks[0]?.id, tasks[3]?.id].sort());
        expect(a1.total).toBe(2);
        // Filtered pagination is exact (the original's msgpack adapter overlapped pages).
        const f1 = await store.listTasks('q1', { name: 'a', offset: 0, limit: 2 });
        const f2 = await store.listTasks('q1', { name: 'a', offset: 2, limit: 2 });
        expect(f1.total).toBe(3);
        expect(new Set([...f1.tasks, ...f2.tasks].map((t) => t.id)).size).toBe(3);
        const none = await store.listTasks('q1', { name: 'zzz', offset: 0, limit: 10 });
        expect(none).toEqual({ tasks: [], total: 0 });
      });

      it('orders by task id when asked, and isolates queues', async () => {
        const a = newTask();
        const b = newTask();
        await store.submit([b]);
        await store.submit([a]);
        await store.submit([newTask({ queue: 'other' })]);
        const byId = await store.listTasks('q1', { offset: 0, limit: 10, orderBy: 'task_id' });
        expect(byId.tasks.map((t) => t.id)).toEqual([a.id, b.id].sort());
        expect(byId.total).toBe(2);
      });
    });

    describe('claim, complete, leases', () => {
      it('claims atomically in FIFO order: started, lease taken, attempt timestamps set', async () => {
        const t1 = newTask();
        const t2 = newTask();
        await store.submit([t1]);
        await store.submit([t2]);
        const res = await store.claim(claimReq('q1', 1));
        expect(res.claimed.map((c) => c.id)).toEqual([t1.id]);
        const rec = await store.getTask(t1.id);
        expect(rec?.status).toBe('started');
        expect(rec?.starts).toBe(1);
        expect(rec?.leaseExpiresAt).toBeGreaterThan(Date.now());
        expect(rec?.startedAt).toBeGreaterThan(0);
        expect((await store.countByStatus('q1')).counts).toMatchObject({ started: 1, submitted: 1 });
      });

      it('every field survives claim → retry → claim → complete: only what a transition changes moves', async () => {
        const t = newTask({ maxRetries: 5, deadLetterPolicy: 'save', leaseExpiryPolicy: 'stall' });
        await store.submit([t]);
        const submitted = (await store.getTask(t.id))!;
        const [c1] = (await store.claim(claimReq('q1', 1))).claimed;
        const first = (await store.getTask(t.id))!;
        expect(first).toMatchObject({
          status: 'started',
          starts: 1,
          retryAttempt: 0,
          maxRetries: 5,
          createdAt: submitted.createdAt,
          submittedAt: submitted.submittedAt,
          completedAt: null,
          deadLetterPolicy: 'save',
          leaseExpiryPolicy: 'stall',
          parameters: t.parameters,
        });
        expect(first.startedAt).toBeGreaterThanOrEqual(submitted.createdAt!);
        expect(first.attemptStartedAt).toBe(first.startedAt);
        expect(first.heartbeatAt).toBe(first.startedAt);
        expect(c1).toMatchObject({
          starts: 1,
          retryAttempt: 0,
          attemptStartedAt: first.attemptStartedAt,
          deadLetter: true,
        });
        await new Promise((r) => setTimeout(r, 5));
        expect(
          await store.retry('q1', OWNER, c1!, {
            runAt: null,
            consumeAttempt: true,
            error: { attempt: 0, at: Date.now(), error: 'boom' },
          }),
        ).toBe('done');
        const [c2] = (await store.claim(claimReq('q1', 1, { owner: 99 }))).claimed;
        const second = (await store.getTask(t.id))!;
        expect(second).toMatchObject({ status: 'started', starts: 2, retryAttempt: 1, maxRetries: 5 });
        expect(second.startedAt).toBe(first.startedAt); // the first start is kept
        expect(second.attemptStartedAt).toBeGreaterThan(first.attemptStartedAt!);
        expect(c2).toMatchObject({ starts: 2, retryAttempt: 1 });
        const done = await store.claim(
          claimReq('q1', 0, { owner: 99, completions: [{ id: t.id, starts: 2, results: [1, 'two'] }] }),
        );
        expect(done.completed).toEqual([true]);
        const last = (await store.getTask(t.id))!;
        expect(last).toMatchObject({
          status: 'completed',
          starts: 2,
          retryAttempt: 1,
          maxRetries: 5,
          startedAt: first.startedAt,
          attemptStartedAt: second.attemptStartedAt,
          createdAt: submitted.createdAt,
          results: [1, 'two'],
          cancelRequested: false,
          deadLetterPolicy: 'save',
          leaseExpiryPolicy: 'stall',
          leaseExpiresAt: null,
        });
        expect(last.completedAt).toBeGreaterThanOrEqual(second.attemptStartedAt!);
        expect(last.errors.map((e) => e.error)).toEqual(['boom']);
      });

      it('completes with results in the next claim call; a stale or foreign completion is refused', async () => {
        const t = newTask();
        await store.submit([t]);
        const [c] = (await store.claim(claimReq('q1', 1))).claimed;
        const foreign = await store.claim(
          claimReq('q1', 0, { owner: 7, completions: [{ id: t.id, starts: 1, results: 'x' }] }),
        );
        expect(foreign.completed).toEqual([false]);
        const res = await store.claim(
          claimReq('q1', 0, { completions: [{ id: t.id, starts: c!.starts, results: { ok: 1 } }] }),
        );
        expect(res.completed).toEqual([true]);
        const rec = await store.getTask(t.id);
        expect(rec?.status).toBe('completed');
        expect(rec?.results).toEqual({ ok: 1 });
        expect(rec?.completedAt).toBeGreaterThan(0);
        const again = await store.claim(
          claimReq('q1', 0, { completions: [{ id: t.id, starts: c!.starts, results: null }] }),
        );
        expect(again.completed).toEqual([false]);
      });

      it('never runs more than max_concurrent at once across claimers', async () => {
        await store.submit(Array.from({ length: 10 }, () => newTask()));
        const limits = { maxConcurrent: 3, rateCount: 0, ratePeriodMs: 0 };
        const results = await Promise.all(
          [1, 2, 3, 4].map((owner) => store.claim(claimReq('q1', 5, { owner, limits }))),
        );
        expect(results.reduce((n, r) => n + r.claimed.length, 0)).toBe(3);
        expect((await store.countByStatus('q1')).counts).toMatchObject({ started: 3, submitted: 7 });
      });

      it('a rate limit caps starts in the window and says when to retry; nothing is rejected', async () => {
        await store.submit(Array.from({ length: 5 }, () => newTask()));
        const limits = { maxConcurrent: 0, rateCount: 2, ratePeriodMs: 60_000 };
        const r1 = await store.claim(claimReq('q1', 5, { limits }));
        expect(r1.claimed).toHaveLength(2);
        const r2 = await store.claim(claimReq('q1', 5, { limits }));
        expect(r2.claimed).toHaveLength(0);
        expect(r2.retryAfterMs).toBeGreaterThan(50_000);
        expect((await store.countByStatus('q1')).counts.submitted).toBe(3);
      });

      it('the rate window slides: starts leave it after the period, and pruning the log frees it', async () => {
        await store.submit(Array.from({ length: 10 }, () => newTask()));
        const limits = { maxConcurrent: 0, rateCount: 3, ratePeriodMs: 400 };
        expect((await store.claim(claimReq('q1', 2, { limits }))).claimed).toHaveLength(2);
        // A second claimer gets what is left of the window, then nothing until it slides.
        expect((await store.claim(claimReq('q1', 5, { owner: 7, limits }))).claimed).toHaveLength(1);
        const blocked = await store.claim(claimReq('q1', 5, { limits }));
        expect(blocked.claimed).toHaveLength(0);
        expect(blocked.retryAfterMs).toBeGreaterThan(0);
        expect(blocked.retryAfterMs).toBeLessThanOrEqual(401);
        await new Promise((r) => setTimeout(r, 450));
        expect((await store.claim(claimReq('q1', 5, { limits }))).claimed).toHaveLength(3);
        expect((await store.claim(claimReq('q1', 5, { limits }))).claimed).toHaveLength(0);
        // The cleaner's --rate-limit-age: one log entry per claim call that started tasks.
        expect(await store.pruneRateLog('q1', Date.now() + 1)).toBe(1);
        expect((await store.claim(claimReq('q1', 5, { limits }))).claimed).toHaveLength(3);
        expect((await store.countByStatus('q1')).counts).toMatchObject({ started: 9, submitted: 1 });
      });

      it('a per-type limit holds across claimers: saturated tasks wait (parked), in order, and run as slots free', async () => {
        await store.setTypeLimits('q1', [{ type: 'slow@1', limit: 2 }]);
        const slow = Array.from({ length: 5 }, () => newTask({ name: 'slow' }));
        const fast = Array.from({ length: 3 }, () => newTask({ name: 'fast' }));
        for (const t of [...slow, ...fast]) await store.submit([t]);
        const claims = await Promise.all([1, 2, 3].map((owner) => store.claim(claimReq('q1', 10, { owner }))));
        const claimed = claims.flatMap((r) =>
          r.claimed.map((c) => ({ ...c, owner: r === claims[0] ? 1 : r === claims[1] ? 2 : 3 })),
        );
        expect(claimed.filter((c) => c.name === 'slow')).toHaveLength(2);
        expect(claimed.filter((c) => c.name === 'fast')).toHaveLength(3);
        // Parked tasks still count as waiting and are listed.
        expect((await store.countByStatus('q1')).counts.submitted).toBe(3);
        expect(
          (await store.listTasks('q1', { status: 'submitted', offset: 0, limit: 10 })).tasks.map((t) => t.id),
        ).toEqual(slow.slice(2).map((t) => t.id));
        // Finishing one slow task releases the next slow one, in submission order.
        const first = claimed.find((c) => c.name === 'slow')!;
        const owner = claims.findIndex((r) => r.claimed.some((c) => c.id === first.id)) + 1;
        await store.claim(
          claimReq('q1', 0, { owner, completions: [{ id: first.id, starts: first.starts, results: null }] }),
        );
        const next = await store.claim(claimReq('q1', 10, { owner: 9 }));
        expect(next.claimed.map((c) => c.id)).toEqual([slow[2]!.id]);
        // A parked task can be cancelled.
        expect(await store.cancel(slow[4]!.id)).toMatchObject({ kind: 'cancelled' });
        // Removing the limit releases what is still parked.
        expect(await store.setTypeLimits('q1', [{ type: 'slow@1', limit: null }])).toBe(1);
        expect((await store.claim(claimReq('q1', 10, { owner: 9 }))).claimed.map((c) => c.id)).toEqual([slow[3]!.id]);
      });

      it('renews leases for the owner only and reports cancel requests', async () => {
        const t = newTask();
        await store.submit([t]);
        const [c] = (await store.claim(claimReq('q1', 1, { leaseMs: 1000 }))).claimed;
        expect(await store.renewLeases('q1', OWNER, [{ id: t.id, starts: c!.starts, leaseMs: 60_000 }])).toEqual([
          'renewed',
        ]);
        expect((await store.getTask(t.id))?.leaseExpiresAt).toBeGreaterThan(Date.now() + 50_000);
        expect(await store.renewLeases('q1', 1, [{ id: t.id, starts: c!.starts, leaseMs: 60_000 }])).toEqual(['lost']);
        await store.cancel(t.id);
        expect(await store.renewLeases('q1', OWNER, [{ id: t.id, starts: c!.starts, leaseMs: 60_000 }])).toEqual([
          'cancel-requested',
        ]);
      });

      it('recovers expired leases: re-queued with an error entry while retries last, then stalled', async () => {
        const t = newTask({ maxRetries: 1 });
        await store.submit([t]);
        await store.claim(claimReq('q1', 1));
        await fx.expireLeases('q1');
        expect(await store.recoverExpiredLeases('q1', 100)).toBe(1);
        let rec = await store.getTask(t.id);
        expect(rec?.status).toBe('submitted');
        expect(rec?.retryAttempt).toBe(1);
        expect(rec?.errors[0]).toMatchObject({ attempt: 0, type: 'LeaseExpired' });
        const [c] = (await store.claim(claimReq('q1', 1))).claimed;
        expect(c?.starts).toBe(2);
        await fx.expireLeases('q1');
        expect(await store.recoverExpiredLeases('q1', 100)).toBe(1);
        rec = await store.getTask(t.id);
        expect(rec?.status).toBe('stalled');
        expect(rec?.errors).toHaveLength(2);
        // The old owner's late completion is fenced off.
        const late = await store.claim(claimReq('q1', 0, { completions: [{ id: t.id, starts: 2, results: null }] }));
        expect(late.completed).toEqual([false]);
      });

      it('a recovered task is claimed before tasks that were waiting behind it', async () => {
        const first = newTask();
        const second = newTask();
        await store.submit([first]);
        await store.submit([second]);
        await store.claim(claimReq('q1', 1));
        await fx.expireLeases('q1');
        await store.recoverExpiredLeases('q1', 100);
        expect((await store.claim(claimReq('q1', 1))).claimed.map((c) => c.id)).toEqual([first.id]);
      });

      it('the stall policy stalls on the first expiry; a cancel request wins over both', async () => {
        const s = newTask({ leaseExpiryPolicy: 'stall' });
        const c = newTask();
        await store.submit([s, c]);
        await store.claim(claimReq('q1', 2));
        await store.cancel(c.id);
        await fx.expireLeases('q1');
        expect(await store.recoverExpiredLeases('q1', 100)).toBe(2);
        expect((await store.getTask(s.id))?.status).toBe('stalled');
        expect((await store.getTask(c.id))?.status).toBe('cancelled');
      });
    });

    describe('retry, fail, dead-letter queue', () => {
      it('retries immediately (attempt consumed, error kept) or not (shutdown resubmit)', async () => {
        const t = newTask();
        await store.submit([t]);
        const [c] = (await store.claim(claimReq('q1', 1))).claimed;
        const error = { attempt: 0, at: Date.now(), error: 'boom', type: 'E' };
        expect(await store.retry('q1', OWNER, c!, { runAt: null, consumeAttempt: true, error })).toBe('done');
        let rec = await store.getTask(t.id);
        expect(rec).toMatchObject({ status: 'submitted', retryAttempt: 1 });
        expect(rec?.errors).toEqual([error]);
        const [c2] = (await store.claim(claimReq('q1', 1))).claimed;
        expect(await store.retry('q1', OWNER, c2!, { runAt: null, consumeAttempt: false, error: null })).toBe('done');
        rec = await store.getTask(t.id);
        expect(rec).toMatchObject({ status: 'submitted', retryAttempt: 1 });
        expect(await store.retry('q1', OWNER, c2!, { runAt: null, consumeAttempt: true, error: null })).toBe('stale');
      });

      it('a delayed retry waits as scheduled and is promoted exactly once when due', async () => {
        const t = newTask();
        await store.submit([t]);
        const [c] = (await store.claim(claimReq('q1', 1))).claimed;
        await store.retry('q1', OWNER, c!, { runAt: Date.now() + 150, consumeAttempt: true, error: null });
        expect((await store.getTask(t.id))?.status).toBe('scheduled');
        expect((await store.promoteDue('q1', 10)).promoted).toEqual([]);
        await new Promise((r) => setTimeout(r, 200));
        const [p1, p2] = await Promise.all([store.promoteDue('q1', 10), store.promoteDue('q1', 10)]);
        expect([...p1.promoted, ...p2.promoted].map((p) => p.id)).toEqual([t.id]);
        expect((await store.getTask(t.id))?.status).toBe('submitted');
      });

      it('promoteDue reports the next due time', async () => {
        const at = Date.now() + 60_000;
        await store.submit([newTask({ runAt: at })]);
        const res = await store.promoteDue('q1', 10);
        expect(res.nextDueAt).toBe(at);
      });

      it('fails into the DLQ when the policy says so; lists filter and order newest first', async () => {
        const a = newTask({ name: 'x' });
        const b = newTask({ name: 'y' });
        const n = newTask({ deadLetterPolicy: 'none' });
        await store.submit([a, b, n]);
        const claimed = (await store.claim(claimReq('q1', 3))).claimed;
        for (const c of claimed) {
          const deadLetter = c.id !== n.id;
          expect(
            await store.finish('q1', OWNER, c, {
              status: 'failed',
              error: { attempt: 0, at: Date.now(), error: 'x' },
              deadLetter,
            }),
          ).toBe(true);
          await new Promise((r) => setTimeout(r, 3));
        }
        const dlq = await store.listDeadLetters({ limit: 10 });
        expect(dlq.map((d) => d.id)).toEqual([b.id, a.id]);
        expect((await store.listDeadLetters({ name: 'x', limit: 10 })).map((d) => d.id)).toEqual([a.id]);
        expect(await store.listDeadLetters({ queue: 'nope', limit: 10 })).toEqual([]);
        expect(await store.removeDeadLetters([a.id, newTaskId()])).toBe(1);
        expect((await store.listDeadLetters({ limit: 10 })).map((d) => d.id)).toEqual([b.id]);
        expect((await store.getTask(a.id))?.status).toBe('failed');
      });

      it('resubmits failed tasks (error history kept, retry counter reset) but not completed ones', async () => {
        const t = newTask();
        const done = newTask();
        await store.submit([t, done]);
        const claimed = (await store.claim(claimReq('q1', 2))).claimed;
        const ct = claimed.find((c) => c.id === t.id)!;
        const cd = claimed.find((c) => c.id === done.id)!;
        await store.retry('q1', OWNER, ct, {
          runAt: null,
          consumeAttempt: true,
          error: { attempt: 0, at: 1, error: 'e1' },
        });
        const [again] = (await store.claim(claimReq('q1', 1))).claimed;
        await store.finish('q1', OWNER, again!, {
          status: 'failed',
          error: { attempt: 1, at: 2, error: 'e2' },
          deadLetter: true,
        });
        await store.claim(claimReq('q1', 0, { completions: [{ id: done.id, starts: cd.starts, results: null }] }));
        expect(await store.resubmit(t.id, { resetRetryCount: true })).toEqual({ kind: 'resubmitted' });
        const rec = await store.getTask(t.id);
        expect(rec).toMatchObject({ status: 'submitted', retryAttempt: 0 });
        expect(rec?.errors.map((e) => e.error)).toEqual(['e1', 'e2']);
        expect(await store.listDeadLetters({ limit: 10 })).toEqual([]);
        expect(await store.resubmit(done.id, { resetRetryCount: true })).toEqual({
          kind: 'not-allowed',
          status: 'completed',
        });
        expect(await store.resubmit(newTaskId(), { resetRetryCount: true })).toEqual({ kind: 'not-found' });
      });
    });

    describe('cancel', () => {
      it('cancels submitted and scheduled tasks at once, requests started ones, refuses terminal ones', async () => {
        const s = newTask();
        const d = newTask({ runAt: Date.now() + 60_000 });
        const r = newTask();
        await store.submit([s, d]);
        await store.submit([r]);
        await store.claim(claimReq('q1', 1)); // claims s (oldest)
        expect(await store.cancel(r.id)).toMatchObject({ kind: 'cancelled', from: 'submitted' });
        expect(await store.cancel(d.id)).toMatchObject({ kind: 'cancelled', from: 'scheduled' });
        expect(await store.cancel(s.id)).toMatchObject({ kind: 'requested' });
        expect((await store.getTask(s.id))?.cancelRequested).toBe(true);
        expect(await store.cancel(r.id)).toMatchObject({ kind: 'not-cancellable', status: 'cancelled' });
        expect(await store.cancel(newTaskId())).toEqual({ kind: 'not-found' });
        expect((await store.countByStatus('q1')).counts).toMatchObject({
          submitted: 0,
          scheduled: 0,
          cancelled: 2,
          started: 1,
        });
        // A cancelled task is never claimed.
        expect((await store.claim(claimReq('q1', 5))).claimed).toEqual([]);
        // A started task that finishes anyway (its handler ignored the signal) is completed,
        // and the request is cleared with it.
        const done = await store.claim(claimReq('q1', 0, { completions: [{ id: s.id, starts: 1, results: null }] }));
        expect(done.completed).toEqual([true]);
        expect(await store.getTask(s.id)).toMatchObject({ status: 'completed', cancelRequested: false });
      });

      it('cancel racing claim: every task ends either claimed or cancelled, never both', async () => {
        const tasks = Array.from({ length: 200 }, () => newTask());
        await store.submit(tasks);
        const claims = Promise.all(
          Array.from({ length: 20 }, (_, i) => store.claim(claimReq('q1', 10, { owner: i + 1 }))),
        );
        const cancels = Promise.all(tasks.map((t) => store.cancel(t.id)));
        const [claimResults, cancelResults] = await Promise.all([claims, cancels]);
        const claimed = new Set(claimResults.flatMap((r) => r.claimed.map((c) => c.id)));
        cancelResults.forEach((res, i) => {
          const id = tasks[i]!.id;
          if (claimed.has(id)) expect(res.kind).toBe('requested');
          else expect(res.kind).toBe('cancelled');
        });
      });
    });

    describe('cleaning', () => {
      it('prunes terminal tasks older than the cutoff with their results, errors and DLQ entry; keeps active ones', async () => {
        const f = newTask();
        const keep = newTask();
        await store.submit([f, keep]);
        const claimed = (await store.claim(claimReq('q1', 1))).claimed;
        await store.finish('q1', OWNER, claimed[0]!, {
          status: 'failed',
          error: { attempt: 0, at: 1, error: 'x' },
          deadLetter: true,
        });
        expect(await store.pruneTerminal('q1', Date.now() - 60_000)).toBe(0);
        expect(await store.pruneTerminal('q1', Date.now() + 1)).toBe(1);
        expect(await store.getTask(f.id)).toBeNull();
        expect(await store.listDeadLetters({ limit: 10 })).toEqual([]);
        expect((await store.getTask(keep.id))?.status).toBe('submitted');
      });

      it('prunes waiting tasks by submission time, record and all', async () => {
        const old = newTask();
        await store.submit([old]);
        await new Promise((r) => setTimeout(r, 20));
        const cut = Date.now();
        await new Promise((r) => setTimeout(r, 20));
        const young = newTask();
        await store.submit([young]);
        expect(await store.pruneWaiting('q1', 0, cut)).toBe(1);
        expect(await store.getTask(old.id)).toBeNull();
        expect((await store.claim(claimReq('q1', 5))).claimed.map((c) => c.id)).toEqual([young.id]);
      });
    });
  });
}

/**
 * The ConfigStore contract: every adapter runs this suite (see test/integration/config-store.*).
 * Each test gets a freshly migrated store from `makeStore`.
 *
 * `refreshTag` is optional because the ConfigStore port does not expose refresh tags; adapters
 * that have them pass a reader so the tag semantics (spec §4.3) are checked too.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ERRORS, isJobbersError, type ErrorName, type JobbersError } from '../../src/errors.js';
import { NAME_RULE } from '../../src/domain/names.js';
import { isValidTaskId } from '../../src/domain/ids.js';
import type { QueueConfig } from '../../src/domain/queue-config.js';
import type { ConfigStore } from '../../src/ports/config-store.js';

export interface ConfigStoreUnderTest {
  store: ConfigStore;
  cleanup: () => Promise<void>;
  refreshTag?: (role: string) => Promise<string | null>;
}

const BAD_NAMES = ['a:b', '{x}', '*', '', 'x'.repeat(65), 'a b', '-lead', 'q?'];

export function queue(name: string, overrides: Partial<QueueConfig> = {}): QueueConfig {
  return { name, maxConcurrent: null, rateNumerator: null, rateDenominator: null, ratePeriod: null, ...overrides };
}

/** Awaits a rejection and checks it is the catalogued error, with the message fragments given. */
export async function expectJobbersError(
  promise: Promise<unknown>,
  name: ErrorName,
  ...fragments: string[]
): Promise<JobbersError> {
  const err = await promise.then(
    (value) => {
      throw new Error(`expected ${ERRORS[name].code}, but it resolved to ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(isJobbersError(err, name), `expected ${ERRORS[name].code}, got ${String(err)}`).toBe(true);
  const jobbersErr = err as JobbersError;
  expect(jobbersErr.code).toBe(ERRORS[name].code);
  expect(jobbersErr.httpStatus).toBe(ERRORS[name].httpStatus);
  for (const fragment of fragments) expect(jobbersErr.message).toContain(fragment);
  return jobbersErr;
}

export function runConfigStoreContract(name: string, makeStore: () => Promise<ConfigStoreUnderTest>): void {
  describe(`ConfigStore contract: ${name}`, () => {
    let ctx: ConfigStoreUnderTest;
    let store: ConfigStore;

    beforeEach(async () => {
      ctx = await makeStore();
      store = ctx.store;
    });
    afterEach(async () => {
      await ctx.cleanup();
    });

    describe('seed', () => {
      it('starts with queue "default" (no limits) and role "default" holding it', async () => {
        expect(await store.listQueues()).toEqual(['default']);
        expect(await store.getQueue('default')).toEqual(queue('default'));
        expect(await store.listRoles()).toEqual(['default']);
        expect(await store.getRole('default')).toEqual({ name: 'default', queues: ['default'] });
        expect(await store.getRoleQueues('default')).toEqual(['default']);
      });

      it('ping resolves on an open store', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('queues', () => {
      it('creates a queue that get, list and listQueueConfigs then return', async () => {
        const config = queue('external-api', {
          maxConcurrent: 10,
          rateNumerator: 100,
          rateDenominator: 1,
          ratePeriod: 'minute',
        });
        expect(await store.createQueue(config)).toEqual(config);
        expect(await store.getQueue('external-api')).toEqual(config);
        expect(await store.listQueues()).toEqual(['default', 'external-api']);
        expect(await store.listQueueConfigs()).toEqual([queue('default'), config]);
      });

      it('returns null for an unknown queue', async () => {
        expect(await store.getQueue('nope')).toBeNull();
      });

      it('refuses to create a queue that exists (409) and keeps the existing config', async () => {
        await store.createQueue(queue('q1', { maxConcurrent: 3 }));
        const err = await expectJobbersError(store.createQueue(queue('q1', { maxConcurrent: 7 })), 'queueExists');
        expect(err.message).toBe("Queue 'q1' already exists.");
        expect(err.httpStatus).toBe(409);
        expect((await store.getQueue('q1'))?.maxConcurrent).toBe(3);
        await expectJobbersError(store.createQueue(queue('default')), 'queueExists', "'default'");
      });

      it('saveQueue inserts a missing queue and replaces every field of an existing one', async () => {
        const limited = queue('q1', { maxConcurrent: 2, rateNumerator: 5, rateDenominator: 2, ratePeriod: 'hour' });
        expect(await store.saveQueue(limited)).toEqual(limited);
        expect(await store.getQueue('q1')).toEqual(limited);

        const cleared = queue('q1', { maxConcurrent: 0 });
        expect(await store.saveQueue(cleared)).toEqual(cleared);
        expect(await store.getQueue('q1')).toEqual(cleared);
        expect(await store.listQueues()).toEqual(['default', 'q1']);
      });

      it('lists queues and configs sorted by name in code-unit order on every backend', async () => {
        for (const n of ['zeta', 'Alpha', 'beta_1', 'beta-2', 'a.b']) await store.createQueue(queue(n));
        const expected = ['Alpha', 'a.b', 'beta-2', 'beta_1', 'default', 'zeta'];
        expect(await store.listQueues()).toEqual(expected);
        expect((await store.listQueueConfigs()).map((c) => c.name)).toEqual(expected);
      });

      it('deleteQueue returns true once, then false, and the queue is gone', async () => {
        await store.createQueue(queue('doomed'));
        expect(await store.deleteQueue('doomed')).toBe(true);
        expect(await store.getQueue('doomed')).toBeNull();
        expect(await store.listQueues()).toEqual(['default']);
        expect(await store.deleteQueue('doomed')).toBe(false);
      });

      it('deleteQueue removes the queue from every role that held it', async () => {
        await store.createQueue(queue('shared'));
        await store.saveRole({ name: 'r1', queues: ['shared', 'default'] });
        await store.saveRole({ name: 'r2', queues: ['shared'] });
        await store.deleteQueue('shared');
        expect(await store.getRole('r1')).toEqual({ name: 'r1', queues: ['default'] });
        // The role itself survives with no queues.
        expect(await store.getRole('r2')).toEqual({ name: 'r2', queues: [] });
      });

      it('saveQueue of the same name from many callers at once neither throws nor duplicates', async () => {
        const values = Array.from({ length: 12 }, (_, i) => i + 1);
        const saved = await Promise.all(values.map((v) => store.saveQueue(queue('hot', { maxConcurrent: v }))));
        expect(saved.map((c) => c.maxConcurrent)).toEqual(values);
        expect(await store.listQueues()).toEqual(['default', 'hot']);
        expect(values).toContain((await store.getQueue('hot'))?.maxConcurrent);
      });

      it('createQueue of the same name from many callers at once succeeds exactly once', async () => {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) => store.createQueue(queue('race', { maxConcurrent: i }))),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes) {
          if (o.status === 'rejected') expect(isJobbersError(o.reason, 'queueExists')).toBe(true);
        }
      });
    });

    describe('queue validation', () => {
      it.each(BAD_NAMES)('rejects the queue name %j on every queue method', async (bad) => {
        await expectJobbersError(store.createQueue(queue(bad)), 'invalidName', NAME_RULE, JSON.stringify(bad));
        await expectJobbersError(store.saveQueue(queue(bad)), 'invalidName', NAME_RULE);
        await expectJobbersError(store.getQueue(bad), 'invalidName', NAME_RULE);
        await expectJobbersError(store.deleteQueue(bad), 'invalidName', NAME_RULE);
        expect(await store.listQueues()).toEqual(['default']);
      });

      it('accepts a 64-character name, the longest allowed', async () => {
        const longest = 'q'.repeat(64);
        await store.createQueue(queue(longest));
        expect(await store.getQueue(longest)).toEqual(queue(longest));
      });

      const badConfigs: Array<[string, Partial<QueueConfig>, string]> = [
        ['negative maxConcurrent', { maxConcurrent: -1 }, 'maxConcurrent'],
        ['fractional maxConcurrent', { maxConcurrent: 1.5 }, 'maxConcurrent'],
        ['NaN maxConcurrent', { maxConcurrent: Number.NaN }, 'maxConcurrent'],
        ['maxConcurrent beyond a SQL integer', { maxConcurrent: 2 ** 31 }, 'maxConcurrent'],
        ['string maxConcurrent', { maxConcurrent: '5' as unknown as number }, 'maxConcurrent'],
        ['numerator without the rest', { rateNumerator: 5 }, 'all set'],
        ['numerator and denominator without period', { rateNumerator: 5, rateDenominator: 1 }, 'all set'],
        ['zero numerator', { rateNumerator: 0, rateDenominator: 1, ratePeriod: 'second' }, 'rateNumerator'],
        ['zero denominator', { rateNumerator: 1, rateDenominator: 0, ratePeriod: 'second' }, 'rateDenominator'],
        ['fractional denominator', { rateNumerator: 1, rateDenominator: 0.5, ratePeriod: 'day' }, 'rateDenominator'],
        ['unknown period', { rateNumerator: 1, rateDenominator: 1, ratePeriod: 'week' as 'day' }, 'second, minute'],
      ];
      it.each(badConfigs)('rejects %s and writes nothing', async (_label, overrides, fragment) => {
        await expectJobbersError(store.createQueue(queue('q1', overrides)), 'invalidQueueConfig', "'q1'", fragment);
        await expectJobbersError(store.saveQueue(queue('q1', overrides)), 'invalidQueueConfig', fragment);
        await expectJobbersError(store.saveQueue(queue('default', overrides)), 'invalidQueueConfig', fragment);
        expect(await store.listQueueConfigs()).toEqual([queue('default')]);
      });
    });

    describe('roles', () => {
      beforeEach(async () => {
        await store.createQueue(queue('b'));
        await store.createQueue(queue('a'));
      });

      it('creates a role whose queues come back sorted and de-duplicated', async () => {
        expect(await store.createRole({ name: 'r', queues: ['b', 'a', 'b'] })).toEqual({
          name: 'r',
          queues: ['a', 'b'],
        });
        expect(await store.getRole('r')).toEqual({ name: 'r', queues: ['a', 'b'] });
        expect(await store.getRoleQueues('r')).toEqual(['a', 'b']);
        expect(await store.listRoles()).toEqual(['default', 'r']);
      });

      it('refuses to create a role that exists, even one without queues (409)', async () => {
        await store.createRole({ name: 'empty', queues: [] });
        const err = await expectJobbersError(store.createRole({ name: 'empty', queues: ['a'] }), 'roleExists');
        expect(err.message).toBe("Role 'empty' already exists.");
        expect(await store.getRole('empty')).toEqual({ name: 'empty', queues: [] });
        await expectJobbersError(store.createRole({ name: 'default', queues: [] }), 'roleExists', "'default'");
      });

      it('createRole with unknown queues names them and creates nothing', async () => {
        await expectJobbersError(
          store.createRole({ name: 'r', queues: ['a', 'ghost', 'phantom'] }),
          'unknownQueue',
          "'ghost'",
          "'phantom'",
        );
        expect(await store.getRole('r')).toBeNull();
        expect(await store.listRoles()).toEqual(['default']);
      });

      it('saveRole creates a missing role, then replaces its whole membership', async () => {
        expect(await store.saveRole({ name: 'r', queues: ['a'] })).toEqual({ name: 'r', queues: ['a'] });
        expect(await store.saveRole({ name: 'r', queues: ['b', 'default'] })).toEqual({
          name: 'r',
          queues: ['b', 'default'],
        });
        expect(await store.getRoleQueues('r')).toEqual(['b', 'default']);
        expect(await store.saveRole({ name: 'r', queues: [] })).toEqual({ name: 'r', queues: [] });
        expect(await store.getRole('r')).toEqual({ name: 'r', queues: [] });
        expect(await store.listRoles()).toEqual(['default', 'r']);
      });

      it('saveRole with unknown queues names only those, writes nothing and keeps the membership', async () => {
        await store.saveRole({ name: 'r', queues: ['a'] });
        const tagBefore = await ctx.refreshTag?.('r');
        const err = await expectJobbersError(
          store.saveRole({ name: 'r', queues: ['b', 'nope1', 'nope2'] }),
          'unknownQueue',
          "'nope1'",
          "'nope2'",
        );
        expect(err.message).not.toContain("'b'");
        expect(await store.getRoleQueues('r')).toEqual(['a']);
        if (ctx.refreshTag) expect(await ctx.refreshTag('r')).toBe(tagBefore);
        await expectJobbersError(store.saveRole({ name: 'fresh', queues: ['nope1'] }), 'unknownQueue', "'nope1'");
        expect(await store.getRole('fresh')).toBeNull();
      });

      it('deleteRole returns true once, then false, and keeps the queues', async () => {
        await store.saveRole({ name: 'r', queues: ['a', 'b'] });
        expect(await store.deleteRole('r')).toBe(true);
        expect(await store.getRole('r')).toBeNull();
        expect(await store.getRoleQueues('r')).toEqual([]);
        expect(await store.listQueues()).toEqual(['a', 'b', 'default']);
        expect(await store.deleteRole('r')).toBe(false);
      });

      it('getRoleQueues of an unknown role is empty and getRole is null', async () => {
        expect(await store.getRoleQueues('stranger')).toEqual([]);
        expect(await store.getRole('stranger')).toBeNull();
      });

      it.each(BAD_NAMES)('rejects the role or queue name %j in role methods', async (bad) => {
        await expectJobbersError(store.createRole({ name: bad, queues: [] }), 'invalidName', NAME_RULE);
        await expectJobbersError(store.saveRole({ name: bad, queues: ['a'] }), 'invalidName', NAME_RULE);
        await expectJobbersError(store.saveRole({ name: 'ok', queues: ['a', bad] }), 'invalidName', NAME_RULE);
        await expectJobbersError(store.getRole(bad), 'invalidName', NAME_RULE);
        await expectJobbersError(store.getRoleQueues(bad), 'invalidName', NAME_RULE);
        await expectJobbersError(store.deleteRole(bad), 'invalidName', NAME_RULE);
        expect(await store.listRoles()).toEqual(['default']);
      });

      it('saveRole racing deleteQueue ends consistent, never with a database error', async () => {
        for (let i = 0; i < 10; i++) {
          const q = `contested${i}`;
          await store.createQueue(queue(q));
          const [saved, deleted] = await Promise.allSettled([
            store.saveRole({ name: 'racer', queues: [q, 'a'] }),
            store.deleteQueue(q),
          ]);
          expect(deleted).toEqual({ status: 'fulfilled', value: true });
          // Either order is fine; a raw FK violation or deadlock error is not.
          if (saved.status === 'rejected') expect(isJobbersError(saved.reason, 'unknownQueue')).toBe(true);
          expect(await store.getRoleQueues('racer')).not.toContain(q);
        }
      });

      it('createRole of the same name from many callers at once succeeds exactly once', async () => {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 6 }, () => store.createRole({ name: 'race', queues: ['a'] })),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes) {
          if (o.status === 'rejected') expect(isJobbersError(o.reason, 'roleExists')).toBe(true);
        }
        expect(await store.getRoleQueues('race')).toEqual(['a']);
      });
    });

    describe('refresh tags', () => {
      it('every role write sets a new ULID tag; queue config writes do not', async ({ skip }) => {
        if (!ctx.refreshTag) return skip();
        const seeded = await ctx.refreshTag('default');
        expect(isValidTaskId(seeded)).toBe(true);
        await store.saveQueue(queue('default', { maxConcurrent: 4 }));
        expect(await ctx.refreshTag('default')).toBe(seeded);

        await store.createQueue(queue('x'));
        await store.createRole({ name: 'r', queues: [] });
        const created = await ctx.refreshTag('r');
        await store.saveRole({ name: 'r', queues: ['x'] });
        const saved = await ctx.refreshTag('r');
        await store.saveRole({ name: 'r', queues: ['x'] }); // same membership still bumps
        const savedAgain = await ctx.refreshTag('r');
        for (const tag of [created, saved, savedAgain]) expect(isValidTaskId(tag)).toBe(true);
        expect(new Set([created, saved, savedAgain]).size).toBe(3);
        expect(await ctx.refreshTag('stranger')).toBeNull();
      });

      it('deleteQueue changes the tags of the roles that held it, and only those', async ({ skip }) => {
        if (!ctx.refreshTag) return skip();
        await store.createQueue(queue('gone'));
        await store.saveRole({ name: 'holder1', queues: ['gone', 'default'] });
        await store.saveRole({ name: 'holder2', queues: ['gone'] });
        await store.saveRole({ name: 'bystander', queues: ['default'] });
        const before = {
          holder1: await ctx.refreshTag('holder1'),
          holder2: await ctx.refreshTag('holder2'),
          bystander: await ctx.refreshTag('bystander'),
          default: await ctx.refreshTag('default'),
        };
        await store.deleteQueue('gone');
        expect(await ctx.refreshTag('holder1')).not.toBe(before.holder1);
        expect(await ctx.refreshTag('holder2')).not.toBe(before.holder2);
        expect(await ctx.refreshTag('bystander')).toBe(before.bystander);
        expect(await ctx.refreshTag('default')).toBe(before.default);
      });
    });

    describe('close', () => {
      it('makes later calls fail and can be called twice', async () => {
        await store.close();
        await expect(store.ping()).rejects.toThrow();
        await expect(store.close()).resolves.toBeUndefined();
      });
    });
  });
}

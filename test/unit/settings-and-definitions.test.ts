/** Environment parsing and defineTask validation fail fast with messages that name the problem. */
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/runtime/settings.js';
import { defineTask } from '../../src/tasks/define-task.js';
import { TaskRegistry } from '../../src/tasks/registry.js';
import { loadTaskModule } from '../../src/tasks/load-task-module.js';

describe('settings', () => {
  it('has the documented defaults', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({
      redisUrl: 'redis://localhost:6379',
      sqlPath: 'sqlite+aiosqlite:///jobbers.db',
      workerRole: 'default',
      workerConcurrentTasks: 5,
      workerTtl: 50,
      schedulerPollInterval: 5,
      schedulerBatchSize: 1,
      schedulerRole: 'default',
      port: 8000,
      taskAdapter: 'msgpack',
    });
  });
  it.each([
    ['WORKER_CONCURRENT_TASKS', '0'],
    ['WORKER_CONCURRENT_TASKS', '2.5'],
    ['WORKER_TTL', '-1'],
    ['SCHEDULER_POLL_INTERVAL', 'fast'],
    ['SCHEDULER_BATCH_SIZE', '0'],
    ['WORKER_ROLE', 'a:b'],
    ['PORT', '70000'],
    ['REDIS_URL', 'localhost:6379'],
    ['TASK_ADAPTER', 'yaml'],
    ['JOBBERS_PREFIX', 'a:b'],
  ])('%s=%s is refused with a message naming it', (name, value) => {
    expect(() => loadSettings({ [name]: value })).toThrow(new RegExp(`^${name}=`));
  });
});

describe('defineTask', () => {
  it('applies the defaults', () => {
    const d = defineTask({ name: 't', version: 1 }, async () => 1);
    expect(d).toMatchObject({
      maxRetries: 3,
      retryDelay: null,
      backoff: 'exponential',
      maxRetryDelay: 3600,
      deadLetterPolicy: 'none',
      onShutdown: 'stop',
      onLeaseExpiry: 'requeue',
      maxConcurrent: null,
      queue: 'default',
    });
  });
  it.each([
    [{ name: 'bad name', version: 1 }, /name must be/],
    [{ name: 't', version: -1 }, /version must be an integer/],
    [{ name: 't', version: 1, maxRetries: -2 }, /maxRetries/],
    [{ name: 't', version: 1, backoff: 'random' }, /backoff must be one of/],
    [{ name: 't', version: 1, onShutdown: 'explode' }, /onShutdown must be one of/],
    [{ name: 't', version: 1, timeout: -5 }, /timeout must be a number of seconds/],
    [{ name: 't', version: 1, maxConcurrent: 0 }, /maxConcurrent/],
  ])('refuses %j', (opts, message) => {
    expect(() => defineTask(opts as never, async () => 1)).toThrow(message);
  });
  it('the registry refuses two handlers for one (name, version)', () => {
    const reg = new TaskRegistry([defineTask({ name: 't', version: 1 }, async () => 1)]);
    expect(() => reg.add(defineTask({ name: 't', version: 1 }, async () => 2))).toThrow(
      /already registered to another function/,
    );
  });
  it('the module loader explains a missing file and a module without tasks', async () => {
    await expect(loadTaskModule('./missing.ts')).rejects.toThrow(/Task module not found/);
    await expect(loadTaskModule('./src/domain/status.ts')).rejects.toThrow(/exports no task definitions/);
    const reg = await loadTaskModule('./examples/tasks.ts');
    expect(
      reg
        .list()
        .map((d) => `${d.name}@${d.version}`)
        .sort(),
    ).toEqual(['always_fail_task@1', 'echo_task@1', 'scheduled_fail_task@1', 'slow_task@1']);
  });
});

/**
 * The composition root: the only place that knows the concrete stores. Builds the Redis
 * connections, the task store, the SQL config store and the services for a process.
 */
import type { Redis } from 'ioredis';
import { SqlConfigStore } from '../config/sql-config-store.js';
import type { ConfigStore } from '../ports/config-store.js';
import { ConfigWatcher, notifyConfigChanged } from '../services/config-events.js';
import { QueueDirectory } from '../services/queue-directory.js';
import { TaskService } from '../services/task-service.js';
import { createRedis, waitForRedis } from '../store/redis/connection.js';
import { RedisTaskStore } from '../store/redis/redis-task-store.js';
import { loadScripts } from '../store/redis/scripts.js';
import type { TaskRegistry } from '../tasks/registry.js';
import type { Settings } from './settings.js';
import { checkRedisEvictionPolicy } from './redis-guard.js';

export interface Runtime {
  settings: Settings;
  redis: Redis;
  store: RedisTaskStore;
  config: ConfigStore;
  queues: QueueDirectory;
  tasks: TaskService;
  watcher: ConfigWatcher;
  /** Dedicated subscriber connection (config, cancel and schedule channels). */
  subscriber: Redis;
  notifyConfigChanged(): Promise<void>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Shown in CLIENT LIST. */
  processName: string;
  registry?: TaskRegistry;
  /** Workers need a connection that may block. */
  blocking?: boolean;
  warn?: (msg: string) => void;
}

export async function openRuntime(settings: Settings, opts: RuntimeOptions): Promise<Runtime> {
  const redis = createRedis(settings.redisUrl, { name: opts.processName });
  const subscriber = createRedis(settings.redisUrl, { name: `${opts.processName}:sub`, blocking: true });
  let config: ConfigStore | null = null;
  try {
    await waitForRedis(redis, settings.redisUrl);
    await loadScripts(redis);
    const warning = await checkRedisEvictionPolicy(redis);
    if (warning) (opts.warn ?? console.warn)(warning);
    config = await SqlConfigStore.open(settings.sqlPath);
  } catch (err) {
    redis.disconnect();
    subscriber.disconnect();
    await config?.close();
    throw err;
  }
  const store = new RedisTaskStore({
    redis,
    prefix: settings.prefix,
    createBlockingConnection: opts.blocking
      ? () => createRedis(settings.redisUrl, { name: `${opts.processName}:blocking`, blocking: true })
      : undefined,
  });
  const queues = new QueueDirectory(config);
  const watcher = new ConfigWatcher(redis, subscriber, store.keys);
  watcher.on('change', () => queues.invalidate());
  await watcher.start();
  const tasks = new TaskService({ store, queues, registry: opts.registry });
  const configStore = config;
  return {
    settings,
    redis,
    store,
    config: configStore,
    queues,
    tasks,
    watcher,
    subscriber,
    notifyConfigChanged: async () => {
      queues.invalidate();
      await notifyConfigChanged(redis, store.keys);
    },
    close: async () => {
      watcher.stop();
      await store.close();
      await configStore.close();
      await Promise.allSettled([redis.quit(), subscriber.quit()]);
    },
  };
}

/**
 * Config change propagation (DESIGN.md §2.5): whoever changes queues or roles bumps a version
 * counter in Redis and publishes on a channel; every process watching reloads on the message, and
 * a once-a-second version check covers a missed message. No SQL query per fetch.
 */
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { KeyCatalogue } from '../store/redis/keys.js';

export async function notifyConfigChanged(redis: Redis, keys: KeyCatalogue): Promise<void> {
  const version = await redis.incr(keys.configVersion);
  await redis.publish(keys.configChannel, String(version));
}

/** Emits 'change' whenever the config version moves. */
export class ConfigWatcher extends EventEmitter {
  private version: string | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly keys: KeyCatalogue,
    private readonly pollMs = 1000,
  ) {
    super();
  }

  async start(): Promise<void> {
    this.version = await this.redis.get(this.keys.configVersion);
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.keys.configChannel) this.observe(message);
    });
    await this.subscriber.subscribe(this.keys.configChannel);
    this.timer = setInterval(() => {
      this.redis.get(this.keys.configVersion).then(
        (v) => this.observe(v),
        () => undefined, // Redis down: the next tick tries again.
      );
    }, this.pollMs);
    this.timer.unref();
  }

  private observe(version: string | null): void {
    if (version === this.version) return;
    this.version = version;
    this.emit('change');
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
